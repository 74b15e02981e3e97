import { describe, expect, it } from 'vitest';
import {
  COLUMN_SENSITIVITIES,
  DATASTORE_TYPES,
  LOAD_MODES,
  LOAD_STATUSES,
  MASK_RULES,
} from '../../../contracts/datastore-values.ts';
import { en, zhCN } from '../../app/locales/index.ts';
import { AGGREGATES, CHART_KINDS } from './query.ts';

// The DataStore pages build keys from the contract's value lists (datastore.enums.type.<type>); a
// value without a label would show its raw code. Every value must be there in both languages.

const FAMILIES: Record<string, readonly string[]> = {
  type: DATASTORE_TYPES,
  sensitivity: COLUMN_SENSITIVITIES,
  mask: MASK_RULES,
  mode: LOAD_MODES,
  status: LOAD_STATUSES,
  stage: [...LOAD_STATUSES, 'reading', 'inferring', 'building'],
  path: ['copy', 'typed', 'parsed'],
  chart: CHART_KINDS,
  aggregate: AGGREGATES,
  boolean: ['true', 'false'],
};

describe('datastore enum labels', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ])('%s labels every value', (_lang, resources) => {
    const enums = resources.datastore.enums as Record<string, Record<string, string>>;
    const missing = Object.entries(FAMILIES).flatMap(([family, values]) =>
      values.filter((v) => typeof enums[family]?.[v] !== 'string').map((v) => `${family}.${v}`),
    );
    expect(missing).toEqual([]);
  });

  it('labels both downloads of the preview: these rows and the whole table', () => {
    for (const resources of [zhCN, en]) {
      const ds = resources.datastore as unknown as Record<string, Record<string, string>>;
      expect(ds.common?.downloadRowsAs).toContain('{{format}}');
      expect(typeof ds.portal?.downloadRows).toBe('string');
      expect(typeof ds.portal?.downloadWhole).toBe('string');
    }
    expect(zhCN.datastore.portal.downloadRows).not.toBe(en.datastore.portal.downloadRows);
  });

  it('has a message for the error codes the pages show', () => {
    for (const code of ['cast_failed', 'invalid_search', 'bad_xlsx', 'sheet_not_found', 'no_rows']) {
      expect(typeof (zhCN.errors.datastore as Record<string, string>)[code]).toBe('string');
      expect(typeof (en.errors.datastore as Record<string, string>)[code]).toBe('string');
    }
  });
});
