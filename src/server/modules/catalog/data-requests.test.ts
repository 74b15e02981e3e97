import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DataRequestDto } from '../../../contracts/catalog.ts';
import { auditEntries } from '../identity/identity.test-helpers.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from './catalog.test-helpers.ts';
import { maskName } from './data-request.service.ts';

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let anonymous: TestClient;
let datasetName: string;

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  anonymous = new TestClient(t.app);
  datasetName = (await publishedDataset(t.ctx, openDatasetInput(a.id, { titleZh: '公交线路' }))).name;
});
afterAll(async () => t.close());

const ask = (overrides: Record<string, unknown> = {}) =>
  anonymous.post('/api/catalog/data-requests', {
    datasetName,
    title: '希望增加实时到站数据',
    description: '请开放公交车辆实时到站时间，方便市民出行。',
    requesterName: '王小明',
    requesterEmail: 'wang@example.com',
    ...overrides,
  });

describe('requests for data from the public', () => {
  it('files a request anonymously, follows it by tracking code, and the department answers', async () => {
    const res = await ask();
    expect(res.statusCode, res.body).toBe(201);
    const created = JSON.parse(res.body) as DataRequestDto;
    expect(created).toMatchObject({ status: 'open', datasetName, department: { id: a.id } });
    expect(created.trackingCode).toMatch(/^DR-[A-Z0-9]{8}$/);

    const tracked = JSON.parse(
      (await anonymous.get(`/api/catalog/data-requests/track/${created.trackingCode}`)).body,
    );
    expect(tracked).toMatchObject({ status: 'open', requesterName: '王**' });

    const inbox = JSON.parse(
      (await a.steward.get('/api/catalog/data-requests?status=open')).body,
    ) as DataRequestDto[];
    expect(inbox.map((r) => r.id)).toContain(created.id);
    expect(inbox.find((r) => r.id === created.id)?.requesterName).toBe('王小明');
    expect(JSON.parse((await b.admin.get('/api/catalog/data-requests')).body)).toEqual([]);

    expect(
      (
        await b.admin.post(`/api/catalog/data-requests/${created.id}/answer`, {
          status: 'answered',
          answer: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const answered = await a.admin.post(`/api/catalog/data-requests/${created.id}/answer`, {
      status: 'fulfilled',
      answer: '已新增实时到站接口，见数据集的接口资源。',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const after = JSON.parse(
      (await anonymous.get(`/api/catalog/data-requests/track/${created.trackingCode}`)).body,
    );
    expect(after).toMatchObject({ status: 'fulfilled', answer: '已新增实时到站接口，见数据集的接口资源。' });
    expect(
      (await auditEntries(t.ctx, 'catalog.data_request.answer')).some((e) => e.target_id === created.id),
    ).toBe(true);
  });

  it('keeps the requester’s e-mail encrypted at rest', async () => {
    const created = JSON.parse(
      (await ask({ requesterEmail: 'secret-person@example.com' })).body,
    ) as DataRequestDto;
    const row = await t.ctx.db
      .selectFrom('catalog_data_requests')
      .select('requester_email_enc')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.requester_email_enc).not.toContain('secret-person');
    expect(t.ctx.cipher.decrypt(row.requester_email_enc)).toBe('secret-person@example.com');
  });

  it('addresses a request without a resource to a department, and refuses one with neither', async () => {
    const res = await ask({ datasetName: undefined, departmentId: b.id });
    expect(JSON.parse(res.body).department.id).toBe(b.id);
    expect((await ask({ datasetName: undefined })).statusCode).toBe(400);
    expect((await ask({ datasetName: 'no-such-resource' })).statusCode).toBe(400);
    expect((await ask({ requesterEmail: 'not-an-email' })).statusCode).toBe(400);
  });

  it('answers 404 for an unknown tracking code, and keeps the inbox for staff', async () => {
    expect((await anonymous.get('/api/catalog/data-requests/track/DR-NOPENOPE')).statusCode).toBe(404);
    expect((await anonymous.get('/api/catalog/data-requests')).statusCode).toBe(401);
    expect((await a.handler.get('/api/catalog/data-requests')).statusCode).toBe(403);
  });

  it('masks names for display', () => {
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('Alice')).toBe('A****');
    expect(maskName('李')).toBe('*');
  });
});
