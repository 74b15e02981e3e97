import type { Migration } from 'kysely/migration';
import * as m20261122T0700 from './2026-11-22T0700-identity-and-audit.ts';
import * as m20261122T1000 from './2026-11-22T1000-catalog.ts';
import * as m20261122T1100 from './2026-11-22T1100-jobs-and-harvest.ts';
import * as m20261206T1300 from './2026-12-06T1300-datastore.ts';
import * as m20261206T1400 from './2026-12-06T1400-catalog-search-table.ts';
import * as m20261206T1500 from './2026-12-06T1500-datastore-quality.ts';
import * as m20261206T1600 from './2026-12-06T1600-catalog-search-statement-trigger.ts';
import * as m20261206T1700 from './2026-12-06T1700-exchange.ts';
import * as m20261206T1800 from './2026-12-06T1800-exchange-extracts.ts';
import * as m20261206T2000 from './2026-12-06T2000-catalog-search-facet-lists.ts';
import * as m20261206T2100 from './2026-12-06T2100-catalog-search-changes.ts';
import * as m20261206T2200 from './2026-12-06T2200-catalog-label-changes.ts';
import * as m20261206T2230 from './2026-12-06T2230-exchange-access-log-indexes.ts';
import * as m20261206T2300 from './2026-12-06T2300-exchange-request-decision-days.ts';
import * as m20261207T0900 from './2026-12-07T0900-people-identity-verification.ts';
import * as m20261207T1000 from './2026-12-07T1000-identity-verifier-role.ts';
import * as m20261207T1100 from './2026-12-07T1100-counter-codes.ts';
import * as m20261207T1300 from './2026-12-07T1300-identifier-release-notice.ts';

/** Every migration in order. Listed statically so that the bundle-free CLI and the tests see the same set. */
export const migrations: Record<string, Migration> = {
  '2026-11-22T0700-identity-and-audit': m20261122T0700,
  '2026-11-22T1000-catalog': m20261122T1000,
  '2026-11-22T1100-jobs-and-harvest': m20261122T1100,
  '2026-12-06T1300-datastore': m20261206T1300,
  '2026-12-06T1400-catalog-search-table': m20261206T1400,
  '2026-12-06T1500-datastore-quality': m20261206T1500,
  '2026-12-06T1600-catalog-search-statement-trigger': m20261206T1600,
  '2026-12-06T1700-exchange': m20261206T1700,
  '2026-12-06T1800-exchange-extracts': m20261206T1800,
  '2026-12-06T2000-catalog-search-facet-lists': m20261206T2000,
  '2026-12-06T2100-catalog-search-changes': m20261206T2100,
  '2026-12-06T2200-catalog-label-changes': m20261206T2200,
  '2026-12-06T2230-exchange-access-log-indexes': m20261206T2230,
  '2026-12-06T2300-exchange-request-decision-days': m20261206T2300,
  '2026-12-07T0900-people-identity-verification': m20261207T0900,
  '2026-12-07T1000-identity-verifier-role': m20261207T1000,
  '2026-12-07T1100-counter-codes': m20261207T1100,
  '2026-12-07T1300-identifier-release-notice': m20261207T1300,
};
