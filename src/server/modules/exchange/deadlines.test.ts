import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { addWorkingDays } from '../../platform/working-days.ts';
import { type CatalogDept, catalogDepartment } from '../catalog/catalog.test-helpers.ts';
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

    const detail = (await b.admin.get(`/api/exchange/requests/${late.id}`)).json();
    expect(detail.overdue).toBe(true);
    expect(detail.escalatedAt).not.toBeNull();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['create', 'remind', 'escalate']);

    const inbox = await a.handler.get('/api/exchange/notices');
    expect(inbox.statusCode).toBe(200);
    const mine = inbox.json().filter((n: { requestId: string }) => n.requestId === late.id);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      departmentId: a.id,
      titleZh: '人口信息',
      titleEn: 'Population register',
    });
    expect(mine[0].dueAt).toBe(new Date(now.getTime() - 60 * 1000).toISOString());
    // The requesting department is not the one reminded.
    expect((await b.handler.get('/api/exchange/notices')).json()).toEqual([]);
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

  it('run from the worker’s ticks', () => {
    expect(exchangeTicks.map((tick) => tick.name)).toContain('exchange.deadlines');
  });
});
