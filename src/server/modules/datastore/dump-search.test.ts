import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { catalogDepartment, openDatasetInput, publishedDataset } from '../catalog/catalog.test-helpers.ts';
import { columnsFor, relationFor } from './access-views.ts';
import { searchParamsOf } from './datastore.ckan.ts';
import { dictionaryOf } from './datastore.presenter.ts';
import { drainLoads } from './datastore.test-helpers.ts';
import { readableTable } from './datastore-access.ts';
import { dumpPages, PAGE } from './dump-pages.ts';
import { checkSearch } from './search-params.ts';

// /datastore/dump with datastore_search's parameters (CKAN's dump_schema): each one narrows or
// orders the dump exactly as it does the search, bad ones are the search's 409s, and the keyset
// pages of a large dump list the same rows in the same order as one search would.

let t: TestApp;
let anonymous: TestClient;
let id: string;
let bigId: string;

const CSV = ['名称,区县,数量', '甲,东城区,3', '乙,西城区,', '丙,东城区,1', '丁,,2', '戊,西城区,5'].join('\n');

// Many rows, with repeated and missing values in the sort columns, so that pages break inside runs
// of equal values and among nulls.
const BIG_ROWS = 2 * PAGE + 1234;
const bigCsv = () => {
  const lines = ['编号,组,值'];
  for (let i = 1; i <= BIG_ROWS; i++)
    lines.push(`${i},${i % 7 === 0 ? '' : 'ABC'[i % 3]},${i % 5 === 0 ? '' : i % 10}`);
  return lines.join('\n');
};

beforeAll(async () => {
  t = await createTestApp();
  anonymous = new TestClient(t.app);
  const dept = await catalogDepartment(t.ctx, t.app);
  const small = await publishedDataset(t.ctx, openDatasetInput(dept.id), {
    filename: 'dump.csv',
    content: Buffer.from(CSV),
  });
  const big = await publishedDataset(t.ctx, openDatasetInput(dept.id), {
    filename: 'big.csv',
    content: Buffer.from(bigCsv()),
  });
  expect(await drainLoads(t.ctx)).toBe(2);
  id = small.distributions[0]!.id;
  bigId = big.distributions[0]!.id;
}, 120_000);
afterAll(async () => t?.close());

const dump = (params: Record<string, unknown>, resource = id) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  return anonymous.get(`/datastore/dump/${resource}?${query}`);
};
const ok = (res: LightMyRequestResponse) => {
  expect(res.statusCode, res.body).toBe(200);
  return res;
};
/** The CSV dump's lines as lists of fields (the test data holds no quotes or commas). */
const csvOf = async (params: Record<string, unknown>) =>
  ok(await dump({ ...params, format: 'csv' }))
    .body.replace(/^\ufeff/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(','));
const jsonOf = async (params: Record<string, unknown>, resource = id) =>
  JSON.parse(ok(await dump({ ...params, format: 'json' }, resource)).body) as Record<string, unknown>[];
const namesOf = (rows: Record<string, unknown>[]) => rows.map((r) => r.名称);
/** The 名称 column of a CSV dump (its first column), header left out. */
const csvNames = (lines: string[][]) => lines.slice(1).map((l) => l[0]);

describe('dump parameters', () => {
  it('filters: only the matching rows, in CSV and JSON', async () => {
    const filters = { 区县: '东城区' };
    expect(csvNames(await csvOf({ filters }))).toEqual(['甲', '丙']);
    expect(await jsonOf({ filters })).toEqual([
      { 名称: '甲', 区县: '东城区', 数量: 3 },
      { 名称: '丙', 区县: '东城区', 数量: 1 },
    ]);
    expect(namesOf(await jsonOf({ filters: { 区县: ['西城区', '东城区'], 数量: 5 } }))).toEqual(['戊']);
  });

  it('q: a search over every column, or per field', async () => {
    expect(csvNames(await csvOf({ q: '西城' }))).toEqual(['乙', '戊']);
    expect(namesOf(await jsonOf({ q: '西城' }))).toEqual(['乙', '戊']);
    expect(namesOf(await jsonOf({ q: { 名称: '丁' } }))).toEqual(['丁']);
  });

  it('plain and language are accepted (q is a substring match whatever they say)', async () => {
    expect(namesOf(await jsonOf({ q: '西城', plain: 'false', language: 'simple' }))).toEqual(['乙', '戊']);
    expect((await dump({ plain: 'maybe' })).statusCode).toBe(400);
  });

  it('fields: those columns, in that order, _id when asked', async () => {
    expect(await csvOf({ fields: '数量,名称', filters: { 名称: '甲' } })).toEqual([
      ['数量', '名称'],
      ['3', '甲'],
    ]);
    expect(await jsonOf({ fields: '_id,名称', limit: '2' })).toEqual([
      { _id: 1, 名称: '甲' },
      { _id: 2, 名称: '乙' },
    ]);
  });

  it('sort: the search’s order, nulls where PostgreSQL (or the sort) puts them', async () => {
    expect(csvNames(await csvOf({ sort: '数量 desc' }))).toEqual(['乙', '戊', '甲', '丁', '丙']);
    expect(namesOf(await jsonOf({ sort: '数量 desc' }))).toEqual(['乙', '戊', '甲', '丁', '丙']);
    expect(namesOf(await jsonOf({ sort: '"区县" asc nulls first, 数量 desc' }))).toEqual([
      '丁',
      '甲',
      '丙',
      '乙',
      '戊',
    ]);
  });

  it('offset and limit: a window of the ordered rows; no limit is every row', async () => {
    expect(csvNames(await csvOf({ offset: '1', limit: '2' }))).toEqual(['乙', '丙']);
    expect(namesOf(await jsonOf({ sort: '数量 asc', offset: '1', limit: '2' }))).toEqual(['丁', '甲']);
    expect(await jsonOf({ limit: '0' })).toEqual([]);
    expect(await jsonOf({ offset: '9' })).toEqual([]);
    expect(await jsonOf({})).toHaveLength(5);
  });

  it('XLSX: a filtered, sorted dump of chosen fields', async () => {
    const res = ok(
      await dump({ format: 'xlsx', filters: { 区县: '东城区' }, sort: '数量 asc', fields: '名称,数量' }),
    );
    const { default: excel } = await import('exceljs');
    const wb = new excel.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const values = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(values.map((row) => row.slice(1))).toEqual([
      ['名称', '数量'],
      ['丙', 1],
      ['甲', 3],
    ]);
  });

  it('refuses what datastore_search refuses, with its 409 naming the parameter', async () => {
    for (const [params, field] of [
      [{ filters: { 不存在: 1 } }, 'filters'],
      [{ filters: '{"名称": ' }, 'filters'],
      [{ filters: '["名称"]' }, 'filters'],
      [{ filters: { 数量: 'abc' } }, 'filters'],
      [{ fields: '名称,不存在' }, 'fields'],
      [{ sort: '不存在 desc' }, 'sort'],
      [{ sort: '数量 sideways' }, 'sort'],
      [{ q: { 不存在: 'x' } }, 'q'],
      [{ limit: '-1' }, 'limit'],
      [{ offset: 'abc' }, 'offset'],
    ] as const) {
      for (const format of ['csv', 'json']) {
        const res = await dump({ ...params, format });
        expect(res.statusCode, `${JSON.stringify(params)}: ${res.body}`).toBe(409);
        expect(res.json().error.code).toBe('datastore.invalid_search');
        expect(JSON.stringify(res.json().error.details), res.body).toContain(field);
      }
    }
  });

  it('the REST rows route answers a bad JSON filter with the same 409, not a server error', async () => {
    const res = await anonymous.get(`/api/datastore/${id}/rows?filters=${encodeURIComponent('{"名称":')}`);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('datastore.invalid_search');
  });
});

describe('a dump larger than one page', () => {
  /** Every row datastore_search gives for `params` (one call: the table is under its 32,000 cap). */
  const searched = async (params: Record<string, unknown>) => {
    const query = new URLSearchParams({ resource_id: bigId, limit: '32000' });
    for (const [key, value] of Object.entries(params))
      query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    const res = ok(await anonymous.get(`/api/3/action/datastore_search?${query}`));
    return (res.json().result.records as Record<string, unknown>[]).map((r) => r.编号);
  };
  const dumped = async (params: Record<string, unknown>) => (await jsonOf(params, bigId)).map((r) => r.编号);

  it.each([
    {},
    { sort: '值 desc' },
    { sort: '组 asc, 值 desc nulls last' },
    { sort: '组 desc nulls last, 值 asc nulls first' },
    { sort: '值 asc', offset: '10', limit: String(PAGE + 10) },
    { sort: '组', filters: { 值: [1, 2, 3] } },
    { sort: '_id desc', q: 'B' },
  ])('lists the rows one search lists, in its order: %j', async (params) => {
    const expected = await searched(params);
    const rows = await dumped(params);
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
  });

  it('streams every row without a limit', async () => {
    const rows = await dumped({ sort: '值 desc' });
    expect(rows).toHaveLength(BIG_ROWS);
    expect(new Set(rows).size).toBe(BIG_ROWS);
  });
});

describe('reading a dump', () => {
  /** dumpPages over the public view of the big table, as openDump reads it. */
  const pagesOf = async (params: Record<string, string>, idChunk?: number) => {
    const { table } = await readableTable(t.ctx.db, undefined, bigId);
    const visible = columnsFor('public', dictionaryOf(table.columns)).map((v) => v.column);
    const search = searchParamsOf({ ...params, resource_id: bigId });
    const c = checkSearch(search, visible);
    const limit = search.limit;
    return dumpPages(t.ctx.db, sql`${relationFor(bigId, 'public')}`, c, limit, idChunk);
  };
  const searched = async (params: Record<string, string>) => {
    const query = new URLSearchParams({ resource_id: bigId, limit: '32000', ...params });
    const res = ok(await anonymous.get(`/api/3/action/datastore_search?${query}`));
    return (res.json().result.records as Record<string, unknown>[]).map((r) => Number(r._id));
  };

  it.each([
    { sort: '值 desc' },
    { sort: '组 asc, 值 desc nulls last' },
    { sort: '组 desc nulls last, 值 asc nulls first', offset: '7', limit: '9000' },
    { sort: '_id desc', q: 'B' },
  ] as Record<string, string>[])(
    'a sorted dump read in several chunks of sorted _ids lists the search’s rows: %j',
    async (params) => {
      const ids: number[] = [];
      // 997 _ids a chunk: chunks end inside runs of equal values and among nulls, pages inside chunks.
      for await (const page of await pagesOf(params, 997)) ids.push(...page.map((r) => Number(r._id)));
      expect(ids).toEqual(await searched(params));
    },
  );

  it('a dump left after its first page holds no connection', async () => {
    const pages = (await pagesOf({ sort: '值 desc' }))[Symbol.asyncIterator]();
    expect((await pages.next()).value).toHaveLength(PAGE);
    await pages.return?.(undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pool = t.ctx.database.pool;
    if (pool) {
      expect(pool.waitingCount).toBe(0);
      expect(pool.idleCount).toBe(pool.totalCount);
    }
    // On the embedded database, its one connection answers at once.
    await sql`select 1`.execute(t.ctx.db);
  });

  it('a client that disconnects mid-dump leaves the server serving', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const abort = new AbortController();
    const res = await fetch(
      `${address}/datastore/dump/${bigId}?format=json&sort=${encodeURIComponent('值 desc')}`,
      {
        signal: abort.signal,
      },
    );
    expect(res.status).toBe(200);
    await res.body!.getReader().read();
    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pool = t.ctx.database.pool;
    if (pool) expect(pool.waitingCount).toBe(0);
    expect(await jsonOf({ filters: { 区县: '东城区' } })).toHaveLength(2);
  });
});
