import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DatasetDto, VersionDto } from '../../../contracts/catalog.ts';
import { auditEntries } from '../identity/identity.test-helpers.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from './catalog.test-helpers.ts';

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let anonymous: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  anonymous = new TestClient(t.app);
});
afterAll(async () => t.close());

const body = <T>(res: { body: string }) => JSON.parse(res.body) as T;

async function createDraft(overrides: Record<string, unknown> = {}): Promise<DatasetDto> {
  const res = await a.steward.post('/api/catalog/datasets', { ...openDatasetInput(a.id), ...overrides });
  expect(res.statusCode, res.body).toBe(201);
  return body<DatasetDto>(res);
}

describe('registering resources', () => {
  it('lets a data steward register a draft with a generated resource code, versioned and audited', async () => {
    const ds = await createDraft({ keywords: ['企业', '企业', ' 登记 '] });
    expect(ds.status).toBe('draft');
    expect(ds.version).toBe(1);
    expect(ds.resourceCode).toMatch(new RegExp(`^339900-${a.code}-\\d{5}$`));
    expect(ds.keywords).toEqual(['企业', '登记']);
    expect(ds.department.id).toBe(a.id);
    const second = await createDraft();
    expect(Number(second.resourceCode.slice(-5))).toBe(Number(ds.resourceCode.slice(-5)) + 1);
    const entries = await auditEntries(t.ctx, 'catalog.dataset.create');
    expect(entries.some((e) => e.target_id === ds.id && e.department_id === a.id)).toBe(true);
  });

  it('refuses everyone but the provider department’s stewards', async () => {
    const input = openDatasetInput(a.id);
    expect((await a.admin.post('/api/catalog/datasets', input)).statusCode).toBe(403);
    expect((await a.handler.post('/api/catalog/datasets', input)).statusCode).toBe(403);
    expect((await b.steward.post('/api/catalog/datasets', input)).statusCode).toBe(403);
    expect((await anonymous.post('/api/catalog/datasets', input)).statusCode).toBe(401);
  });

  it.each([
    [{ shareType: 'none', openType: 'none' }, '/shareLegalBasis'],
    [{ shareType: 'none', shareLegalBasis: '《个人信息保护法》第十三条', openType: 'open' }, '/openType'],
    [{ openType: 'open', licenseId: null }, '/licenseId'],
    [{ openType: 'open', shareType: 'conditional', shareCondition: '审批后共享' }, '/shareType'],
    [{ openType: 'conditional', openCondition: null }, '/openCondition'],
    [{ openType: 'none', shareType: 'conditional' }, '/shareCondition'],
    [{ licenseId: 'made-up' }, '/licenseId'],
    [{ themeId: 'no-such-theme' }, '/themeId'],
    [{ related: ['no-such-resource'] }, '/related'],
    [{ temporalStart: '2024-02-01', temporalEnd: '2024-01-01' }, '/temporalEnd'],
  ])('enforces the catalog rules with field errors: %j', async (overrides, path) => {
    const res = await a.steward.post('/api/catalog/datasets', { ...openDatasetInput(a.id), ...overrides });
    expect(res.statusCode, res.body).toBe(400);
    const err = body<{ error: { code: string; details: { fields: { path: string }[] } } }>(res).error;
    expect(err.code).toBe('catalog.rules_violated');
    expect(err.details.fields.map((f) => f.path)).toContain(path);
  });

  it('accepts a not-shared resource with its legal basis, and applies defaults', async () => {
    const res = await a.steward.post('/api/catalog/datasets', {
      name: `secret-${Date.now()}`,
      titleZh: '不予共享的资源',
      departmentId: a.id,
      shareType: 'none',
      shareLegalBasis: '《中华人民共和国个人信息保护法》',
    });
    expect(res.statusCode, res.body).toBe(201);
    const ds = body<DatasetDto>(res);
    expect(ds).toMatchObject({ openType: 'none', updateCycle: 'irregular', catalogKind: 'departmental' });
  });

  it('refuses a taken name with 409, and unknown fields with 400', async () => {
    const ds = await createDraft();
    const res = await a.steward.post('/api/catalog/datasets', openDatasetInput(a.id, { name: ds.name }));
    expect(res.statusCode).toBe(409);
    expect(body<{ error: { code: string } }>(res).error.code).toBe('catalog.name_taken');
    const extra = await a.steward.post('/api/catalog/datasets', { ...openDatasetInput(a.id), surprise: 1 });
    expect(extra.statusCode).toBe(400);
  });
});

describe('lifecycle and review', () => {
  it('goes draft → submitted → published → withdrawn, each step by its role, each a version', async () => {
    const ds = await createDraft();
    expect((await anonymous.get(`/api/catalog/datasets/${ds.name}`)).statusCode).toBe(401);
    expect((await a.admin.post(`/api/catalog/datasets/${ds.id}/submit`)).statusCode).toBe(403);
    const submitted = await a.steward.post(`/api/catalog/datasets/${ds.id}/submit`);
    expect(body<DatasetDto>(submitted).status).toBe('submitted');
    expect(
      (await a.steward.post(`/api/catalog/datasets/${ds.id}/review`, { decision: 'publish' })).statusCode,
    ).toBe(403);
    expect(
      (await b.admin.post(`/api/catalog/datasets/${ds.id}/review`, { decision: 'publish' })).statusCode,
    ).toBe(403);
    const published = body<DatasetDto>(
      await a.admin.post(`/api/catalog/datasets/${ds.id}/review`, { decision: 'publish', note: '同意发布' }),
    );
    expect(published.status).toBe('published');
    expect(published.publishedAt).not.toBeNull();
    expect((await anonymous.get(`/api/catalog/datasets/${ds.name}`)).statusCode).toBe(200);

    const withdrawn = await a.admin.post(`/api/catalog/datasets/${ds.id}/withdraw`, {
      reason: '数据源停止更新',
    });
    expect(body<DatasetDto>(withdrawn).status).toBe('withdrawn');
    expect((await anonymous.get(`/api/catalog/datasets/${ds.name}`)).statusCode).toBe(401);
    const history = body<VersionDto[]>(await a.steward.get(`/api/catalog/datasets/${ds.name}/history`));
    expect(history.map((v) => v.change)).toEqual(['withdrawn', 'published', 'submitted', 'created']);
    expect(history[0]).toMatchObject({
      note: '数据源停止更新',
      diff: [{ field: 'status', before: 'published', after: 'withdrawn' }],
    });
    expect((await auditEntries(t.ctx, 'catalog.dataset.publish')).some((e) => e.target_id === ds.id)).toBe(
      true,
    );
  });

  it('sends a resource back to draft with the reviewer’s note', async () => {
    const ds = await createDraft();
    await a.steward.post(`/api/catalog/datasets/${ds.id}/submit`);
    const rejected = body<DatasetDto>(
      await a.admin.post(`/api/catalog/datasets/${ds.id}/review`, {
        decision: 'reject',
        note: '请补充数据项说明',
      }),
    );
    expect(rejected).toMatchObject({ status: 'draft', reviewNote: '请补充数据项说明' });
  });

  it('answers 409 for a step the current state does not allow', async () => {
    const ds = await createDraft();
    const res = await a.admin.post(`/api/catalog/datasets/${ds.id}/review`, { decision: 'publish' });
    expect(res.statusCode).toBe(409);
    expect(body<{ error: { code: string } }>(res).error.code).toBe('catalog.invalid_state');
  });

  it('deletes a never-published draft, but only withdraws a published one', async () => {
    const draft = await createDraft();
    expect((await a.admin.delete(`/api/catalog/datasets/${draft.id}`)).statusCode).toBe(403);
    expect((await a.steward.delete(`/api/catalog/datasets/${draft.id}`)).statusCode).toBe(204);
    expect((await a.steward.get(`/api/catalog/datasets/${draft.id}`)).statusCode).toBe(404);
    const live = await publishedDataset(t.ctx, openDatasetInput(a.id));
    expect((await a.steward.delete(`/api/catalog/datasets/${live.id}`)).statusCode).toBe(409);
  });
});

describe('versions and history', () => {
  it('records every metadata change as a version with a readable diff', async () => {
    const ds = await createDraft({ titleZh: '旧标题', keywords: ['甲'] });
    const res = await a.steward.patch(`/api/catalog/datasets/${ds.id}`, {
      titleZh: '新标题',
      keywords: ['甲', '乙'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(body<DatasetDto>(res).version).toBe(2);
    const unchanged = await a.steward.patch(`/api/catalog/datasets/${ds.id}`, { titleZh: '新标题' });
    expect(body<DatasetDto>(unchanged).version).toBe(2);
    const [latest] = body<VersionDto[]>(await a.steward.get(`/api/catalog/datasets/${ds.id}/history`));
    expect(latest).toMatchObject({ version: 2, change: 'updated' });
    expect(latest?.diff).toEqual([
      { field: 'keywords', before: ['甲'], after: ['甲', '乙'] },
      { field: 'titleZh', before: '旧标题', after: '新标题' },
    ]);
  });

  it('keeps sharing and opening of a published resource for its department admin to change', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id));
    const change = { openType: 'none', shareType: 'conditional', shareCondition: '经审核同意后共享' };
    const bySteward = await a.steward.patch(`/api/catalog/datasets/${ds.id}`, change);
    expect(bySteward.statusCode).toBe(403);
    expect((await a.steward.patch(`/api/catalog/datasets/${ds.id}`, { titleEn: 'Renamed' })).statusCode).toBe(
      200,
    );
    // Admins review rather than edit, so only a steward who is also admin could; the platform can.
    const row = await t.ctx.db
      .selectFrom('catalog_datasets')
      .select('open_type')
      .where('id', '=', ds.id)
      .executeTakeFirst();
    expect(row?.open_type).toBe('open');
  });
});

describe('who sees what', () => {
  let conditional: DatasetDto;
  let notShared: DatasetDto;
  beforeAll(async () => {
    conditional = await publishedDataset(
      t.ctx,
      openDatasetInput(a.id, { openType: 'none', shareType: 'conditional', shareCondition: '用于行政审批' }),
    );
    notShared = await publishedDataset(
      t.ctx,
      openDatasetInput(a.id, { openType: 'none', shareType: 'none', shareLegalBasis: '《保守国家秘密法》' }),
    );
  });

  it('shows conditionally shared resources to staff of other departments, not to the public', async () => {
    expect((await anonymous.get(`/api/catalog/datasets/${conditional.name}`)).statusCode).toBe(401);
    expect((await b.handler.get(`/api/catalog/datasets/${conditional.name}`)).statusCode).toBe(200);
  });

  it('shows not-shared resources only inside the provider department', async () => {
    expect((await b.admin.get(`/api/catalog/datasets/${notShared.name}`)).statusCode).toBe(403);
    expect((await a.handler.get(`/api/catalog/datasets/${notShared.name}`)).statusCode).toBe(200);
  });

  it('answers 404 for a resource that does not exist', async () => {
    expect((await anonymous.get('/api/catalog/datasets/no-such-thing')).statusCode).toBe(404);
  });
});

describe('freshness', () => {
  it('flags a published resource whose update cycle has passed without a new version', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id, { updateCycle: 'monthly' }));
    expect(ds.overdue).toBe(false);
    expect(ds.nextUpdateDue).not.toBeNull();
    await sql`update catalog_datasets set last_version_at = now() - interval '40 days' where id = ${ds.id}`.execute(
      t.ctx.db,
    );
    const stale = body<DatasetDto>(await anonymous.get(`/api/catalog/datasets/${ds.name}`));
    expect(stale.overdue).toBe(true);
    // A new version renews it.
    await a.steward.patch(`/api/catalog/datasets/${ds.id}`, { descriptionZh: '本月已更新。' });
    expect(body<DatasetDto>(await anonymous.get(`/api/catalog/datasets/${ds.name}`)).overdue).toBe(false);
  });

  it('never flags irregular resources', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id, { updateCycle: 'irregular' }));
    await sql`update catalog_datasets set last_version_at = now() - interval '10 years' where id = ${ds.id}`.execute(
      t.ctx.db,
    );
    const res = body<DatasetDto>(await anonymous.get(`/api/catalog/datasets/${ds.name}`));
    expect(res).toMatchObject({ overdue: false, nextUpdateDue: null });
  });
});
