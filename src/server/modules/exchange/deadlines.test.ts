import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { addWorkingDays } from '../../platform/working-days.ts';
import { type CatalogDept, catalogDepartment, tokenClient } from '../catalog/catalog.test-helpers.ts';
import { STRONG_PASSWORD, uniqueName } from '../identity/identity.test-helpers.ts';
import { createApiToken, createStaff } from '../identity/index.ts';
import { checkDeadlines, exchangeTicks } from './index.ts';
import { pendingRequest, type SharedTable, sharedTable } from './request.test-helpers.ts';

// Decision deadlines: a request's due date counts working days; the tick writes a reminder once
// one working day or less remains and an escalation once overdue, each exactly once, and the
// owner's staff see them in their notices.

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

/** A staff member's client with these roles in the department (or a platform admin's). */
async function staff(departmentId: string, roles: 'auditor'[], isPlatformAdmin = false) {
  const system = systemActor('deadlines-test');
  const person = await createStaff(t.ctx, system, {
    username: uniqueName('xdl'),
    displayName: 'Supervisor',
    password: STRONG_PASSWORD,
    departmentId,
    roles,
    isPlatformAdmin,
  });
  return tokenClient(t.app, (await createApiToken(t.ctx, system, person.id, { name: 't' })).token);
}

const setDue = (id: string, due: Date) =>
  sql`update exchange_requests set due_at = ${due} where id = ${id}`.execute(t.ctx.db);

describe('decision deadlines', () => {
  it('are due after the configured number of working days', async () => {
    const before = new Date();
    const req = await pendingRequest(t.ctx, table, b.id);
    const expected = await addWorkingDays(t.ctx.db, before, t.ctx.config.exchangeDecisionDays);
    expect(req.dueAt).toBe(expected.toISOString());
    expect(t.ctx.config.exchangeDecisionDays).toBe(5);
  });

  it('remind once, escalate once, and show in the owner’s notices', async () => {
    const far = await pendingRequest(t.ctx, table, b.id);
    const soon = await pendingRequest(t.ctx, table, b.id);
    const late = await pendingRequest(t.ctx, table, b.id);
    const now = new Date();
    await setDue(soon.id, new Date(now.getTime() + 60 * 60 * 1000));
    await setDue(late.id, new Date(now.getTime() - 60 * 1000));

    const first = await checkDeadlines(t.ctx, now);
    // The overdue request was also within a day: it gets both.
    expect(first).toEqual({ reminders: 2, escalations: 1 });
    expect(await checkDeadlines(t.ctx, now)).toEqual({ reminders: 0, escalations: 0 });
    // Even with the marks cleared (a racing node), the unique index keeps each notice single.
    await sql`update exchange_requests set reminded_at = null, escalated_at = null`.execute(t.ctx.db);
    expect(await checkDeadlines(t.ctx, now)).toEqual({ reminders: 0, escalations: 0 });

    const notices = await t.ctx.db
      .selectFrom('exchange_notices')
      .select(['request_id', 'kind', 'department_id'])
      .orderBy('id')
      .execute();
    expect(notices.filter((n) => n.request_id === far.id)).toEqual([]);
    expect(notices.filter((n) => n.request_id === soon.id).map((n) => n.kind)).toEqual(['reminder']);
    expect(
      notices
        .filter((n) => n.request_id === late.id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['escalation', 'reminder']);
    expect(new Set(notices.map((n) => n.department_id))).toEqual(new Set([a.id]));

    const escalations = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label'])
      .where('target_id', '=', late.id)
      .where('action', '=', 'exchange.request.escalate')
      .execute();
    expect(escalations).toEqual([{ action: 'exchange.request.escalate', actor_label: 'exchange-deadlines' }]);
    // The reminder is a step of the request's history like any other: in the audit log too.
    const reminded = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label', 'target_id'])
      .where('action', '=', 'exchange.request.remind')
      .where('target_id', 'in', [soon.id, late.id])
      .orderBy('target_id')
      .execute();
    expect(reminded.map((e) => e.target_id).sort()).toEqual([soon.id, late.id].sort());
    expect(new Set(reminded.map((e) => e.actor_label))).toEqual(new Set(['exchange-deadlines']));

    const detail = (await b.admin.get(`/api/exchange/requests/${late.id}`)).json();
    expect(detail.overdue).toBe(true);
    expect(detail.escalatedAt).not.toBeNull();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['create', 'remind', 'escalate']);

    const inbox = await a.steward.get('/api/exchange/notices');
    expect(inbox.statusCode).toBe(200);
    const mine = inbox.json().filter((n: { requestId: string }) => n.requestId === late.id);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      departmentId: a.id,
      requesterDepartmentId: b.id,
      titleZh: '人口信息',
      titleEn: 'Population register',
    });
    expect(mine[0].dueAt).toBe(new Date(now.getTime() - 60 * 1000).toISOString());
    // The requesting department is not the one reminded.
    expect((await b.handler.get('/api/exchange/notices')).json()).toEqual([]);
  });

  it('are written once when two nodes tick at the same moment', async () => {
    const reqs = [];
    for (let i = 0; i < 4; i++) reqs.push(await pendingRequest(t.ctx, table, b.id));
    const now = new Date();
    for (const r of reqs) await setDue(r.id, new Date(now.getTime() - 60 * 1000));
    const [one, two] = await Promise.all([checkDeadlines(t.ctx, now), checkDeadlines(t.ctx, now)]);
    expect(one.reminders + two.reminders).toBe(4);
    expect(one.escalations + two.escalations).toBe(4);
    const events = await t.ctx.db
      .selectFrom('exchange_events')
      .select(['request_id', 'action'])
      .where(
        'request_id',
        'in',
        reqs.map((r) => r.id),
      )
      .where('action', 'in', ['remind', 'escalate'])
      .execute();
    expect(events).toHaveLength(8);
    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where(
        'target_id',
        'in',
        reqs.map((r) => r.id),
      )
      .where('action', 'in', ['exchange.request.remind', 'exchange.request.escalate'])
      .execute();
    expect(audited).toHaveLength(8);
  });

  it('leave decided requests alone', async () => {
    const req = await pendingRequest(t.ctx, table, b.id);
    await setDue(req.id, new Date(Date.now() - 60 * 1000));
    await a.admin.post(`/api/exchange/requests/${req.id}/decision`, {
      decision: 'refuse',
      reason: '不符合条件',
    });
    await checkDeadlines(t.ctx);
    const n = await t.ctx.db
      .selectFrom('exchange_notices')
      .select('id')
      .where('request_id', '=', req.id)
      .execute();
    expect(n).toEqual([]);
  });

  it('reach the deciders first, and those who supervise them once overdue', async () => {
    const owner = await catalogDepartment(t.ctx, t.app);
    const section = await catalogDepartment(t.ctx, t.app, { parentId: owner.id });
    const ownTable = await sharedTable(t.ctx, section.id, 'conditional');
    const auditor = await staff(owner.id, ['auditor']);
    const platformAdmin = await staff(b.id, [], true);
    const soon = await pendingRequest(t.ctx, ownTable, b.id);
    const late = await pendingRequest(t.ctx, ownTable, b.id);
    const now = new Date();
    await setDue(soon.id, new Date(now.getTime() + 60 * 60 * 1000));
    await setDue(late.id, new Date(now.getTime() - 60 * 1000));
    await checkDeadlines(t.ctx, now);

    const received = async (client: TestClient) => {
      const res = await client.get('/api/exchange/notices');
      expect(res.statusCode).toBe(200);
      return res
        .json()
        .filter((n: { requestId: string }) => n.requestId === soon.id || n.requestId === late.id)
        .map(
          (n: { requestId: string; kind: string }) =>
            `${n.requestId === soon.id ? 'soon' : 'late'}:${n.kind}`,
        )
        .sort();
    };
    const all = ['late:escalation', 'late:reminder', 'soon:reminder'];
    // The section's own data admins, and the bureau's above it, decide: they get everything.
    expect(await received(section.steward)).toEqual(all);
    expect(await received(section.admin)).toEqual(all);
    expect(await received(owner.admin)).toEqual(all);
    // Staff who cannot decide get nothing; auditors and platform admins only the overdue request.
    expect(await received(section.handler)).toEqual([]);
    expect(await received(auditor)).toEqual(['late:escalation']);
    expect(await received(platformAdmin)).toEqual(['late:escalation']);
    expect(await received(b.admin)).toEqual([]);

    // Decided, a request calls for nobody any more (its history keeps the notices).
    const decided = await section.steward.post(`/api/exchange/requests/${late.id}/decision`, {
      decision: 'refuse',
      reason: '超出履职所需',
    });
    expect(decided.statusCode).toBe(200);
    expect(await received(section.steward)).toEqual(['soon:reminder']);
    expect(await received(platformAdmin)).toEqual([]);
    const history = decided.json().history.map((h: { action: string }) => h.action);
    expect(history).toEqual(['create', 'remind', 'escalate', 'refuse']);
  });

  it('run from the worker’s ticks', () => {
    expect(exchangeTicks.map((tick) => tick.name)).toContain('exchange.deadlines');
  });
});
