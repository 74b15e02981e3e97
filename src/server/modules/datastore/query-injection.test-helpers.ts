import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from './datastore.test-helpers.ts';

// The tables the SQL-injection tests attack (datastore_search, the dump and datastore_search_sql), the calls
// they make, and the check that nothing was harmed.

/** Values a naive query builder would trip on, each present exactly once in the data. */
export const TRICKY = {
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
/** The 名称 of every row, in `_id` order. */
export const ALL = [TRICKY.quote, TRICKY.backslash, TRICKY.doubleQuote, TRICKY.sleeper, '普通'];

export interface InjectionTables {
  a: CatalogDept;
  b: CatalogDept;
  anonymous: TestClient;
  /** An open table of department A. */
  id: string;
  /** A table of department B that is not shared with anyone. */
  hiddenId: string;
  /** datastore_search by GET, every value not a string as JSON. */
  search(params: Record<string, unknown>, client?: TestClient): Promise<LightMyRequestResponse>;
  /** The same action by POST with a JSON body, so values keep their JSON types (arrays, objects, numbers). */
  searchPost(params: Record<string, unknown>, client?: TestClient): Promise<LightMyRequestResponse>;
  searchSql(text: string, client?: TestClient): Promise<LightMyRequestResponse>;
  /** /datastore/dump of the open table as JSON, every value not a string as JSON. */
  dump(params: Record<string, unknown>, client?: TestClient): Promise<LightMyRequestResponse>;
  /** The table still holds its five rows, unchanged, and the bookkeeping tables are there. */
  intact(): Promise<void>;
}

/** A test app with the two tables, loaded before the file's tests and closed after them. */
export function injectionTables(): InjectionTables {
  let t: TestApp;
  const f: InjectionTables = {
    search: (params, client = f.anonymous) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries({ resource_id: f.id, ...params }))
        query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      return client.get(`/api/3/action/datastore_search?${query}`);
    },
    searchPost: (params, client = f.anonymous) =>
      client.post('/api/3/action/datastore_search', { resource_id: f.id, ...params }),
    dump: (params, client = f.anonymous) => {
      const query = new URLSearchParams({ format: 'json' });
      for (const [key, value] of Object.entries(params))
        query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      return client.get(`/datastore/dump/${f.id}?${query}`);
    },
    searchSql: (text, client = f.anonymous) =>
      client.get(`/api/3/action/datastore_search_sql?sql=${encodeURIComponent(text)}`),
    async intact() {
      const rows = await f.search({ sort: '_id' }, f.a.steward);
      expect(names(rows)).toEqual(ALL);
      expect(rows.json().result.total).toBe(5);
      const hidden = await sql<{
        n: number;
      }>`select count(*)::int as n from datastore.${sql.id(f.hiddenId)}`.execute(t.ctx.db);
      expect(hidden.rows[0]?.n).toBe(1);
      const loads = await sql<{ n: number }>`select count(*)::int as n from datastore_loads`.execute(
        t.ctx.db,
      );
      expect(loads.rows[0]?.n).toBe(2);
      const stolen = await sql<{ n: number }>`select count(*)::int as n from pg_catalog.pg_class
        where relname in ('stolen', 'stolen2')`.execute(t.ctx.db);
      expect(stolen.rows[0]?.n).toBe(0);
    },
  } as InjectionTables;

  beforeAll(async () => {
    t = await createTestApp();
    f.a = await catalogDepartment(t.ctx, t.app);
    f.b = await catalogDepartment(t.ctx, t.app);
    f.anonymous = new TestClient(t.app);
    const open = await publishedDataset(t.ctx, openDatasetInput(f.a.id), {
      filename: 'tricky.csv',
      content: Buffer.from(CSV),
    });
    const closed = await publishedDataset(
      t.ctx,
      openDatasetInput(f.b.id, {
        openType: 'none',
        shareType: 'none',
        shareLegalBasis: '《保守国家秘密法》',
      }),
      { filename: 'secret.csv', content: Buffer.from('名称,数量\n乙局内部,7\n') },
    );
    expect(await drainLoads(t.ctx)).toBe(2);
    f.id = open.distributions[0]!.id;
    f.hiddenId = closed.distributions[0]!.id;
  });
  afterAll(async () => t?.close());
  return f;
}

/** Expects a CKAN Validation Error (409) that names `field`. */
export function validationError(res: LightMyRequestResponse, field: string, what = '') {
  expect(res.statusCode, `${what} ${res.body}`).toBe(409);
  const body = res.json();
  expect(body.success).toBe(false);
  expect(body.error.__type).toBe('Validation Error');
  expect(JSON.stringify(body.error)).toContain(field);
}

/** The 名称 of the records a successful search answered with. */
export const names = (res: LightMyRequestResponse): string[] => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json().result.records.map((r: Record<string, unknown>) => r.名称);
};

/** Expects the REST form of the same refusal (409 datastore.invalid_search naming `field`), as the dump gives. */
export function restValidationError(res: LightMyRequestResponse, field: string, what = '') {
  expect(res.statusCode, `${what} ${res.body}`).toBe(409);
  expect(res.json().error.code).toBe('datastore.invalid_search');
  expect(JSON.stringify(res.json().error.details)).toContain(field);
}

/** The 名称 of the rows a successful JSON dump holds. */
export const dumpedNames = (res: LightMyRequestResponse): string[] => {
  expect(res.statusCode, res.body).toBe(200);
  return (JSON.parse(res.body) as Record<string, unknown>[]).map((r) => r.名称 as string);
};
