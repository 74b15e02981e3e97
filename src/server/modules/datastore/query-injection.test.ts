import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from './datastore.test-helpers.ts';

// SQL injection through every parameter of datastore_search and through datastore_search_sql: each
// attempt is a clean CKAN error (409 Validation Error, 403 Authorization Error, 404 Not Found), never
// a 500, and tricky values that really are in the data match exactly — nothing more, nothing less.

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let anonymous: TestClient;
/** An open table of department A. */
let id: string;
/** A table of department B that is not shared with anyone. */
let hiddenId: string;

// Values a naive query builder would trip on, each present exactly once in the data.
const TRICKY = {
  quote: "O'Brien",
  backslash: 'back\\slash',
  doubleQuote: 'say "hi"',
  sleeper: "'; select pg_sleep(5)--",
};
const CSV = [
  '名称,代码,数量,日期',
  `${TRICKY.quote},a%b,1,2024-01-01`,
  `${TRICKY.backslash},a_b,2,2024-01-02`,
  `"say ""hi""",ab,3,2024-01-03`,
  `${TRICKY.sleeper},axb,4,2024-01-04`,
  '普通,100%,5,2024-01-05',
].join('\n');
const ALL = [TRICKY.quote, TRICKY.backslash, TRICKY.doubleQuote, TRICKY.sleeper, '普通'];

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  anonymous = new TestClient(t.app);
  const open = await publishedDataset(t.ctx, openDatasetInput(a.id), {
    filename: 'tricky.csv',
    content: Buffer.from(CSV),
  });
  const closed = await publishedDataset(
    t.ctx,
    openDatasetInput(b.id, { openType: 'none', shareType: 'none', shareLegalBasis: '《保守国家秘密法》' }),
    { filename: 'secret.csv', content: Buffer.from('名称,数量\n乙局内部,7\n') },
  );
  expect(await drainLoads(t.ctx)).toBe(2);
  id = open.distributions[0]!.id;
  hiddenId = closed.distributions[0]!.id;
});
afterAll(async () => t?.close());

const search = (params: Record<string, unknown>, client: TestClient = anonymous) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ resource_id: id, ...params }))
    query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  return client.get(`/api/3/action/datastore_search?${query}`);
};
/** The same action by POST with a JSON body, so values keep their JSON types (arrays, objects, numbers). */
const searchPost = (params: Record<string, unknown>, client: TestClient = anonymous) =>
  client.post('/api/3/action/datastore_search', { resource_id: id, ...params });
const searchSql = (text: string, client: TestClient = anonymous) =>
  client.get(`/api/3/action/datastore_search_sql?sql=${encodeURIComponent(text)}`);

function validationError(res: LightMyRequestResponse, field: string, what = '') {
  expect(res.statusCode, `${what} ${res.body}`).toBe(409);
  const body = res.json();
  expect(body.success).toBe(false);
  expect(body.error.__type).toBe('Validation Error');
  expect(JSON.stringify(body.error)).toContain(field);
}
const names = (res: LightMyRequestResponse): string[] => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json().result.records.map((r: Record<string, unknown>) => r.名称);
};

/** The table still holds its five rows, unchanged, and the bookkeeping tables are there. */
async function intact() {
  const rows = await search({ sort: '_id' }, a.steward);
  expect(names(rows)).toEqual(ALL);
  expect(rows.json().result.total).toBe(5);
  const hidden = await sql<{
    n: number;
  }>`select count(*)::int as n from datastore.${sql.id(hiddenId)}`.execute(t.ctx.db);
  expect(hidden.rows[0]?.n).toBe(1);
  const loads = await sql<{ n: number }>`select count(*)::int as n from datastore_loads`.execute(t.ctx.db);
  expect(loads.rows[0]?.n).toBe(2);
  const stolen = await sql<{ n: number }>`select count(*)::int as n from pg_catalog.pg_class
    where relname in ('stolen', 'stolen2')`.execute(t.ctx.db);
  expect(stolen.rows[0]?.n).toBe(0);
}

describe('datastore_search parameters', () => {
  it('resource_id: a quote and a stacked statement find no resource', async () => {
    for (const resourceId of [
      "x'; drop table datastore_loads; --",
      `${id}'; drop table datastore_loads; --`,
      `${id}" or 1=1 --`,
      '../../etc/passwd',
      id.toUpperCase(),
    ]) {
      const res = await search({ resource_id: resourceId });
      expect(res.statusCode, `${resourceId}: ${res.body}`).toBe(404);
      expect(res.json().error.__type).toBe('Not Found Error');
    }
    const missing = await anonymous.get('/api/3/action/datastore_search');
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
      '数量 desc nulls first',
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
      ['limit', '32001'],
      ['limit', '99999999999999999999999'],
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
    const res = await search({ resource_id: hiddenId });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.__type).toBe('Authorization Error');
    const staff = await search({ resource_id: hiddenId }, a.steward);
    expect(staff.statusCode).toBe(403);
    expect(names(await search({ resource_id: hiddenId }, b.steward))).toEqual(['乙局内部']);
  });
});

describe('datastore_search_sql escapes', () => {
  const refused = async (text: string, client: TestClient = anonymous, reason?: string) => {
    const res = await searchSql(text, client);
    expect(res.statusCode, `${text}: ${res.body}`).toBe(403);
    expect(res.json().error.__type).toBe('Authorization Error');
    if (reason) expect(res.json().error.message, text).toMatch(reason);
    return res;
  };

  it('refuses writes, for the public and for the table’s own steward alike', async () => {
    for (const client of [anonymous, a.steward]) {
      for (const text of [
        `DELETE FROM "${id}"`,
        `UPDATE "${id}" SET "数量" = 0`,
        `INSERT INTO "${id}" ("名称") VALUES ('x')`,
        `CREATE TABLE stolen AS SELECT * FROM "${id}"`,
        `SELECT * INTO stolen2 FROM "${id}"`,
        `WITH d AS (DELETE FROM "${id}" RETURNING *) SELECT * FROM d`,
        `SELECT * FROM "${id}"; DROP TABLE datastore_loads`,
        `DROP TABLE "${id}"`,
        `TRUNCATE "${id}"`,
        `COPY "${id}" TO '/tmp/stolen.csv'`,
        `SELECT * FROM "${id}" FOR UPDATE`,
      ]) {
        await refused(text, client);
      }
    }
    await intact();
  });

  it('refuses file, catalog and setting functions', async () => {
    for (const text of [
      `SELECT pg_read_file('/etc/passwd')`,
      `SELECT pg_catalog.pg_read_file('/etc/passwd')`,
      `SELECT * FROM "${id}" WHERE pg_read_file('/etc/passwd') IS NOT NULL`,
      `SELECT pg_sleep(5)`,
      `SELECT current_setting('data_directory')`,
      `SELECT * FROM pg_catalog.pg_authid`,
      `SELECT * FROM pg_shadow`,
      `SELECT * FROM datastore_loads`,
      `SELECT * FROM public.people`,
      `SELECT 'people'::regclass`,
    ]) {
      await refused(text, a.steward);
    }
  });

  it('refuses another department’s table that is not shared, by its resource id', async () => {
    for (const client of [anonymous, a.steward, a.handler]) {
      await refused(`SELECT * FROM "${hiddenId}"`, client, hiddenId);
      await refused(`SELECT "名称" FROM "${id}" UNION SELECT "名称" FROM "${hiddenId}"`, client, hiddenId);
      await refused(`SELECT * FROM "${id}" WHERE EXISTS (SELECT 1 FROM "${hiddenId.toUpperCase()}")`, client);
    }
    const own = await searchSql(`SELECT "名称" FROM "${hiddenId}"`, b.steward);
    expect(own.json().result.records).toEqual([{ 名称: '乙局内部' }]);
  });

  it('refuses version tables and other classes’ masked views, however they are named', async () => {
    for (const client of [anonymous, a.handler, a.steward]) {
      for (const text of [
        `SELECT * FROM datastore."${id}@1"`,
        `SELECT * FROM "datastore"."${id}@1"`,
        `SELECT * FROM "${id}@1"`,
        `SELECT * FROM datastore."${id}"`,
        `SELECT * FROM datastore."${hiddenId}@1"`,
        `SELECT * FROM datastore_masked."${id}:member"`,
        `SELECT * FROM datastore_masked."${id}:staff"`,
        `SELECT * FROM "datastore_masked"."${hiddenId}:public"`,
        `SELECT * FROM "${id}:member"`,
        `SELECT * FROM "${hiddenId}:staff"`,
      ]) {
        await refused(text, client);
      }
    }
  });

  it('answers a syntax error as a validation error and a legitimate SELECT with the rows', async () => {
    const bad = await searchSql(`SELECT * FROM "${id}" WHERE "名称" = 'O'Brien'`);
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.__type).toBe('Validation Error');
    const good = await searchSql(`SELECT "名称" FROM "${id}" WHERE "名称" = 'O''Brien'`);
    expect(good.json().result.records).toEqual([{ 名称: TRICKY.quote }]);
    const sleeper = await searchSql(`SELECT "数量" FROM "${id}" WHERE "名称" = $$'; select pg_sleep(5)--$$`);
    expect(sleeper.json().result.records).toEqual([{ 数量: 4 }]);
    await intact();
  });
});
