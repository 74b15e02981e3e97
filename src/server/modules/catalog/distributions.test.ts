import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DatasetDto, SearchResultDto } from '../../../contracts/catalog.ts';
import {
  type CatalogDept,
  catalogDepartment,
  multipart,
  openDatasetInput,
  publishedDataset,
} from './catalog.test-helpers.ts';

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let anonymous: TestClient;
const LIMIT_MB = 1;

beforeAll(async () => {
  t = await createTestApp({ maxUploadBytes: LIMIT_MB * 1024 * 1024 });
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  anonymous = new TestClient(t.app);
});
afterAll(async () => t.close());

const csv = Buffer.from('\ufeff企业名称,统一社会信用代码\n岚山示例有限公司,91339900MA0000000X\n', 'utf8');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function upload(client: TestClient, datasetId: string, content: Buffer, filename = '企业名录.csv') {
  const { payload, headers } = multipart(
    { name: '企业名录', format: 'csv' },
    { filename, content, type: 'text/csv' },
  );
  return t.app.inject({
    method: 'POST',
    url: `/api/catalog/datasets/${datasetId}/files`,
    payload,
    headers: { ...headers, authorization: `Bearer ${client.bearer}` },
  });
}

const storedFiles = () => {
  const root = t.ctx.config.filesDir;
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true })
    .filter((f) => fs.statSync(path.join(root, String(f))).isFile());
};

describe('files', () => {
  it('stores an upload with its size and checksum, serves it back and counts the download', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    const res = await upload(a.steward, ds.id, csv);
    expect(res.statusCode, res.body).toBe(201);
    const updated = JSON.parse(res.body) as DatasetDto;
    const file = updated.distributions[0];
    expect(file).toMatchObject({
      kind: 'file',
      format: 'CSV',
      sizeBytes: csv.length,
      checksum: sha256(csv),
      mediaType: 'text/csv',
    });
    expect(updated.version).toBe(ds.version + 1);

    const down = await anonymous.get(file?.url ?? '');
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(csv)).toBe(true);
    expect(down.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('企业名录.csv')}`,
    );
    expect(down.headers['x-checksum-sha256']).toBe(sha256(csv));
    const after = JSON.parse((await anonymous.get(`/api/catalog/datasets/${ds.name}`)).body) as DatasetDto;
    expect(after.downloadCount).toBe(1);
    expect(after.distributions[0]?.downloadCount).toBe(1);

    const facets = JSON.parse(
      (await anonymous.get('/api/catalog/search?format=CSV')).body,
    ) as SearchResultDto;
    expect(facets.results.map((r) => r.name)).toContain(ds.name);
  });

  it('refuses a file over the limit and keeps nothing of it', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    const before = storedFiles().length;
    const res = await upload(a.steward, ds.id, Buffer.alloc(LIMIT_MB * 1024 * 1024 + 10, 65), 'big.csv');
    expect(res.statusCode).toBe(413);
    expect(storedFiles().length).toBe(before);
    const after = JSON.parse((await a.steward.get(`/api/catalog/datasets/${ds.id}`)).body) as DatasetDto;
    expect(after.distributions).toEqual([]);
    expect(after.version).toBe(ds.version);
  });

  it('refuses uploads from anyone but the provider’s stewards, before reading the file', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    expect((await upload(b.steward, ds.id, csv)).statusCode).toBe(403);
    expect((await upload(a.admin, ds.id, csv)).statusCode).toBe(403);
    const anon = await t.app.inject({
      method: 'POST',
      url: `/api/catalog/datasets/${ds.id}/files`,
      ...multipart({}, { filename: 'x.csv', content: csv }),
    });
    expect(anon.statusCode).toBe(401);
  });

  it('refuses a request without a file part', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    const res = await a.steward.post(`/api/catalog/datasets/${ds.id}/files`, { name: 'x' });
    expect(res.statusCode).toBe(400);
  });

  it('removes the stored file with its distribution', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    const added = JSON.parse((await upload(a.steward, ds.id, csv)).body) as DatasetDto;
    const count = storedFiles().length;
    const id = added.distributions[0]?.id;
    const res = await a.steward.delete(`/api/catalog/distributions/${id}`);
    expect(res.statusCode).toBe(200);
    expect(storedFiles().length).toBe(count - 1);
    expect((await anonymous.get(`/api/catalog/distributions/${id}/download`)).statusCode).toBe(404);
  });

  it('does not serve files of resources the caller may not see', async () => {
    const ds = await publishedDataset(
      t.ctx,
      openDatasetInput(a.id, { openType: 'none', shareType: 'none', shareLegalBasis: '《保守国家秘密法》' }),
      { filename: 'secret.csv', content: csv },
    );
    const url = ds.distributions[0]?.url ?? '';
    expect((await anonymous.get(url)).statusCode).toBe(401);
    expect((await b.admin.get(url)).statusCode).toBe(403);
    expect((await a.handler.get(url)).statusCode).toBe(200);
  });
});

describe('links', () => {
  it('adds a link and redirects its downloads, counted', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    const res = await a.steward.post(`/api/catalog/datasets/${ds.id}/distributions`, {
      name: '实时接口',
      kind: 'api',
      url: 'https://data.lanshan.example.gov.cn/api/licences',
    });
    expect(res.statusCode, res.body).toBe(201);
    const link = (JSON.parse(res.body) as DatasetDto).distributions[0];
    expect(link).toMatchObject({
      kind: 'api',
      format: 'API',
      url: 'https://data.lanshan.example.gov.cn/api/licences',
    });
    const down = await anonymous.get(`/api/catalog/distributions/${link?.id}/download`);
    expect(down.statusCode).toBe(302);
    expect(down.headers.location).toBe('https://data.lanshan.example.gov.cn/api/licences');
    const patched = await a.steward.patch(`/api/catalog/distributions/${link?.id}`, {
      name: '营业执照查询接口',
    });
    expect((JSON.parse(patched.body) as DatasetDto).distributions[0]?.name).toBe('营业执照查询接口');
  });

  it('refuses links that are not http(s)', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    const res = await a.steward.post(`/api/catalog/datasets/${ds.id}/distributions`, {
      name: 'x',
      url: 'javascript:alert(1)',
    });
    expect(res.statusCode).toBe(400);
  });
});
