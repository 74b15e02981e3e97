import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { type CatalogDept, catalogDepartment } from '../catalog/catalog.test-helpers.ts';
import { hashCredential } from './credential.ts';
import { NO_LONGER_SHARED } from './grant-stop.service.ts';
import { findGrant } from './index.ts';
import { activeGrant, type SharedTable, sharedTable } from './request.test-helpers.ts';

// Grants over HTTP: the credential shown once and rotated, the lifecycle and its invalid
// transitions, `expired` reported from the expiry, and usage figures from the access log.

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let table: SharedTable;

beforeAll(async () => {
  t = await createTestApp({ rateLimitPerMinute: 1_000_000 });
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  table = await sharedTable(t.ctx, a.id, 'conditional');
});
afterAll(async () => t.close());

const newGrant = async () => (await activeGrant(t.ctx, table, b.id)).grantId;
const audits = async (grantId: string) =>
  (
    await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', grantId)
      .orderBy('entry_id')
      .execute()
  ).map((r) => r.action);

describe('credential', () => {
  it('is issued once to the grantee and rotation replaces the old one', async () => {
    const id = await newGrant();
    expect((await a.admin.post(`/api/exchange/grants/${id}/credential`)).statusCode).toBe(403);
    const first = await b.steward.post(`/api/exchange/grants/${id}/credential`);
    expect(first.statusCode).toBe(201);
    const issued = first.json();
    expect(issued.credential).toMatch(/^cvx_/);
    expect(issued.credential.startsWith(issued.prefix)).toBe(true);
    const stored = await findGrant(t.ctx.db, id);
    expect(stored?.credential_hash).toBe(hashCredential(issued.credential));

    // Never shown again: the grant tells only the prefix.
    const shown = await b.admin.get(`/api/exchange/grants/${id}`);
    expect(shown.body).not.toContain(issued.credential);
    expect(shown.json()).toMatchObject({ credentialPrefix: issued.prefix });

    const second = (await b.admin.post(`/api/exchange/grants/${id}/credential`)).json();
    expect(second.credential).not.toBe(issued.credential);
    const rotated = await findGrant(t.ctx.db, id);
    expect(rotated?.credential_hash).toBe(hashCredential(second.credential));
    const old = await t.ctx.db
      .selectFrom('exchange_grants')
      .select('id')
      .where('credential_hash', '=', hashCredential(issued.credential))
      .execute();
    expect(old).toEqual([]);
    expect(await audits(id)).toEqual(['exchange.credential.issue', 'exchange.credential.issue']);
    const history = (await b.admin.get(`/api/exchange/grants/${id}`)).json().history;
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'approve',
      'credential_issue',
      'credential_issue',
    ]);
    expect(JSON.stringify(history)).not.toContain(second.credential);
  });
});

describe('lifecycle', () => {
  it('suspends, resumes, renews and revokes, each audited', async () => {
    const id = await newGrant();
    const url = (action: string) => `/api/exchange/grants/${id}/${action}`;
    const suspended = await b.admin.post(url('suspend'), { reason: '系统迁移' });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({ state: 'suspended', stateReason: '系统迁移' });

    const twice = await a.admin.post(url('suspend'));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('exchange.grant_already_suspended');
    // The grantee may stop its own grant but not restart it.
    expect((await b.admin.post(url('resume'))).statusCode).toBe(403);
    const resumed = await a.steward.post(url('resume'));
    expect(resumed.json()).toMatchObject({ state: 'active', stateReason: null });
    const notSuspended = await a.steward.post(url('resume'));
    expect(notSuspended.statusCode).toBe(409);
    expect(notSuspended.json().error.code).toBe('exchange.grant_not_suspended');

    expect((await a.admin.post(url('renew'))).json().error.code).toBe('exchange.days_required');
    expect((await a.admin.post(url('renew'), { days: 400 })).json().error.code).toBe(
      'exchange.duration_too_long',
    );
    expect((await a.admin.post(url('suspend'), { days: 4 })).json().error.code).toBe(
      'exchange.days_only_for_renew',
    );
    expect((await b.admin.post(url('renew'), { days: 10 })).statusCode).toBe(403);
    const renewed = (await a.admin.post(url('renew'), { days: 200 })).json();
    const days = (new Date(renewed.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(199.9);
    expect(days).toBeLessThan(200.1);

    expect((await a.handler.post(url('revoke'))).statusCode).toBe(403);
    // Stopping a grant states why.
    for (const action of ['revoke', 'suspend']) {
      for (const body of [undefined, { reason: '  ' }]) {
        const res = await a.admin.post(url(action), body);
        expect(res.statusCode, action).toBe(400);
        expect(res.json().error.code).toBe('exchange.reason_required');
      }
    }
    const revoked = await a.admin.post(url('revoke'), { reason: '不再需要' });
    expect(revoked.json()).toMatchObject({ state: 'revoked', stateReason: '不再需要' });
    for (const action of ['revoke', 'suspend', 'resume']) {
      const res = await a.admin.post(url(action));
      expect(res.statusCode, action).toBe(409);
      expect(res.json().error.code).toBe('exchange.grant_revoked');
    }
    const renewRevoked = await a.admin.post(url('renew'), { days: 10 });
    expect(renewRevoked.json().error.code).toBe('exchange.grant_revoked');
    const credential = await b.admin.post(`/api/exchange/grants/${id}/credential`);
    expect(credential.statusCode).toBe(409);
    expect(credential.json().error.code).toBe('exchange.grant_revoked');

    expect(await audits(id)).toEqual([
      'exchange.grant.suspend',
      'exchange.grant.resume',
      'exchange.grant.renew',
      'exchange.grant.revoke',
    ]);
    const history = (await a.admin.get(`/api/exchange/grants/${id}`)).json().history;
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'approve',
      'suspend',
      'resume',
      'renew',
      'revoke',
    ]);
    expect(history[1]).toMatchObject({ note: '系统迁移', details: { from: 'active' } });
  });

  it('never cuts a grant short by renewing it', async () => {
    const id = await newGrant();
    const before = (await a.admin.get(`/api/exchange/grants/${id}`)).json().expiresAt;
    const left = (new Date(before).getTime() - Date.now()) / 86_400_000;
    expect(left).toBeGreaterThan(10);
    // "Extend from today by 5 days" on a grant that runs longer than that would end it sooner.
    const shorter = await a.admin.post(`/api/exchange/grants/${id}/renew`, { days: 5 });
    expect(shorter.statusCode).toBe(409);
    expect(shorter.json().error).toMatchObject({
      code: 'exchange.renew_shortens',
      details: { expiresAt: before },
    });
    expect((await a.admin.get(`/api/exchange/grants/${id}`)).json().expiresAt).toBe(before);
    expect(await audits(id)).toEqual([]);
    const longer = await a.admin.post(`/api/exchange/grants/${id}/renew`, { days: Math.ceil(left) + 1 });
    expect(longer.statusCode).toBe(200);
    expect(new Date(longer.json().expiresAt).getTime()).toBeGreaterThan(new Date(before).getTime());
  });

  it('reports a grant past its expiry as expired until it is renewed', async () => {
    const id = await newGrant();
    await sql`update exchange_grants set expires_at = now() - interval '1 minute' where id = ${id}`.execute(
      t.ctx.db,
    );
    expect((await b.admin.get(`/api/exchange/grants/${id}`)).json().state).toBe('expired');
    const expired = (await b.admin.get('/api/exchange/grants?state=expired&side=outgoing')).json();
    expect(expired.items.map((g: { id: string }) => g.id)).toEqual([id]);
    const active = (await b.admin.get('/api/exchange/grants?state=active')).json();
    expect(active.items.map((g: { id: string }) => g.id)).not.toContain(id);
    const credential = await b.admin.post(`/api/exchange/grants/${id}/credential`);
    expect(credential.json().error.code).toBe('exchange.grant_expired');
    expect((await a.admin.post(`/api/exchange/grants/${id}/renew`, { days: 5 })).json().state).toBe('active');
  });

  it('lists grants by side for each department', async () => {
    const id = await newGrant();
    const incoming = (
      await a.handler.get(`/api/exchange/grants?side=incoming&datasetId=${table.datasetId}`)
    ).json();
    expect(incoming.items.map((g: { id: string }) => g.id)).toContain(id);
    expect((await a.handler.get('/api/exchange/grants?side=outgoing')).json().total).toBe(0);
    expect(
      (await b.handler.get('/api/exchange/grants?side=outgoing'))
        .json()
        .items.map((g: { id: string }) => g.id),
    ).toContain(id);
    expect((await b.handler.get('/api/exchange/grants?state=nonsense')).statusCode).toBe(400);
  });
});

describe('usage figures', () => {
  it('counts calls, rows, failures and latency from the access log', async () => {
    const id = await newGrant();
    const row = (latency: number, rows: number, outcome: string) => ({
      at: new Date(),
      call_id: `call-${Math.random()}`,
      grant_id: id,
      requester_department_id: b.id,
      owner_department_id: a.id,
      dataset_id: table.datasetId,
      distribution_id: table.distributionId,
      operation: 'lookup',
      row_count: rows,
      latency_ms: latency,
      outcome,
      status: outcome === 'ok' ? 200 : 429,
    });
    await t.ctx.db
      .insertInto('exchange_access_log')
      .values([row(10, 1, 'ok'), row(20, 2, 'ok'), row(30, 0, 'rate_limited'), row(40, 5, 'ok')])
      .execute();
    // An old call falls outside the window.
    await t.ctx.db
      .insertInto('exchange_access_log')
      .values({ ...row(1000, 100, 'ok'), at: new Date(Date.now() - 40 * 86_400_000) })
      .execute();

    const usage = await b.handler.get(`/api/exchange/usage?datasetId=${table.datasetId}`);
    expect(usage.statusCode).toBe(200);
    const u = usage.json();
    expect(u.days).toBe(30);
    expect(u.total).toMatchObject({ calls: 4, rows: 8, failures: 1, p50Ms: 25 });
    expect(u.total.p95Ms).toBeCloseTo(38.5, 1);
    expect(u.total.activeGrants).toBeGreaterThan(0);
    expect(u.byDepartment).toEqual([expect.objectContaining({ departmentId: b.id, calls: 4 })]);
    expect(u.byResource).toEqual([expect.objectContaining({ datasetId: table.datasetId, calls: 4 })]);
    expect(
      (await b.handler.get(`/api/exchange/usage?datasetId=${table.datasetId}&days=60`)).json().total.calls,
    ).toBe(5);

    const mine = (await a.handler.get(`/api/exchange/usage?departmentId=${a.id}`)).json();
    expect(mine.total.calls).toBe(4);
    expect((await a.handler.get(`/api/exchange/usage?departmentId=${b.id}`)).statusCode).toBe(403);
    expect((await a.handler.get('/api/exchange/usage')).statusCode).toBe(403);

    const shared = (await b.handler.get(`/api/exchange/resources/${table.datasetId}`)).json();
    expect(shared.usage).toMatchObject({ calls: 4, rows: 8, failures: 1 });
  });
});

describe('a resource that stops being shared', () => {
  it('has its active grants suspended, with the reason, when it is withdrawn', async () => {
    const own = await sharedTable(t.ctx, a.id, 'conditional');
    const first = (await activeGrant(t.ctx, own, b.id)).grantId;
    const second = (await activeGrant(t.ctx, own, b.id)).grantId;
    const revoked = (await activeGrant(t.ctx, own, b.id)).grantId;
    expect(
      (await b.admin.post(`/api/exchange/grants/${revoked}/revoke`, { reason: '不再需要' })).statusCode,
    ).toBe(200);
    // Another resource's grant is left alone.
    const other = await newGrant();

    const withdrawn = await a.admin.post(`/api/catalog/datasets/${own.datasetId}/withdraw`, {
      reason: '数据口径调整',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    for (const id of [first, second]) {
      const g = (await b.admin.get(`/api/exchange/grants/${id}`)).json();
      expect(g).toMatchObject({ state: 'suspended', stateReason: NO_LONGER_SHARED });
      expect(await audits(id)).toContain('exchange.grant.suspend');
    }
    expect((await findGrant(t.ctx.db, revoked))?.state).toBe('revoked');
    expect((await findGrant(t.ctx.db, other))?.state).toBe('active');
  });
});
