import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../../app/locales/index.ts';
import {
  CATALOG_KINDS,
  DATA_ITEM_TYPES,
  DATA_REQUEST_STATUSES,
  DATASET_STATUSES,
  DISTRIBUTION_KINDS,
  FORMAT_CLASSES,
  OPEN_TYPES,
  PORTAL_FACETS,
  SEARCH_SORTS,
  SENSITIVITY_LEVELS,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from './constants.ts';
import { FILTER_KEYS } from './search-state.ts';

// The catalog builds keys from enum values (catalog.enums.shareType.<value>); a value without a
// label would show its raw code. Every value of every family must be there in both languages.

const FAMILIES: Record<string, readonly string[]> = {
  shareType: SHARE_TYPES,
  openType: OPEN_TYPES,
  updateCycle: UPDATE_CYCLES,
  status: DATASET_STATUSES,
  catalogKind: CATALOG_KINDS,
  formatClass: FORMAT_CLASSES,
  sensitivity: SENSITIVITY_LEVELS,
  dataItemType: DATA_ITEM_TYPES,
  distributionKind: DISTRIBUTION_KINDS,
  requestStatus: DATA_REQUEST_STATUSES,
  sort: SEARCH_SORTS,
  facet: [...PORTAL_FACETS, ...FILTER_KEYS],
};

describe('catalog enum labels', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ])('%s labels every value', (_lang, resources) => {
    const enums = resources.catalog.enums as Record<string, Record<string, string>>;
    const missing = Object.entries(FAMILIES).flatMap(([family, values]) =>
      values.filter((v) => typeof enums[family]?.[v] !== 'string').map((v) => `${family}.${v}`),
    );
    expect(missing).toEqual([]);
  });

  it('uses the official Chinese terms for share, open and update types', () => {
    expect(Object.values(zhCN.catalog.enums.shareType)).toEqual(['无条件共享', '有条件共享', '不予共享']);
    expect(Object.values(zhCN.catalog.enums.openType)).toEqual(['无条件开放', '有条件开放', '不予开放']);
    expect(Object.values(zhCN.catalog.enums.status)).toEqual(['草稿', '待审核', '已发布', '已撤回']);
  });

  it('has a message for every catalog error code', () => {
    for (const code of ['rules_violated', 'name_taken', 'invalid_state', 'data_request_not_found']) {
      expect(typeof (zhCN.errors.catalog as Record<string, string>)[code]).toBe('string');
      expect(typeof (en.errors.catalog as Record<string, string>)[code]).toBe('string');
    }
  });
});
