import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { type CatalogDept, catalogDepartment } from '../catalog/catalog.test-helpers.ts';
import { writeAccessLog } from './access-log.writer.ts';
import { logEntry } from './exchange.test-helpers.ts';
import { DEFAULT_PATCHES, requestInput, type SharedTable, sharedTable } from './request.test-helpers.ts';

// Requests over HTTP: the internal catalog, automatic grants of unconditional resources, the
// owner's narrowing-only decision on conditional ones, refusal, withdrawal and the checks on
// what may be asked for. Department A owns the tables; department B asks.

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let conditional: SharedTable;
let unconditional: SharedTable;
let notShared: SharedTable;

beforeAll(async () => {
  t = await createTestApp({ rateLimitPerMinute: 1_000_000 });
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  conditional = await sharedTable(t.ctx, a.id, 'conditional');
  unconditional = await sharedTable(t.ctx, a.id, 'unconditional');
  notShared = await sharedTable(t.ctx, a.id, 'none');
});
afterAll(async () => t.close());

const auditActions = async (targetId: string) =>
  (
    await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', targetId)
      .orderBy('entry_id')
      .execute()
  ).map((r) => r.action);

const ask = (table: SharedTable, overrides = {}) =>
  b.admin.post('/api/exchange/requests', requestInput(table, b.id, overrides));

describe('internal catalog', () => {
  it('lists shared resources with their tables and dictionary, never unshared ones or values', async () => {
    const res = await b.handler.get('/api/exchange/resources?pageSize=100');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((r: { datasetId: string }) => r.datasetId);
    expect(ids).toContain(conditional.datasetId);
    expect(ids).toContain(unconditional.datasetId);
    expect(ids).not.toContain(notShared.datasetId);

    const one = await b.handler.get(`/api/exchange/resources/${conditional.datasetId}`);
    expect(one.statusCode).toBe(200);
    const r = one.json();
    expect(r).toMatchObject({
      shareType: 'conditional',
      shareCondition: '用于政务服务，经审批后共享',
      departmentId: a.id,
      dataItems: [{ name: '姓名', type: 'string', description: '居民姓名' }],
      usage: { calls: 0, rows: 0, failures: 0, p50Ms: null, p95Ms: null, activeGrants: 0 },
    });
    expect(r.departmentNameZh).toContain('测试局');
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]).toMatchObject({ distributionId: conditional.distributionId, rowCount: 3 });
    const income = r.tables[0].columns.find((c: { id: string }) => c.id === 'income');
    expect(income).toEqual({ id: 'income', label: 'income', type: 'integer', sensitivity: 'secret' });
    expect(JSON.stringify(r)).not.toContain('张三');

    expect((await b.handler.get(`/api/exchange/resources/${notShared.datasetId}`)).statusCode).toBe(404);
  });

  it('filters by text, department and share type', async () => {
    const byType = await b.handler.get(
      `/api/exchange/resources?shareType=unconditional&departmentId=${a.id}`,
    );
    expect(byType.json().items.map((r: { datasetId: string }) => r.datasetId)).toEqual([
      unconditional.datasetId,
    ]);
    const byName = await b.handler.get(`/api/exchange/resources?q=${conditional.datasetName}`);
    expect(byName.json().total).toBe(1);
    expect((await b.handler.get('/api/exchange/resources?q=%25%25nothing')).json().total).toBe(0);
    expect((await b.handler.get('/api/exchange/resources?shareType=none')).statusCode).toBe(400);
  });
});

describe('requests for unconditionally shared resources', () => {
  it('pass the automatic compliance check and are granted at once', async () => {
    const res = await ask(unconditional);
    expect(res.statusCode).toBe(201);
    const req = res.json();
    expect(req).toMatchObject({ state: 'approved', autoApproved: true, dueAt: null, decidedBy: 'auto' });
    expect(req.history.map((h: { action: string }) => h.action)).toEqual(['create', 'auto_approve']);
    const grant = await b.admin.get(`/api/exchange/grants/${req.grantId}`);
    expect(grant.json()).toMatchObject({
      state: 'active',
      fields: ['name', 'resident_id', 'district'],
      clearFields: [],
      rowFilter: { district: '东城区' },
      rateLimitPerMinute: 600,
      granteeDepartmentId: b.id,
      ownerDepartmentId: a.id,
    });
    expect(await auditActions(req.id)).toEqual(['exchange.request.create', 'exchange.request.approve']);
  });

  it('go to the owner when confidential access is asked for', async () => {
    const res = await ask(unconditional, { confidential: true });
    expect(res.json()).toMatchObject({ state: 'pending', autoApproved: false, confidential: true });
  });
});

describe('requests for conditionally shared resources', () => {
  it('wait for the owner, who approves with fewer fields, a shorter duration and clear names', async () => {
    const res = await ask(conditional);
    expect(res.statusCode).toBe(201);
    const req = res.json();
    expect(req).toMatchObject({ state: 'pending', autoApproved: false, overdue: false, grantId: null });
    expect(new Date(req.dueAt).getTime()).toBeGreaterThan(Date.now() + 5 * 24 * 3600 * 1000);

    const decided = await a.steward.post(`/api/exchange/requests/${req.id}/decision`, {
      decision: 'approve',
      reason: '仅限办事核验',
      fields: ['name', 'district'],
      rowFilter: { district: '东城区' },
      durationDays: 30,
      clearFields: ['name'],
      rateLimitPerMinute: 60,
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      state: 'approved',
      autoApproved: false,
      decisionReason: '仅限办事核验',
    });
    const grant = (await b.admin.get(`/api/exchange/grants/${decided.json().grantId}`)).json();
    expect(grant).toMatchObject({
      fields: ['name', 'district'],
      clearFields: ['name'],
      rowFilter: { district: '东城区' },
      rateLimitPerMinute: 60,
      state: 'active',
    });
    const days = (new Date(grant.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    expect(grant.history.map((h: { action: string }) => h.action)).toEqual(['approve']);
    expect(await auditActions(req.id)).toEqual(['exchange.request.create', 'exchange.request.approve']);

    // Decided once: a second decision is a conflict.
    const again = await a.steward.post(`/api/exchange/requests/${req.id}/decision`, { decision: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('exchange.request_not_pending');
  });

  it('may add a filter condition but never widen the request', async () => {
    const req = (await ask(conditional, { durationDays: 60 })).json();
    const url = `/api/exchange/requests/${req.id}/decision`;
    const widen = async (body: object) => {
      const res = await a.admin.post(url, { decision: 'approve', ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(409);
      expect(res.json().error.code).toBe('exchange.widening');
      return res.json().error;
    };
    expect((await widen({ fields: ['name', 'phone'] })).details.fields).toEqual(['phone']);
    expect((await widen({ rowFilter: { name: '张三' } })).details.columns).toEqual(['district']);
    await widen({ rowFilter: { district: '西城区' } });
    await widen({ durationDays: 61 });
    await widen({ confidential: true });
    // Out-of-range values are refused with a 400 naming the field, never clamped into range.
    for (const body of [{ durationDays: 9999 }, { durationDays: 0 }, { rateLimitPerMinute: 0 }]) {
      const res = await a.admin.post(url, { decision: 'approve', ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation.failed');
      expect(JSON.stringify(res.json().error.details)).toContain(Object.keys(body)[0]);
    }
    const clear = await a.admin.post(url, { decision: 'approve', clearFields: ['district'] });
    expect(clear.statusCode).toBe(400);
    expect(clear.json().error.code).toBe('exchange.invalid_clear_fields');
    const dropped = await a.admin.post(url, {
      decision: 'approve',
      fields: ['district'],
      clearFields: ['name'],
    });
    expect(dropped.statusCode).toBe(400);

    const narrowed = await a.admin.post(url, {
      decision: 'approve',
      rowFilter: { district: '东城区', name: '张三' },
    });
    expect(narrowed.statusCode).toBe(200);
    const grant = (await a.admin.get(`/api/exchange/grants/${narrowed.json().grantId}`)).json();
    expect(grant.rowFilter).toEqual({ district: '东城区', name: '张三' });
  });

  it('refusal needs a reason', async () => {
    const req = (await ask(conditional)).json();
    const url = `/api/exchange/requests/${req.id}/decision`;
    const bare = await a.admin.post(url, { decision: 'refuse' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('exchange.reason_required');
    expect((await a.admin.post(url, { decision: 'refuse', reason: '  ' })).statusCode).toBe(400);
    const refused = await a.admin.post(url, { decision: 'refuse', reason: '目的与数据无关' });
    expect(refused.json()).toMatchObject({
      state: 'refused',
      decisionReason: '目的与数据无关',
      grantId: null,
    });
    expect(await auditActions(req.id)).toEqual(['exchange.request.create', 'exchange.request.refuse']);
  });

  it('cannot grant a resource whose sharing ended while the request waited', async () => {
    const later = await sharedTable(t.ctx, a.id, 'conditional');
    const req = (await ask(later)).json();
    await t.ctx.db
      .updateTable('catalog_datasets')
      .set({ status: 'withdrawn' })
      .where('id', '=', later.datasetId)
      .execute();
    const res = await a.admin.post(`/api/exchange/requests/${req.id}/decision`, { decision: 'approve' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('exchange.not_shared');
    const refused = await a.admin.post(`/api/exchange/requests/${req.id}/decision`, {
      decision: 'refuse',
      reason: '资源已撤回',
    });
    expect(refused.json().state).toBe('refused');
  });

  it('only the owner decides', async () => {
    const req = (await ask(conditional)).json();
    const url = `/api/exchange/requests/${req.id}/decision`;
    expect((await b.admin.post(url, { decision: 'approve' })).statusCode).toBe(403);
    expect((await a.handler.post(url, { decision: 'approve' })).statusCode).toBe(403);
    expect((await a.admin.post(url, { decision: 'maybe' })).statusCode).toBe(400);
  });

  it('the requester withdraws a pending request', async () => {
    const req = (await ask(conditional)).json();
    const url = `/api/exchange/requests/${req.id}/withdraw`;
    expect((await a.admin.post(url)).statusCode).toBe(403);
    const withdrawn = await b.admin.post(url);
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().state).toBe('withdrawn');
    expect(withdrawn.json().history.map((h: { action: string }) => h.action)).toEqual(['create', 'withdraw']);
    const again = await b.admin.post(url);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('exchange.request_not_pending');
    const decide = await a.admin.post(`/api/exchange/requests/${req.id}/decision`, { decision: 'approve' });
    expect(decide.statusCode).toBe(409);
    expect(await auditActions(req.id)).toEqual(['exchange.request.create', 'exchange.request.withdraw']);
  });
});

describe('what may be asked for', () => {
  const refused = async (status: number, code: string, table: SharedTable, overrides = {}) => {
    const res = await ask(table, overrides);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    return res.json().error;
  };

  it('refuses secret fields, naming them', async () => {
    const error = await refused(400, 'exchange.secret_fields', conditional, { fields: ['name', 'income'] });
    expect(error.details.fields).toEqual(['income']);
    expect(error.message).toContain('income');
  });

  it('tells the forms the longest grant the platform allows, which the server enforces', async () => {
    const res = await b.handler.get('/api/exchange/settings');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ maxGrantDays: 365, defaultRatePerMinute: 600, maxRatePerMinute: 600_000 });
    const over = await refused(400, 'exchange.duration_too_long', unconditional, { durationDays: 366 });
    expect(over.details).toEqual({ maxDays: 365 });
    expect((await ask(unconditional, { durationDays: 365 })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/exchange/settings' })).statusCode).toBe(401);
  });

  it('refuses unknown fields and filter columns', async () => {
    expect(
      (await refused(400, 'exchange.unknown_fields', conditional, { fields: ['nope'] })).details.fields,
    ).toEqual(['nope']);
    await refused(400, 'exchange.unknown_filter_columns', conditional, { rowFilter: { street: 'x' } });
  });

  it('refuses resources that are not shared, own data, too long durations and thin purposes', async () => {
    // Another department's unshared resource is not even visible.
    await refused(404, 'exchange.distribution_not_found', notShared);
    const own = await a.admin.post('/api/exchange/requests', requestInput(conditional, a.id));
    expect(own.statusCode).toBe(400);
    expect(own.json().error.code).toBe('exchange.same_department');
    await refused(400, 'exchange.duration_too_long', unconditional, { durationDays: 400 });
    await refused(400, 'exchange.purpose_required', unconditional, { purpose: '   ' });
    await refused(400, 'validation.failed', unconditional, { legalBasis: '' });
    await refused(400, 'validation.failed', unconditional, { fields: [] });
  });

  it('lets only the requesting department’s data admins ask', async () => {
    expect((await b.handler.post('/api/exchange/requests', requestInput(conditional, b.id))).statusCode).toBe(
      403,
    );
    expect((await a.admin.post('/api/exchange/requests', requestInput(conditional, b.id))).statusCode).toBe(
      403,
    );
  });
});

describe('lists', () => {
  it('shows each side its requests', async () => {
    const req = (await ask(conditional)).json();
    const outgoing = (await b.handler.get('/api/exchange/requests?side=outgoing&state=pending')).json();
    expect(outgoing.items.map((r: { id: string }) => r.id)).toContain(req.id);
    const incoming = (await a.handler.get('/api/exchange/requests?side=incoming&pageSize=100')).json();
    expect(incoming.items.map((r: { id: string }) => r.id)).toContain(req.id);
    expect(incoming.items.every((r: { ownerDepartmentId: string }) => r.ownerDepartmentId === a.id)).toBe(
      true,
    );
    const none = (await a.handler.get('/api/exchange/requests?side=outgoing')).json();
    expect(none.total).toBe(0);
    const page = (await b.handler.get('/api/exchange/requests?pageSize=1&page=2')).json();
    expect(page).toMatchObject({ page: 2, pageSize: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThan(2);
  });
});

describe('column labels and resource titles', () => {
  it('names the columns of requests, grants and access-log rows by their dictionary labels', async () => {
    const labelled = await sharedTable(t.ctx, a.id, 'unconditional', {
      ...DEFAULT_PATCHES,
      name: { label: '姓名', labelEn: 'Name' },
      resident_id: { ...DEFAULT_PATCHES.resident_id, label: '身份证号', labelEn: 'Resident ID number' },
      district: { ...DEFAULT_PATCHES.district, label: '区县' },
    });
    const expected = [
      { id: 'name', label: '姓名', labelEn: 'Name' },
      { id: 'resident_id', label: '身份证号', labelEn: 'Resident ID number' },
      { id: 'district', label: '区县' },
    ];
    const req = await ask(labelled);
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json().columnLabels).toEqual(expected);
    const view = await b.admin.get(`/api/exchange/requests/${req.json().id}`);
    expect(view.json().columnLabels).toEqual(expected);
    const grant = await b.admin.get(`/api/exchange/grants/${req.json().grantId}`);
    expect(grant.json().columnLabels).toEqual(expected);
    const listed = await b.admin.get(`/api/exchange/grants?datasetId=${labelled.datasetId}`);
    expect(listed.json().items[0].columnLabels).toEqual(expected);

    await writeAccessLog(t.ctx.db, [
      logEntry('labels', {
        callId: 'labelled-read',
        grantId: req.json().grantId,
        ownerDepartmentId: a.id,
        requesterDepartmentId: b.id,
        datasetId: labelled.datasetId,
        distributionId: labelled.distributionId,
        operation: 'records',
        fields: ['district', 'name'],
      }),
      logEntry('labels', { callId: 'unknown-read', ownerDepartmentId: a.id, fields: [] }),
    ]);
    const log = await a.admin.get('/api/exchange/access-log?pageSize=200');
    expect(log.statusCode, log.body).toBe(200);
    const rows = log.json().items as { callId: string }[];
    expect(rows.find((r) => r.callId === 'labelled-read')).toMatchObject({
      titleZh: '人口信息',
      titleEn: 'Population register',
      operation: 'records',
      fields: ['district', 'name'],
      columnLabels: [expected[0], expected[2]],
    });
    expect(rows.find((r) => r.callId === 'unknown-read')).toMatchObject({
      titleZh: null,
      titleEn: null,
      columnLabels: [],
    });
  });
});
