import auditEn from '../../modules/audit/locales/en.ts';
import auditZh from '../../modules/audit/locales/zh-CN.ts';
import calendarEn, { calendarErrorsEn } from '../../modules/calendar/locales/en.ts';
import calendarZh, { calendarErrorsZh } from '../../modules/calendar/locales/zh-CN.ts';
import catalogEn, { catalogErrorsEn } from '../../modules/catalog/locales/en.ts';
import catalogZh, { catalogErrorsZh } from '../../modules/catalog/locales/zh-CN.ts';
import datastoreEn, { datastoreErrorsEn } from '../../modules/datastore/locales/en.ts';
import datastoreZh, { datastoreErrorsZh } from '../../modules/datastore/locales/zh-CN.ts';
import exchangeEn from '../../modules/exchange/locales/en.ts';
import { exchangeErrorsEn } from '../../modules/exchange/locales/errors-en.ts';
import { exchangeErrorsZh } from '../../modules/exchange/locales/errors-zh-CN.ts';
import exchangeZh from '../../modules/exchange/locales/zh-CN.ts';
import identityEn from '../../modules/identity/locales/en.ts';
import identityZh from '../../modules/identity/locales/zh-CN.ts';
import appEn from './en.ts';
import appZh from './zh-CN.ts';

// Every module keeps its own strings; they meet here. Identity's sections sit at the top level
// (departments.*, people.*), other modules under their name (audit.*, catalog.*); a module's API
// error messages join the shared errors.* (errorText looks them up by code there).

export const zhCN = {
  ...appZh,
  ...identityZh,
  audit: auditZh,
  calendar: calendarZh,
  catalog: catalogZh,
  datastore: datastoreZh,
  exchange: exchangeZh,
  errors: {
    ...appZh.errors,
    calendar: calendarErrorsZh,
    catalog: catalogErrorsZh,
    datastore: datastoreErrorsZh,
    exchange: exchangeErrorsZh,
  },
};
export const en = {
  ...appEn,
  ...identityEn,
  audit: auditEn,
  calendar: calendarEn,
  catalog: catalogEn,
  datastore: datastoreEn,
  exchange: exchangeEn,
  errors: {
    ...appEn.errors,
    calendar: calendarErrorsEn,
    catalog: catalogErrorsEn,
    datastore: datastoreErrorsEn,
    exchange: exchangeErrorsEn,
  },
};

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
};
