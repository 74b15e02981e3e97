import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DatastoreInfo, LoadDto, LoadReport } from '../../../contracts/datastore.ts';
import {
  type CatalogDept,
  catalogDepartment,
  multipart,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from './datastore.test-helpers.ts';
import { workbookSkeleton, zip } from './readers/test-support.ts';

// The table the bad-input corpus tests upload to, through the real path: POST /api/datastore/:id/loads,
// the queued job run here, the outcome read from the API.

/** The contents of version 1: two districts and their population. */
export const GOOD = '区,人口\n东港区,1\n西岭区,2\n';

export interface SearchResult {
  fields: { id: string; type: string; info?: { label: string } }[];
  records: Record<string, unknown>[];
  total: number;
}

/** The corpus tests' open table and what they do with it. */
export interface CorpusTable {
  /** On PostgreSQL (where clean delimited files take the COPY fast path), or PGlite. */
  readonly pg: boolean;
  /** Uploads a file as the steward, runs the load, and returns the load as the API shows it. */
  upload(filename: string, content: Buffer | string, fields?: Record<string, string>): Promise<LoadDto>;
  /** The table as its steward sees it. */
  info(): Promise<DatastoreInfo>;
  /** datastore_search by `_id` (anonymous unless `client` is given). */
  search(params?: Record<string, string>, client?: TestClient): Promise<SearchResult>;
  /** The records without `_id`. */
  rows(params?: Record<string, string>): Promise<Record<string, unknown>[]>;
  /** How many version tables the table has. */
  versionTables(): Promise<number | undefined>;
  /** How many staging tables are left over, from any load. */
  stagingTables(): Promise<number | undefined>;
}

/**
 * A test app with a published open table of one department whose version 1 is GOOD (set up before
 * the file's tests, closed after them).
 */
export function corpusTable(): CorpusTable {
  let t: TestApp;
  let a: CatalogDept;
  let anonymous: TestClient;
  let pg = false;
  /** The distribution every file is uploaded to. */
  let id: string;

  beforeAll(async () => {
    t = await createTestApp();
    pg = t.ctx.engine === 'postgres';
    a = await catalogDepartment(t.ctx, t.app);
    anonymous = new TestClient(t.app);
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id), {
      filename: 'good.csv',
      content: Buffer.from(GOOD),
    });
    expect(await drainLoads(t.ctx)).toBe(1);
    id = ds.distributions[0]!.id;
  });
  afterAll(async () => t?.close());

  const search = async (params: Record<string, string> = {}, client: TestClient = anonymous) => {
    const res = await client.get(
      `/api/3/action/datastore_search?${new URLSearchParams({ resource_id: id, sort: '_id', ...params })}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json().result as SearchResult;
  };

  return {
    get pg() {
      return pg;
    },
    async upload(filename, content, fields = {}) {
      const body = multipart(fields, { filename, content: Buffer.from(content) });
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/datastore/${id}/loads`,
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${a.steward.bearer}` },
      });
      expect(res.statusCode, res.body).toBe(202);
      expect(await drainLoads(t.ctx)).toBe(1);
      const load = await a.steward.get(`/api/datastore/loads/${res.json().id}`);
      expect(load.statusCode).toBe(200);
      return load.json() as LoadDto;
    },
    info: async () => (await a.steward.get(`/api/datastore/${id}`)).json() as DatastoreInfo,
    search,
    rows: async (params = {}) => (await search(params)).records.map(({ _id, ...rest }) => rest),
    versionTables: async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'datastore' and c.relname like ${`${id}@%`}`.execute(t.ctx.db)
      ).rows[0]?.n,
    stagingTables: async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'datastore_staging' and c.relkind = 'r'`.execute(t.ctx.db)
      ).rows[0]?.n,
  };
}

/** The kinds of a report's issues, in order. */
export const kinds = (report: LoadReport) => report.issues.map((i) => i.kind);

/** A workbook whose one sheet inflates 50 MB from a few dozen kilobytes. */
export function xlsxBomb(): Buffer {
  const sheet = `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>${' '.repeat(
    50 * 1024 * 1024,
  )}</sheetData></worksheet>`;
  return zip([...workbookSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: sheet }]);
}
