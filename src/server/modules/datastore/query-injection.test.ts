import { describe, expect, it } from 'vitest';
import {
  ALL,
  dumpedNames,
  injectionTables,
  names,
  restValidationError,
  TRICKY,
  validationError,
} from './query-injection.test-helpers.ts';

// SQL injection through every parameter of datastore_search and of the dump (this file) and through
// datastore_search_sql (query-injection-sql.test.ts): each attempt is a clean CKAN error (409
// Validation Error, 403 Authorization Error, 404 Not Found), never a 500, and tricky values that
// really are in the data match exactly — nothing more, nothing less.

const tables = injectionTables();
const { search, searchPost, dump, intact } = tables;

describe('datastore_search parameters', () => {
  it('resource_id: a quote and a stacked statement find no resource', async () => {
    for (const resourceId of [
      "x'; drop table datastore_loads; --",
      `${tables.id}'; drop table datastore_loads; --`,
      `${tables.id}" or 1=1 --`,
      '../../etc/passwd',
      tables.id.toUpperCase(),
    ]) {
      const res = await search({ resource_id: resourceId });
      expect(res.statusCode, `${resourceId}: ${res.body}`).toBe(404);
      expect(res.json().error.__type).toBe('Not Found Error');
    }
    const missing = await tables.anonymous.get('/api/3/action/datastore_search');
    validationError(missing, 'resource_id');
    await intact();
  });

  it('filters: unknown keys built to break out of the identifier are refused', async () => {
    for (const key of [
      'a" = 1 or 1=1 --',
      '名称" = \'x\' or "名称',
      '名称; drop table datastore_loads',
      '*',
    ]) {
      validationError(await search({ filters: { [key]: 1 } }), 'filters');
    }
    validationError(await search({ filters: '{"名称": ' }), 'filters');
    validationError(await search({ filters: '["名称"]' }), 'filters');
    validationError(await search({ filters: "名称 = 'x'" }), 'filters');
    await intact();
  });

  it('filters: values with quotes, backslashes and SQL match exactly the row that holds them', async () => {
    for (const value of Object.values(TRICKY)) {
      const res = await search({ filters: { 名称: value } });
      expect(names(res), value).toEqual([value]);
      expect(res.json().result.total).toBe(1);
    }
    const started = Date.now();
    expect(names(await searchPost({ filters: { 名称: TRICKY.sleeper } }))).toEqual([TRICKY.sleeper]);
    // The pg_sleep(5) in the value is text, not a statement that ran.
    expect(Date.now() - started).toBeLessThan(4000);
    // Near misses match nothing: no LIKE, no trimming, no case folding.
    for (const value of ["O'Brien ", "o'brien", "O''Brien", 'back\\\\slash', "' or '1'='1", "x' or 1=1 --"]) {
      expect(names(await search({ filters: { 名称: value } })), value).toEqual([]);
    }
    expect(names(await search({ filters: { 代码: '%' } }))).toEqual([]);
    expect(names(await search({ filters: { 代码: 'a%b' } }))).toEqual([TRICKY.quote]);
  });

  it('filters: arrays match any of their values; nested objects and nulls are refused', async () => {
    expect(names(await searchPost({ filters: { 名称: [TRICKY.quote, '普通', "nope' or 1=1"] } }))).toEqual([
      TRICKY.quote,
      '普通',
    ]);
    expect(names(await search({ filters: { 数量: [2, '4'] } }))).toEqual([TRICKY.backslash, TRICKY.sleeper]);
    validationError(await searchPost({ filters: { 名称: { $ne: 'x' } } }), 'filters');
    validationError(await searchPost({ filters: { 名称: ['x', { $gt: '' }] } }), 'filters');
    validationError(await searchPost({ filters: { 名称: [['x']] } }), 'filters');
    validationError(await searchPost({ filters: { 名称: null } }), 'filters');
    validationError(await searchPost({ filters: { 名称: [] } }), 'filters');
    await intact();
  });

  it('filters: a value invalid for the column type is a validation error, not a database error', async () => {
    for (const [column, value] of [
      ['数量', '1 or 1=1'],
      ['数量', "1'; drop table datastore_loads; --"],
      ['数量', '1.5'],
      ['数量', '99999999999'],
      ['数量', 'NaN'],
      ['日期', '2024-02-30'],
      ['日期', "2024-01-01' or '1'='1"],
      ['日期', 'today'],
      ['_id', '9223372036854775808'],
      ['_id', 'x'],
    ] as const) {
      validationError(await search({ filters: { [column]: value } }), 'filters');
    }
    expect(names(await searchPost({ filters: { 数量: 3, 日期: '2024-01-03' } }))).toEqual([
      TRICKY.doubleQuote,
    ]);
    await intact();
  });

  it('q: text and per-field forms; %, _ and backslashes are literal characters', async () => {
    expect(names(await search({ q: '%' }))).toEqual([TRICKY.quote, '普通']);
    // pg_sleep has an underscore too.
    expect(names(await search({ q: '_' }))).toEqual([TRICKY.backslash, TRICKY.sleeper]);
    expect(names(await search({ q: '\\' }))).toEqual([TRICKY.backslash]);
    expect(names(await search({ q: "'" }))).toEqual([TRICKY.quote, TRICKY.sleeper]);
    expect(names(await search({ q: '"' }))).toEqual([TRICKY.doubleQuote]);
    expect(names(await search({ q: "' or '1'='1" }))).toEqual([]);
    expect(names(await search({ q: 'pg_sleep(5)--' }))).toEqual([TRICKY.sleeper]);
    expect(names(await search({ q: '%%' }))).toEqual([]);
    expect(names(await search({ q: 'a_b' }))).toEqual([TRICKY.backslash]);
    expect(names(await search({ q: { 代码: '%' } }))).toEqual([TRICKY.quote, '普通']);
    expect(names(await search({ q: { 代码: '_' } }))).toEqual([TRICKY.backslash]);
    expect(names(await search({ q: { 代码: 'a_' } }))).toEqual([TRICKY.backslash]);
    expect(names(await search({ q: { 名称: '\\slash' } }))).toEqual([TRICKY.backslash]);
    validationError(await search({ q: { '名称" or 1=1 --': 'x' } }), 'q');
    validationError(await searchPost({ q: { 名称: 1 } }), 'q');
    validationError(await searchPost({ q: { 名称: { $ne: 1 } } }), 'q');
    validationError(await search({ q: '["x"]' }), 'q');
    validationError(await search({ q: 'x'.repeat(201) }), 'q');
    await intact();
  });

  it('fields: only names of visible columns, never expressions', async () => {
    for (const fields of [
      '"名称"',
      '*',
      '_id, (select 1)',
      '名称", (select 1) as "x',
      '名称"--',
      'count(*)',
      '名称; drop table datastore_loads',
      '["名称", "(select passwd from pg_shadow)"]',
      ',',
    ]) {
      validationError(await search({ fields }), 'fields');
    }
    validationError(await searchPost({ fields: { 名称: 1 } }), 'fields');
    const some = await search({ fields: '名称, 数量', sort: '_id', limit: '1' });
    expect(some.json().result.records).toEqual([{ 名称: TRICKY.quote, 数量: 1 }]);
    const listed = await searchPost({ fields: ['_id', '名称'], limit: 1 });
    expect(listed.json().result.records).toEqual([{ _id: 1, 名称: TRICKY.quote }]);
    await intact();
  });

  it('sort: a field with asc or desc, nothing else', async () => {
    for (const sort of [
      '"x"; drop table datastore_loads',
      '数量 asc, (select 1)',
      '数量 desc nulls first; drop table datastore_loads',
      '数量 desc nulls sideways',
      '数量 asc; select pg_sleep(5)',
      '(select 1)',
      '1',
      '数量 desc desc',
      '"数量',
      '数量 using <',
      'random()',
    ]) {
      validationError(await search({ sort }), 'sort');
    }
    expect(names(await search({ sort: '"数量" desc' }))).toEqual([...ALL].reverse());
    // CKAN's "nulls first" / "nulls last" are words of the sort, not SQL passed through.
    expect(names(await search({ sort: '"数量" desc nulls first' }))).toEqual([...ALL].reverse());
    expect(names(await search({ sort: '代码 asc, 数量 DESC' }))).toEqual([
      '普通',
      TRICKY.quote,
      TRICKY.backslash,
      TRICKY.doubleQuote,
      TRICKY.sleeper,
    ]);
    await intact();
  });

  it('limit and offset: whole numbers in range only', async () => {
    for (const [key, value] of [
      ['limit', '-1'],
      ['limit', 'abc'],
      ['limit', '1e3'],
      ['limit', '1.5'],
      ['limit', '1; drop table datastore_loads'],
      ['limit', '0x10'],
      ['offset', '-1'],
      ['offset', 'abc'],
      ['offset', '1 union select 1'],
      ['offset', '99999999999999999999999'],
    ] as const) {
      validationError(await search({ [key]: value }), key, `${key}=${value}`);
    }
    const max = await search({ limit: '32000', offset: '3', sort: '_id' });
    expect(names(max)).toEqual(ALL.slice(3));
    expect(max.json().result.limit).toBe(32000);
    // Above CKAN's rows_max the limit is lowered, as CKAN does, not refused.
    for (const limit of ['32001', '99999999999999999999999'])
      expect((await search({ limit })).json().result.limit, limit).toBe(32000);
    expect(names(await search({ limit: '0' }))).toEqual([]);
    expect(names(await search({ offset: '9007199254740991' }))).toEqual([]);
    expect(names(await searchPost({ limit: 2, offset: 1 }))).toEqual(ALL.slice(1, 3));
    await intact();
  });

  it('distinct, include_total and records_format take their own values only', async () => {
    validationError(await search({ distinct: "true' or '1'='1" }), 'distinct');
    validationError(await search({ distinct: 'maybe' }), 'distinct');
    validationError(await search({ include_total: '1; drop' }), 'include_total');
    for (const format of ['xml', "objects'; drop table datastore_loads; --", 'csv ', 'OBJECTS']) {
      validationError(await search({ records_format: format }), 'records_format');
    }
    const distinct = await search({ distinct: 'true', fields: '日期', filters: { 日期: '2024-01-02' } });
    expect(distinct.json().result).toMatchObject({ records: [{ 日期: '2024-01-02' }], total: 1 });
    const csv = await search({
      records_format: 'csv',
      fields: '名称',
      filters: { 名称: TRICKY.doubleQuote },
    });
    expect(csv.json().result.records).toBe('"say ""hi"""\r\n');
    const lists = await search({ records_format: 'lists', fields: '名称,数量', filters: { 数量: 1 } });
    expect(lists.json().result.records).toEqual([[TRICKY.quote, 1]]);
    await intact();
  });

  it('a table of another department that is not shared cannot be searched', async () => {
    const res = await search({ resource_id: tables.hiddenId });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.__type).toBe('Authorization Error');
    const staff = await search({ resource_id: tables.hiddenId }, tables.a.steward);
    expect(staff.statusCode).toBe(403);
    expect(names(await search({ resource_id: tables.hiddenId }, tables.b.steward))).toEqual(['乙局内部']);
  });
});

describe('/datastore/dump parameters (the search’s, read and checked by the same code)', () => {
  it('filters: breaking-out keys and malformed JSON are refused; tricky values match exactly', async () => {
    for (const key of ['a" = 1 or 1=1 --', '名称" = \'x\' or "名称', '名称; drop table datastore_loads', '*'])
      restValidationError(await dump({ filters: { [key]: 1 } }), 'filters', key);
    for (const filters of [
      '{"名称": ',
      '["名称"]',
      "名称 = 'x'",
      '{"名称": {"$ne": "x"}}',
      '{"数量": "1 or 1=1"}',
    ])
      restValidationError(await dump({ filters }), 'filters', filters);
    for (const value of Object.values(TRICKY))
      expect(dumpedNames(await dump({ filters: { 名称: value } })), value).toEqual([value]);
    const started = Date.now();
    const csv = await dump({ filters: { 名称: TRICKY.sleeper }, format: 'csv' });
    expect(csv.body.replace(/^\ufeff/, '').split('\r\n')[1]).toBe(`${TRICKY.sleeper},axb,4,2024-01-04`);
    // The pg_sleep(5) in the value is text, not a statement that ran.
    expect(Date.now() - started).toBeLessThan(4000);
    for (const value of ["O'Brien ", "O''Brien", "' or '1'='1", "x' or 1=1 --"])
      expect(dumpedNames(await dump({ filters: { 名称: value } })), value).toEqual([]);
    await intact();
  });

  it('q: %, _, quotes and backslashes are literal; per-field names are checked', async () => {
    expect(dumpedNames(await dump({ q: '%' }))).toEqual([TRICKY.quote, '普通']);
    expect(dumpedNames(await dump({ q: "' or '1'='1" }))).toEqual([]);
    expect(dumpedNames(await dump({ q: 'pg_sleep(5)--' }))).toEqual([TRICKY.sleeper]);
    expect(dumpedNames(await dump({ q: { 名称: '\\slash' } }))).toEqual([TRICKY.backslash]);
    restValidationError(await dump({ q: { '名称" or 1=1 --': 'x' } }), 'q');
    restValidationError(await dump({ q: '["x"]' }), 'q');
    // CKAN's plain and language change nothing here, and reach no SQL.
    expect(dumpedNames(await dump({ q: "'", language: "english'; drop table datastore_loads; --" }))).toEqual(
      [TRICKY.quote, TRICKY.sleeper],
    );
    expect((await dump({ plain: "true' or '1'='1" })).statusCode).toBe(400);
    await intact();
  });

  it('fields and sort: names of visible columns only, never expressions', async () => {
    for (const fields of ['"名称"', '*', '_id, (select 1)', '名称", (select 1) as "x', 'count(*)', ','])
      restValidationError(await dump({ fields }), 'fields', fields);
    for (const sort of [
      '"x"; drop table datastore_loads',
      '数量 asc, (select 1)',
      '数量 desc nulls first; drop table datastore_loads',
      '(select 1)',
      '1',
      '数量 using <',
      'random()',
    ])
      restValidationError(await dump({ sort }), 'sort', sort);
    expect(dumpedNames(await dump({ sort: '"数量" desc' }))).toEqual([...ALL].reverse());
    const some = await dump({ fields: '名称, 数量', limit: '1' });
    expect(JSON.parse(some.body)).toEqual([{ 名称: TRICKY.quote, 数量: 1 }]);
    await intact();
  });

  it('offset and limit: whole numbers only, no cap (the limit counts the whole dump)', async () => {
    for (const [key, value] of [
      ['limit', '-1'],
      ['limit', '1e3'],
      ['limit', '1; drop table x'],
      ['offset', '1 union select 1'],
      ['offset', '99999999999999999999999'],
    ] as const)
      restValidationError(await dump({ [key]: value }), key, `${key}=${value}`);
    // Longer text is cut off by the route's schema before anything reads it.
    expect((await dump({ limit: '1; drop table datastore_loads' })).statusCode).toBe(400);
    expect(dumpedNames(await dump({ limit: '99999999999999999999999', offset: '3' }))).toEqual(ALL.slice(3));
    await intact();
  });

  it('a table of another department that is not shared cannot be dumped, whatever the parameters', async () => {
    const res = await tables.anonymous.get(
      `/datastore/dump/${tables.hiddenId}?filters=${encodeURIComponent('{"名称":"乙局内部"}')}`,
    );
    expect(res.statusCode).toBe(401);
    const staff = await tables.a.steward.get(
      `/datastore/dump/${tables.hiddenId}?q=${encodeURIComponent('乙')}`,
    );
    expect(staff.statusCode).toBe(403);
  });
});
