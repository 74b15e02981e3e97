import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { DatastoreInfo, LoadDto } from '../../../contracts/datastore.ts';
import {
  type CatalogDept,
  catalogDepartment,
  multipart,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from './datastore.test-helpers.ts';

// Appends and upserts against a table: what their version summaries count, how an upsert treats rows
// without a key, and how a widened column is reported.

let t: TestApp;
let a: CatalogDept;

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
});
afterAll(async () => t?.close());

const HEADER = '企业名称,统一社会信用代码,人数';
const ROWS = [
  '甲公司,91339900MA0000001A,10',
  '乙公司,91339900MA0000002B,20',
  '丙公司,91339900MA0000003C,30',
  '丁公司,91339900MA0000004D,40',
  '戊公司,91339900MA0000005E,50',
  '无码个体户,,3',
];
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

async function table(): Promise<string> {
  const ds = await publishedDataset(t.ctx, openDatasetInput(a.id), {
    filename: '企业.csv',
    content: Buffer.from(csv(...ROWS)),
  });
  expect(await drainLoads(t.ctx)).toBe(1);
  return ds.distributions[0]!.id;
}

/** Loads `content` into the table with `fields` (mode, key) and answers the load as the steward sees it. */
async function load(id: string, content: string, fields: Record<string, string>): Promise<LoadDto> {
  const { payload, headers } = multipart(fields, { filename: 'more.csv', content: Buffer.from(content) });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/datastore/${id}/loads`,
    payload,
    headers: { ...headers, authorization: `Bearer ${a.steward.bearer}` },
  });
  expect(res.statusCode, res.body).toBe(202);
  await drainLoads(t.ctx);
  return ((await a.steward.get(`/api/datastore/${id}/loads`)).json() as LoadDto[])[0]!;
}

const info = async (id: string) => (await a.steward.get(`/api/datastore/${id}`)).json() as DatastoreInfo;
const upsert = { mode: 'upsert', key: '统一社会信用代码' };

describe('upsert', () => {
  it('refuses a file with rows whose key is empty, naming the rows, and keeps the table as it was', async () => {
    const id = await table();
    const again = await load(id, csv(...ROWS), upsert);
    expect(again.status).toBe('failed');
    expect(again.error).toMatchObject({
      code: 'datastore.upsert_key_missing',
      details: { key: ['统一社会信用代码'], rows: [7], count: 1 },
    });
    expect(again.error!.message).toContain('rows 7');
    const now = await info(id);
    expect(now.rows).toBe(6);
    expect(now.currentVersion).toBe(1);
  });

  it('counts what changed: an identical reload 0/0/0, one new and one changed row 1/0/1', async () => {
    const id = await table();
    const same = await load(id, csv(...ROWS.slice(0, 5)), upsert);
    expect(same.status).toBe('succeeded');
    expect(same.report!.summary).toEqual({ added: 0, removed: 0, changed: 0 });
    const changed = await load(
      id,
      csv('甲公司,91339900MA0000001A,11', '己公司,91339900MA0000006F,60'),
      upsert,
    );
    expect(changed.report!.summary).toEqual({ added: 1, removed: 0, changed: 1 });
    expect((await info(id)).rows).toBe(7);
  });
});

describe('append', () => {
  it('counts one appended row as one added, though the table has rows without a key', async () => {
    const id = await table();
    await load(id, csv(...ROWS.slice(0, 5)), upsert); // the table now has a key
    for (const row of ['己公司,91339900MA0000006F,60', '庚公司,91339900MA0000007G,70']) {
      const appended = await load(id, csv(row), { mode: 'append' });
      expect(appended.report!.summary).toEqual({ added: 1, removed: 0, changed: 0 });
    }
    // A row whose key is already there is one more row, not a change.
    const duplicate = await load(id, csv('甲公司,91339900MA0000001A,10'), { mode: 'append' });
    expect(duplicate.report!.summary).toEqual({ added: 1, removed: 0, changed: 0 });
    expect((await info(id)).rows).toBe(9);
  });

  it('reports a column it widened, with the values that did not fit', async () => {
    const id = await table();
    expect((await info(id)).columns.find((c) => c.id === '人数')?.type).toBe('integer');
    const appended = await load(id, csv('己公司,91339900MA0000006F,abc'), { mode: 'append' });
    expect(appended.status).toBe('succeeded');
    expect((await info(id)).columns.find((c) => c.id === '人数')?.type).toBe('text');
    expect(appended.report!.summary).toEqual({
      added: 1,
      removed: 0,
      changed: 0,
      typeChanges: [
        // _id 7 of the table; row 2 of the appended file (under its header), as the report's other rows.
        {
          column: '人数',
          from: 'integer',
          to: 'text',
          count: 1,
          examples: [{ id: 7, value: 'abc', row: 2 }],
        },
      ],
    });
    const version = (await info(id)).versions[0]!;
    expect(version.summary).toMatchObject({ typeChanges: [{ column: '人数', from: 'integer', to: 'text' }] });
  });
});
