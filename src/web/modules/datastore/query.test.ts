import { describe, expect, it } from 'vitest';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import { en, zhCN } from '../../app/locales/index.ts';
import { chartOption, toNumber } from './chart-option.ts';
import {
  apiSnippets,
  booleanKey,
  chartReady,
  chartSql,
  columnName,
  dictionaryChanges,
  dumpSearch,
  isTabular,
  lonLatColumns,
  quoteIdent,
  rowsQuery,
} from './query.ts';

const ID = '0b9f3c3e-4a1d-4a57-9a0e-2f6f1d6f9e01';

const column = (id: string, type: DictionaryColumn['type'], extra: Partial<DictionaryColumn> = {}) =>
  ({ id, label: id, type, sensitivity: 'public', mask: 'none', ...extra }) as DictionaryColumn;

describe('columnName', () => {
  it('names a column once when its label is its id', () => {
    expect(columnName({ id: '登记日期', label: '登记日期' })).toBe('登记日期');
    expect(columnName({ id: 'reg_date', label: '登记日期' })).toBe('登记日期 (reg_date)');
  });
});

describe('booleanKey', () => {
  const label = (resources: typeof zhCN, key: string | null) =>
    key?.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], resources);

  it('shows yes/no values as 是/否 and Yes/No: preview booleans and a boolean profile’s text', () => {
    expect(label(zhCN, booleanKey(true))).toBe('是');
    expect(label(zhCN, booleanKey(false))).toBe('否');
    expect(label(en, booleanKey(true))).toBe('Yes');
    expect(label(en, booleanKey('false', 'boolean'))).toBe('No');
    expect(label(zhCN, booleanKey('true', 'boolean'))).toBe('是');
    expect(label(zhCN, booleanKey('f', 'boolean'))).toBe('否');
  });

  it('leaves every other value alone', () => {
    expect(booleanKey('true')).toBeNull();
    expect(booleanKey('true', 'text')).toBeNull();
    expect(booleanKey(1, 'boolean')).toBeNull();
    expect(booleanKey('是', 'boolean')).toBeNull();
    expect(booleanKey(null, 'boolean')).toBeNull();
  });
});

describe('rowsQuery', () => {
  it('quotes the sort column (ids may be Chinese or hold quotes) and leaves out empty parts', () => {
    expect(rowsQuery({ limit: 20, offset: 40, sort: { column: '人口"数', desc: true }, q: '  ' })).toEqual({
      limit: 20,
      offset: 40,
      sort: '"人口""数" desc',
      q: undefined,
      filters: undefined,
    });
  });

  it('sends one column filter as CKAN filters JSON and the search text trimmed', () => {
    const q = rowsQuery({ limit: 20, offset: 0, q: ' 岚山 ', filter: { column: '区县', value: '东城区' } });
    expect(q.q).toBe('岚山');
    expect(JSON.parse(String(q.filters))).toEqual({ 区县: '东城区' });
    expect(q.sort).toBeUndefined();
  });
});

describe('chartSql', () => {
  it('groups categories and aggregates the value column', () => {
    expect(chartSql(ID, { kind: 'bar', x: '区县', y: '人口', aggregate: 'sum' })).toBe(
      `SELECT "区县" AS x, sum("人口") AS y FROM "${ID}" GROUP BY "区县" ORDER BY x LIMIT 50`,
    );
  });

  it('counts rows whatever the Y column, and orders a pie by its largest shares', () => {
    expect(chartSql(ID, { kind: 'pie', x: 'kind', y: 'n', aggregate: 'count' })).toBe(
      `SELECT "kind" AS x, count(*) AS y FROM "${ID}" GROUP BY "kind" ORDER BY y DESC LIMIT 50`,
    );
  });

  it('reads raw points for scatters and maps, without empty coordinates', () => {
    expect(chartSql(ID, { kind: 'map', x: 'lon', y: 'lat', aggregate: 'count' })).toBe(
      `SELECT "lon" AS x, "lat" AS y FROM "${ID}" WHERE "lon" IS NOT NULL AND "lat" IS NOT NULL LIMIT 2000`,
    );
  });

  it('is ready only with the columns its kind needs', () => {
    expect(chartReady({ kind: 'bar', x: 'a', aggregate: 'count' })).toBe(true);
    expect(chartReady({ kind: 'bar', x: 'a', aggregate: 'sum' })).toBe(false);
    expect(chartReady({ kind: 'scatter', x: 'a', aggregate: 'count' })).toBe(false);
    expect(chartReady({ kind: 'line', x: '', aggregate: 'count' })).toBe(false);
  });

  it('doubles quotes inside identifiers', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('lonLatColumns', () => {
  it('finds numeric longitude and latitude columns named in English or Chinese', () => {
    expect(
      lonLatColumns([column('name', 'text'), column('lng', 'numeric'), column('lat', 'numeric')]),
    ).toEqual({
      lon: 'lng',
      lat: 'lat',
    });
    expect(
      lonLatColumns([column('站点经度', 'numeric', { label: '站点经度' }), column('站点纬度', 'numeric')]),
    ).toEqual({ lon: '站点经度', lat: '站点纬度' });
  });

  it('ignores text coordinates and tables with only one of the two', () => {
    expect(lonLatColumns([column('longitude', 'text'), column('latitude', 'numeric')])).toBeUndefined();
    expect(lonLatColumns([column('lon', 'numeric')])).toBeUndefined();
  });
});

describe('dictionaryChanges', () => {
  const columns = [column('a', 'text', { labelEn: 'A' }), column('b', 'text')];

  it('sends only changed fields of changed columns', () => {
    expect(
      dictionaryChanges(columns, {
        a: { label: 'a', labelEn: 'Alpha', type: 'text' },
        b: { type: 'integer', unit: '' },
      }),
    ).toEqual([
      { id: 'a', labelEn: 'Alpha' },
      { id: 'b', type: 'integer' },
    ]);
  });

  it('treats an absent field and an empty one alike, and trims', () => {
    expect(dictionaryChanges(columns, { b: { description: '  ', unit: ' 人 ' } })).toEqual([
      { id: 'b', unit: '人' },
    ]);
    expect(dictionaryChanges(columns, { a: { labelEn: '' } })).toEqual([{ id: 'a', labelEn: '' }]);
    expect(dictionaryChanges(columns, {})).toEqual([]);
  });

  it('sends the subject (empty clears it) and the index flag only when they change', () => {
    const cols = [column('id', 'text', { subject: 'resident_id', indexed: true }), column('c', 'text')];
    expect(
      dictionaryChanges(cols, { id: { subject: '', indexed: true }, c: { subject: 'uscc', indexed: false } }),
    ).toEqual([
      { id: 'id', subject: null },
      { id: 'c', subject: 'uscc' },
    ]);
    expect(dictionaryChanges(cols, { c: { indexed: true } })).toEqual([{ id: 'c', indexed: true }]);
    expect(dictionaryChanges(cols, { id: { subject: 'resident_id' } })).toEqual([]);
  });
});

describe('isTabular', () => {
  it('accepts stored files of the formats the DataStore loads', () => {
    expect(isTabular({ kind: 'file', format: 'xlsx' })).toBe(true);
    expect(isTabular({ kind: 'file', format: 'PDF' })).toBe(false);
    expect(isTabular({ kind: 'link', format: 'CSV' })).toBe(false);
  });
});

describe('apiSnippets', () => {
  it('uses the site origin and the real resource id', () => {
    const s = apiSnippets('https://data.example.gov.cn', ID);
    expect(s.search).toBe(
      `curl 'https://data.example.gov.cn/api/3/action/datastore_search?resource_id=${ID}&limit=5'`,
    );
    expect(s.sql).toContain(`--data-urlencode 'sql=SELECT * FROM "${ID}" LIMIT 5'`);
    expect(s.dump).toContain(`/datastore/dump/${ID}?format=csv`);
    expect(s.python).toContain(`RESOURCE_ID = '${ID}'`);
    expect(s.python).toContain('import requests');
  });
});

describe('chartOption', () => {
  const base = { xName: 'X', yName: 'Y', emptyLabel: '(空)', animation: false };

  it('draws categories with their aggregates, empty categories labelled, text numbers read', () => {
    const option = chartOption({
      ...base,
      kind: 'bar',
      records: [
        { x: '东城', y: '12' },
        { x: null, y: 3 },
      ],
    }) as { xAxis: { data: string[] }; series: { type: string; data: unknown[] }[] };
    expect(option.xAxis.data).toEqual(['东城', '(空)']);
    expect(option.series[0]).toMatchObject({ type: 'bar', data: [12, 3] });
  });

  it('draws points as pairs and leaves out those missing a coordinate', () => {
    const option = chartOption({
      ...base,
      kind: 'map',
      records: [
        { x: 120.1, y: 30.2 },
        { x: 'x', y: 1 },
      ],
    }) as { series: { type: string; data: unknown[] }[] };
    expect(option.series[0]).toMatchObject({ type: 'scatter', data: [[120.1, 30.2]] });
  });

  it('draws a pie of named shares', () => {
    const option = chartOption({ ...base, kind: 'pie', records: [{ x: 'a', y: 2 }] }) as {
      series: { data: unknown[] }[];
    };
    expect(option.series[0]?.data).toEqual([{ name: 'a', value: 2 }]);
  });

  it('reads numbers from the SQL answer', () => {
    expect(toNumber('9007199254740993')).toBe(9007199254740992);
    expect(toNumber('')).toBeNull();
    expect(toNumber('abc')).toBeNull();
  });
});

describe('dumpSearch', () => {
  it('gives the dump the preview’s search, filter and order, never its page', () => {
    expect(
      dumpSearch({
        sort: { column: '人口"数', desc: true },
        q: ' 岚山 ',
        filter: { column: '区县', value: '东城区' },
      }),
    ).toEqual({ sort: '"人口""数" desc', q: '岚山', filters: JSON.stringify({ 区县: '东城区' }) });
    expect(dumpSearch({ sort: { column: '区县', desc: false } })).toEqual({ sort: '"区县" asc' });
  });

  it('is undefined when nothing narrows or orders the rows (the whole table)', () => {
    expect(dumpSearch({})).toBeUndefined();
    expect(dumpSearch({ q: '  ' })).toBeUndefined();
  });
});
