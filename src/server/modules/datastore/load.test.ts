import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DatasetDto } from '../../../contracts/catalog.ts';
import type { DatastoreInfo, LoadDto } from '../../../contracts/datastore.ts';
import {
  type CatalogDept,
  catalogDepartment,
  multipart,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from './datastore.test-helpers.ts';
import { markCancelled } from './load.jobs.ts';
import { executeLoad } from './load-pipeline.ts';

let t: TestApp;
let a: CatalogDept;
let anonymous: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
  anonymous = new TestClient(t.app);
});
afterAll(async () => t.close());

const CSV = [
  '企业名称,统一社会信用代码,成立日期,注册资本（万元）,是否存续,联系电话,员工人数',
  '岚山示例有限公司,91339900MA0000000X,2023/5/21,100.5,是,13800001111,12',
  '青河餐饮有限公司,91339900MA0000001Y,2021年3月1日,"1,200",否,0571-8888888,无',
  '东山科技有限公司,91339900MA0000002Z,2019-12-31,50,是,13900002222,约30',
].join('\r\n');

async function datasetWithFile(content: string | Buffer, filename = '企业名录.csv'): Promise<DatasetDto> {
  return publishedDataset(t.ctx, openDatasetInput(a.id), { filename, content: Buffer.from(content) });
}

/** The steward uploads `content` to load into the distribution's table (POST …/loads). */
function uploadLoad(
  distId: string,
  fields: Record<string, string>,
  filename: string,
  content: string | Buffer,
) {
  const { payload, headers } = multipart(fields, { filename, content: Buffer.from(content) });
  return t.app.inject({
    method: 'POST',
    url: `/api/datastore/${distId}/loads`,
    payload,
    headers: { ...headers, authorization: `Bearer ${a.steward.bearer}` },
  });
}

describe('loading a CSV through the catalog upload', () => {
  it('types every column from the whole file and reports the odd values', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    expect(await drainLoads(t.ctx)).toBe(1);
    const info = (await anonymous.get(`/api/datastore/${dist.id}`)).json() as DatastoreInfo;
    expect(info.rows).toBe(3);
    const pkg = (await anonymous.get(`/api/3/action/package_show?id=${ds.name}`)).json().result;
    expect(pkg.resources[0]).toMatchObject({ id: dist.id, datastore_active: true });
    expect(info.currentVersion).toBe(1);
    const types = Object.fromEntries(info.columns.map((c) => [c.label, c.type]));
    expect(types).toMatchObject({
      企业名称: 'text',
      统一社会信用代码: 'text',
      成立日期: 'date',
      '注册资本（万元）': 'numeric',
      是否存续: 'boolean',
      员工人数: 'text',
    });
    // The phone column is personal: the public does not see it.
    expect(info.columns.map((c) => c.label)).toContain('联系电话');
    const loads = (await a.steward.get(`/api/datastore/${dist.id}/loads`)).json() as LoadDto[];
    const report = loads[0]!.report!;
    const staff = report.columns.find((c) => c.label === '员工人数')!;
    expect(staff).toMatchObject({ type: 'text', candidate: 'integer', disagreeing: 1 });
    // The file's row: the header is row 1.
    expect(staff.examples).toEqual([{ row: 4, value: '约30' }]);
  });

  it('answers datastore_search with filters, sort and CKAN fields, masking the phone numbers', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const res = await anonymous.get(
      `/api/3/action/datastore_search?resource_id=${dist.id}&sort=${encodeURIComponent('成立日期 desc')}&filters=${encodeURIComponent(JSON.stringify({ 是否存续: true }))}`,
    );
    expect(res.statusCode).toBe(200);
    const result = res.json().result;
    expect(result.total).toBe(2);
    expect(result.records.map((r: Record<string, unknown>) => r.企业名称)).toEqual([
      '岚山示例有限公司',
      '东山科技有限公司',
    ]);
    expect(result.records[0].联系电话).toMatch(/^138\*+1111$/);
    const steward = (
      await a.steward.get(`/api/3/action/datastore_search?resource_id=${dist.id}&limit=1`)
    ).json().result;
    expect(steward.records[0].联系电话).toBe('13800001111');
    const bad = await anonymous.get(`/api/3/action/datastore_search?resource_id=${dist.id}&sort=nope`);
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.__type).toBe('Validation Error');
  });

  it('appends and upserts, keeping versions and their row summaries', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const more = '企业名称,统一社会信用代码,员工人数\n南湖物流有限公司,91339900MA0000003A,7\n';
    const res = await uploadLoad(dist.id, { mode: 'append' }, 'more.csv', more);
    expect(res.statusCode).toBe(202);
    await drainLoads(t.ctx);
    let info = (await a.steward.get(`/api/datastore/${dist.id}`)).json() as DatastoreInfo;
    expect(info.rows).toBe(4);
    expect(info.currentVersion).toBe(2);

    const update = '统一社会信用代码,员工人数\n91339900MA0000000X,15\n91339900MA0000009Q,3\n';
    const r2 = await uploadLoad(dist.id, { mode: 'upsert', key: '统一社会信用代码' }, 'update.csv', update);
    expect(r2.statusCode).toBe(202);
    await drainLoads(t.ctx);
    info = (await a.steward.get(`/api/datastore/${dist.id}`)).json() as DatastoreInfo;
    expect(info.lastLoad).toMatchObject({ status: 'succeeded', error: null });
    expect(info.rows).toBe(5);
    expect(info.versions[0]).toMatchObject({
      version: 3,
      mode: 'upsert',
      summary: { added: 1, removed: 0, changed: 1, by: 'key' },
    });
    const row = (
      await a.steward.get(
        `/api/3/action/datastore_search?resource_id=${dist.id}&filters=${encodeURIComponent(JSON.stringify({ 统一社会信用代码: '91339900MA0000000X' }))}`,
      )
    ).json().result.records;
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({ 企业名称: '岚山示例有限公司', 员工人数: '15' });
  });

  it('refuses a bad file clearly and keeps the previous version', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    await uploadLoad(dist.id, {}, 'junk.csv', Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7, 8]));
    await drainLoads(t.ctx);
    const loads = (await a.steward.get(`/api/datastore/${dist.id}/loads`)).json() as LoadDto[];
    expect(loads[0]).toMatchObject({ status: 'failed' });
    expect(loads[0]!.error!.code).toMatch(/^datastore\./);
    const info = (await a.steward.get(`/api/datastore/${dist.id}`)).json() as DatastoreInfo;
    expect(info).toMatchObject({ rows: 3, currentVersion: 1 });
  });
});

describe('datastore_search_sql, the dictionary and dumps', () => {
  it('runs a SELECT through the caller’s view: masked for the public, clear for the steward', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const query = `SELECT "企业名称", "联系电话" FROM "${dist.id}" WHERE "是否存续" ORDER BY "企业名称"`;
    const url = `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(query)}`;
    const open = (await anonymous.get(url)).json();
    expect(open.success).toBe(true);
    expect(open.result.records).toHaveLength(2);
    expect(open.result.records.map((r: Record<string, string>) => r.联系电话)).not.toContain('13800001111');
    const clear = (await a.steward.get(url)).json().result.records;
    expect(clear.map((r: Record<string, string>) => r.联系电话)).toContain('13800001111');
    const write = await anonymous.get(
      `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(`DELETE FROM "${dist.id}"`)}`,
    );
    expect(write.statusCode).toBe(403);
    const other = await anonymous.get(
      `/api/3/action/datastore_search_sql?sql=${encodeURIComponent('SELECT * FROM pg_catalog.pg_authid')}`,
    );
    expect(other.statusCode).toBe(403);
  });

  it('re-casts a column when the steward changes its type, asking before values are lost', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const url = `/api/datastore/${dist.id}/dictionary`;
    const refused = await a.steward.request('PUT', url, { columns: [{ id: '员工人数', type: 'integer' }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'datastore.cast_failed', details: { failures: 1 } });
    expect(refused.json().error.details.examples).toEqual([{ row: 3, value: '约30' }]);
    const done = await a.steward.request('PUT', url, {
      columns: [{ id: '员工人数', type: 'integer', description: '在册员工' }],
      onCastFailure: 'null',
    });
    expect(done.statusCode).toBe(200);
    const info = done.json() as DatastoreInfo;
    expect(info.columns.find((c) => c.id === '员工人数')).toMatchObject({
      type: 'integer',
      description: '在册员工',
    });
    const rows = (
      await a.steward.get(`/api/3/action/datastore_search?resource_id=${dist.id}&sort=_id`)
    ).json().result;
    expect(rows.records.map((r: Record<string, unknown>) => r.员工人数)).toEqual([12, null, null]);
    expect(rows.fields.find((f: { id: string }) => f.id === '员工人数').type).toBe('int4');
  });

  it('dumps the table as CSV with the header and JSON with every row', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const csv = await anonymous.get(`/datastore/dump/${dist.id}`);
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('企业名称');
    const json = await anonymous.get(`/datastore/dump/${dist.id}?format=json`);
    expect(JSON.parse(json.body)).toHaveLength(3);
    const xlsx = await anonymous.get(`/datastore/dump/${dist.id}?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('keeps bigint values exact past 2^53 in searches and dumps', async () => {
    const big = '123456789012345678';
    const ds = await datasetWithFile(
      `合同编号,金额\nH1,"123,456,789,012,345,678"\nH2,"12,345,678,901"\n`,
      '合同.csv',
    );
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const info = (await anonymous.get(`/api/datastore/${dist.id}`)).json() as DatastoreInfo;
    expect(info.columns.find((c) => c.label === '金额')?.type).toBe('bigint');
    const search = (format: string) =>
      anonymous.get(
        `/api/3/action/datastore_search?resource_id=${dist.id}&sort=_id&records_format=${format}`,
      );
    // A number where a double holds it exactly, the exact text where it does not.
    const objects = (await search('objects')).json().result.records;
    expect(objects.map((r: Record<string, unknown>) => r.金额)).toEqual([big, 12345678901]);
    expect((await search('lists')).json().result.records.map((r: unknown[]) => r.at(-1))).toEqual([
      big,
      12345678901,
    ]);
    expect((await search('csv')).json().result.records).toContain(big);
    expect((await anonymous.get(`/datastore/dump/${dist.id}`)).body).toContain(big);
    const json = JSON.parse((await anonymous.get(`/datastore/dump/${dist.id}?format=json`)).body);
    expect(json.map((r: Record<string, unknown>) => r.金额)).toEqual([big, 12345678901]);
  });

  it('writes XLSX cells of the columns’ types: numbers, dates and booleans a spreadsheet can use', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const { default: excel } = await import('exceljs');
    const read = async (client: TestClient) => {
      const res = await client.get(`/datastore/dump/${dist.id}?format=xlsx`);
      const wb = new excel.Workbook();
      await wb.xlsx.load(res.rawPayload as never);
      const sheet = wb.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const row = (n: number) =>
        Object.fromEntries(header.map((h, i) => [String(h), sheet.getRow(n).getCell(i + 1)]));
      return { row };
    };
    const { row } = await read(anonymous);
    const first = row(2);
    expect(first['注册资本（万元）']!.value).toBe(100.5);
    expect(first.成立日期!.value).toEqual(new Date(Date.UTC(2023, 4, 21)));
    expect(first.成立日期!.numFmt).toBe('yyyy-mm-dd');
    expect(first.是否存续!.value).toBe(true);
    expect(row(3)['注册资本（万元）']!.value).toBe(1200);
    // Identifiers stay text, and so do masked values whatever their column's type.
    expect(first.统一社会信用代码!.value).toBe('91339900MA0000000X');
    expect(String(first.联系电话!.value)).toMatch(/^138\*+1111$/);
  });
});

describe('large files: types from a sample, proven on every row', () => {
  const ROWS = 100_050;
  // The sample is the staging path's (the typed load reads every value anyway): take that path.
  beforeAll(() => {
    t.ctx.config.datastoreTypedLoad = false;
  });
  afterAll(() => {
    t.ctx.config.datastoreTypedLoad = true;
  });
  const file = (badRow?: number) => {
    const lines = ['人数,金额,日期'];
    for (let i = 1; i <= ROWS; i++)
      lines.push(`${i},${i % 1000}.5,${i === badRow ? '2023-02-30' : `2023-0${(i % 9) + 1}-1${i % 10}`}`);
    return `${lines.join('\n')}\n`;
  };

  it('keeps the sample’s types when every row fits them', async () => {
    const ds = await datasetWithFile(file(), 'big.csv');
    await drainLoads(t.ctx);
    const loads = (
      await a.steward.get(`/api/datastore/${ds.distributions[0]!.id}/loads`)
    ).json() as LoadDto[];
    const report = loads[0]!.report!;
    expect(report).toMatchObject({ rows: ROWS, inference: 'sample' });
    expect(report.columns.map((c) => [c.id, c.type, c.nonNull])).toEqual([
      ['人数', 'integer', ROWS],
      ['金额', 'numeric', ROWS],
      ['日期', 'date', ROWS],
    ]);
  });

  it('falls back to every value when a row outside the sample does not fit', async () => {
    // Row 100,048 is neither among the first 10,000 nor on the sample's stride (every 5th row).
    const ds = await datasetWithFile(file(100_048), 'big.csv');
    await drainLoads(t.ctx);
    const loads = (
      await a.steward.get(`/api/datastore/${ds.distributions[0]!.id}/loads`)
    ).json() as LoadDto[];
    const report = loads[0]!.report!;
    expect(report).toMatchObject({ rows: ROWS, inference: 'full' });
    expect(report.columns.find((c) => c.id === '日期')).toMatchObject({
      type: 'text',
      candidate: 'date',
      disagreeing: 1,
      examples: [{ row: 100_049, value: '2023-02-30' }],
    });
    expect(report.timings.build_refused).toBeGreaterThanOrEqual(0);
  });
});

describe('the data dictionary as a Frictionless Table Schema', () => {
  it('exports the dictionary and takes corrections back, types mapped both ways', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const schema = (await a.steward.get(`/api/datastore/${dist.id}/table-schema`)).json();
    const date = schema.fields.find((f: { name: string }) => f.name === '成立日期');
    expect(date).toMatchObject({
      title: '成立日期',
      type: 'date',
      'civitas:type': 'date',
      'civitas:sensitivity': 'public',
    });
    expect(schema.fields.find((f: { name: string }) => f.name === '联系电话')).toMatchObject({
      type: 'string',
      'civitas:sensitivity': 'personal',
      'civitas:mask': 'phone',
    });
    const url = `/api/datastore/${dist.id}/table-schema`;
    const edited = {
      fields: [
        { name: '成立日期', description: '营业执照上的成立日期', 'civitas:titleEn': 'Founded' },
        { name: '员工人数', type: 'integer' },
      ],
    };
    expect((await a.steward.request('PUT', url, edited)).statusCode).toBe(409);
    const ok = await a.steward.request('PUT', `${url}?onCastFailure=null`, edited);
    expect(ok.statusCode).toBe(200);
    const columns = (ok.json() as DatastoreInfo).columns;
    expect(columns.find((c) => c.id === '成立日期')).toMatchObject({
      description: '营业执照上的成立日期',
      labelEn: 'Founded',
    });
    expect(columns.find((c) => c.id === '员工人数')).toMatchObject({ type: 'integer' });
    const unknown = await a.steward.request('PUT', url, { fields: [{ name: 'nope' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('datastore.invalid_table_schema');
  });
});

describe('indexes and estimated totals', () => {
  const indexesOf = async (distributionId: string) =>
    (
      await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = 'datastore'
        and tablename like ${`${distributionId}@%`} and indexdef like '%成立日期%'`.execute(t.ctx.db)
    ).rows;

  it('indexes a column the steward marks, and keeps the index in later versions', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const res = await a.steward.request('PUT', `/api/datastore/${dist.id}/dictionary`, {
      columns: [{ id: '成立日期', indexed: true }],
    });
    expect(res.statusCode).toBe(200);
    expect(await indexesOf(dist.id)).toHaveLength(1);
    await uploadLoad(dist.id, {}, 'again.csv', CSV);
    await drainLoads(t.ctx);
    expect(await indexesOf(dist.id)).toHaveLength(2);
    await a.steward.request('PUT', `/api/datastore/${dist.id}/dictionary`, {
      columns: [{ id: '成立日期', indexed: false }],
    });
    expect(await indexesOf(dist.id)).toHaveLength(1);
  });

  it('estimates the total above total_estimation_threshold, and counts it exactly below', async () => {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const filters = encodeURIComponent(JSON.stringify({ 是否存续: true }));
    const base = `/api/3/action/datastore_search?resource_id=${dist.id}&filters=${filters}`;
    const estimated = (await anonymous.get(`${base}&total_estimation_threshold=0`)).json().result;
    expect(estimated.total_was_estimated).toBe(true);
    expect(estimated.total).toBeGreaterThanOrEqual(1);
    const exact = (await anonymous.get(`${base}&total_estimation_threshold=1000`)).json().result;
    expect(exact).toMatchObject({ total: 2, total_was_estimated: false });
  });
});

describe('cancelling a load', () => {
  /** A table at version 1, and a second load of `file` queued for it. */
  async function secondLoadQueued(file = 'replacement.csv') {
    const ds = await datasetWithFile(CSV);
    const dist = ds.distributions[0]!;
    await drainLoads(t.ctx);
    const next = '企业名称,员工人数\n南湖物流有限公司,7\n西山建设有限公司,9\n';
    const res = await uploadLoad(dist.id, { mode: 'replace' }, file, next);
    expect(res.statusCode).toBe(202);
    return { dist, loadId: (res.json() as LoadDto).id };
  }

  const cancel = (loadId: string) => a.steward.post(`/api/datastore/loads/${loadId}/cancel`, {});
  const info = async (distId: string) =>
    (await a.steward.get(`/api/datastore/${distId}`)).json() as DatastoreInfo;

  // Before inference the load stops at the next step; during the build, at the publication.
  it.each(['inferring', 'building'])(
    'keeps the previous version when the cancel comes while %s',
    async (stage) => {
      const { dist, loadId } = await secondLoadQueued();
      let cancelled: Promise<unknown> | undefined;
      // The worker hears of a cancel only at its next heartbeat: the load goes on meanwhile, as here,
      // where the signal is never aborted. The cancel's own write is issued as inference starts (the
      // route's, with its checks, would come too late to be sure of the order on one connection).
      const outcome = await executeLoad(t.ctx, loadId, {
        signal: new AbortController().signal,
        keepVersions: 5,
        onProgress: (p) => {
          if (p.stage === stage && !cancelled) cancelled = markCancelled(t.ctx.db, loadId);
        },
      });
      expect(await cancelled).toBe(true);
      expect(outcome.status).toBe('cancelled');
      const now = await info(dist.id);
      expect(now).toMatchObject({ currentVersion: 1, rows: 3 });
      expect(now.versions.map((v) => v.version)).toEqual([1]);
      const load = (await a.steward.get(`/api/datastore/loads/${loadId}`)).json() as LoadDto;
      expect(load).toMatchObject({ status: 'cancelled', version: null, report: null });
      // The staging table went with it.
      const staging = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
      where table_schema = 'datastore_staging'`.execute(t.ctx.db);
      expect(staging.rows[0]!.n).toBe(0);
    },
  );

  it('refuses to cancel a load whose version is published, which stays current', async () => {
    const { dist, loadId } = await secondLoadQueued();
    await drainLoads(t.ctx);
    const res = await cancel(loadId);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('datastore.load_finished');
    expect(await info(dist.id)).toMatchObject({ currentVersion: 2, rows: 2 });
    const load = (await a.steward.get(`/api/datastore/loads/${loadId}`)).json() as LoadDto;
    expect(load.status).toBe('succeeded');
  });

  it('never runs a load cancelled while it waited in the queue', async () => {
    const { dist, loadId } = await secondLoadQueued();
    expect((await cancel(loadId)).statusCode).toBe(200);
    expect(await drainLoads(t.ctx)).toBe(0);
    expect(await info(dist.id)).toMatchObject({ currentVersion: 1, rows: 3 });
    expect(((await a.steward.get(`/api/datastore/loads/${loadId}`)).json() as LoadDto).status).toBe(
      'cancelled',
    );
  });
});
