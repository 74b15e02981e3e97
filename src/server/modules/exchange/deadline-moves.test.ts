import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { endOfChinaDay } from '../../platform/working-days.ts';
import { type CatalogDept, catalogDepartment, tokenClient } from '../catalog/catalog.test-helpers.ts';
import { STRONG_PASSWORD } from '../identity/identity.test-helpers.ts';
import { createApiToken, createStaff } from '../identity/index.ts';
import { checkDeadlines } from './index.ts';
import { pendingRequest, type SharedTable, sharedTable } from './request.test-helpers.ts';

// A platform admin who makes a day a day off (or a working day again) moves the decision deadline
// of every pending request that counts that day, in the same transaction, recorded as an event and
// an audit entry; decided requests and requests whose window does not hold the day stay as they are,
// and a reminder written for the old deadline does not keep the new one from having its own.
//
// Windows lie in March 2027 (no official holidays), submitted on Monday 8 March: five working days
// are 9, 10, 11, 12 and 15 March.

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let table: SharedTable;
let admin: TestClient;

/** An instant on a day in Beijing. */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const endOf = (day: string) => endOfChinaDay(day).toISOString();

beforeAll(async () => {
  t = await createTestApp({ rateLimitPerMinute: 1_000_000 });
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  table = await sharedTable(t.ctx, a.id, 'conditional');
  const person = await createStaff(t.ctx, systemActor('test'), {
    username: 'moves.admin',
    displayName: 'moves.admin',
    password: STRONG_PASSWORD,
    departmentId: a.id,
    roles: [],
    isPlatformAdmin: true,
  });
  const { token } = await createApiToken(t.ctx, systemActor('test'), person.id, { name: 'moves test' });
  admin = tokenClient(t.app, token);
});
afterAll(async () => t.close());

/** A pending request as if submitted at `submitted` and due at the end of `dueDay`. */
async function requestIn(submitted: Date, dueDay: string) {
  const req = await pendingRequest(t.ctx, table, b.id);
  await sql`update exchange_requests set created_at = ${submitted}, due_at = ${endOfChinaDay(dueDay)}
            where id = ${req.id}`.execute(t.ctx.db);
  return req.id;
}

const dueOf = async (id: string) => {
  const r = await t.ctx.db
    .selectFrom('exchange_requests')
    .select('due_at')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return r.due_at && new Date(r.due_at).toISOString();
};

const history = async (id: string) =>
  (await a.admin.get(`/api/exchange/requests/${id}`)).json().history as {
    action: string;
    actor: string;
    details: Record<string, unknown>;
  }[];

const audits = (id: string) =>
  t.ctx.db
    .selectFrom('audit_log')
    .select(['actor_label', 'details', 'department_id'])
    .where('target_id', '=', id)
    .where('action', '=', 'exchange.request.deadline_change')
    .orderBy('entry_id')
    .execute();

async function setDay(day: string, working: boolean, note = '') {
  const res = await admin.request('PUT', `/api/admin/working-days/${day}`, { working, note });
  expect(res.statusCode, res.body).toBe(200);
}

async function clearDay(day: string) {
  const res = await admin.delete(`/api/admin/working-days/${day}`);
  expect(res.statusCode, res.body).toBe(204);
}

describe('a calendar change moves pending deadlines', () => {
  it('later for a day off inside the window, back when the override goes; others stay', async () => {
    const pending = await requestIn(at('2027-03-08'), '2027-03-15');
    // Decided: its deadline no longer matters.
    const refused = await requestIn(at('2027-03-08'), '2027-03-15');
    const res = await a.admin.post(`/api/exchange/requests/${refused}/decision`, {
      decision: 'refuse',
      reason: '不符合条件',
    });
    expect(res.statusCode, res.body).toBe(200);
    // Due before the day; and submitted on the day itself (the day of submission is not counted).
    const before = await requestIn(at('2027-03-01'), '2027-03-08');
    const sameDay = await requestIn(at('2027-03-10'), '2027-03-17');

    await setDay('2027-03-10', false, '地方节日');
    expect(await dueOf(pending)).toBe(endOf('2027-03-16'));
    expect(await dueOf(refused)).toBe(endOf('2027-03-15'));
    expect(await dueOf(before)).toBe(endOf('2027-03-08'));
    expect(await dueOf(sameDay)).toBe(endOf('2027-03-17'));

    // Only the standing of the day matters: a new note moves nothing.
    await setDay('2027-03-10', false, '地方节日（补充说明）');
    expect(await dueOf(pending)).toBe(endOf('2027-03-16'));

    await clearDay('2027-03-10');
    expect(await dueOf(pending)).toBe(endOf('2027-03-15'));

    // A weekend made a working day moves a deadline earlier.
    await setDay('2027-03-13', true, '补班');
    expect(await dueOf(pending)).toBe(endOf('2027-03-13'));
    await clearDay('2027-03-13');
    expect(await dueOf(pending)).toBe(endOf('2027-03-15'));

    const moves = (await history(pending)).filter((h) => h.action === 'deadline_change');
    expect(moves.map((m) => m.details)).toEqual([
      { day: '2027-03-10', working: false, fromDueAt: endOf('2027-03-15'), dueAt: endOf('2027-03-16') },
      { day: '2027-03-10', working: true, fromDueAt: endOf('2027-03-16'), dueAt: endOf('2027-03-15') },
      { day: '2027-03-13', working: true, fromDueAt: endOf('2027-03-15'), dueAt: endOf('2027-03-13') },
      { day: '2027-03-13', working: false, fromDueAt: endOf('2027-03-13'), dueAt: endOf('2027-03-15') },
    ]);
    expect(moves.every((m) => m.actor === 'moves.admin')).toBe(true);
    const logged = await audits(pending);
    expect(logged).toHaveLength(4);
    expect(logged[0]).toMatchObject({ actor_label: 'moves.admin', department_id: a.id });
    expect(JSON.parse(logged[0]!.details as unknown as string)).toMatchObject({
      day: '2027-03-10',
      dueAt: endOf('2027-03-16'),
    });
    for (const id of [refused, before]) {
      expect((await history(id)).map((h) => h.action)).not.toContain('deadline_change');
      expect(await audits(id)).toEqual([]);
    }
    // Submitted on the 10th, it never counted that day; Saturday the 13th it does count.
    const sameDayMoves = (await history(sameDay)).filter((h) => h.action === 'deadline_change');
    expect(sameDayMoves.map((m) => [m.details.day, m.details.dueAt])).toEqual([
      ['2027-03-13', endOf('2027-03-16')],
      ['2027-03-13', endOf('2027-03-17')],
    ]);
  });

  it('a day outside every window changes nothing', async () => {
    const pending = await requestIn(at('2027-03-08'), '2027-03-15');
    await setDay('2027-03-18', false);
    await setDay('2027-03-05', false);
    expect(await dueOf(pending)).toBe(endOf('2027-03-15'));
    expect(await audits(pending)).toEqual([]);
    await clearDay('2027-03-18');
    await clearDay('2027-03-05');
  });

  it('a reminder for the old deadline does not keep the later one from its own', async () => {
    const pending = await requestIn(at('2027-03-08'), '2027-03-15');
    // Friday 12 March: one working day remains.
    const first = await checkDeadlines(t.ctx, at('2027-03-12'));
    expect(first.reminders).toBeGreaterThanOrEqual(1);
    const reminders = () =>
      t.ctx.db.selectFrom('exchange_notices').select('kind').where('request_id', '=', pending).execute();
    expect(await reminders()).toEqual([{ kind: 'reminder' }]);

    await setDay('2027-03-11', false);
    expect(await dueOf(pending)).toBe(endOf('2027-03-16'));
    // The old reminder is withdrawn (today is well before the new deadline's reminder)…
    expect(await reminders()).toEqual([]);
    const move = (await history(pending)).find((h) => h.action === 'deadline_change');
    expect(move?.details).toMatchObject({ noticesWithdrawn: ['reminder'] });
    // … and the tick reminds again for the new deadline, once.
    await checkDeadlines(t.ctx, at('2027-03-15'));
    expect(await reminders()).toEqual([{ kind: 'reminder' }]);
    await checkDeadlines(t.ctx, at('2027-03-15'));
    expect((await history(pending)).map((h) => h.action)).toEqual([
      'create',
      'remind',
      'deadline_change',
      'remind',
    ]);
    await clearDay('2027-03-11');
  });
  it('recomputes with the working days the request was given, not the current setting', async () => {
    const fresh = await pendingRequest(t.ctx, table, b.id);
    const stored = await t.ctx.db
      .selectFrom('exchange_requests')
      .select('decision_days')
      .where('id', '=', fresh.id)
      .executeTakeFirstOrThrow();
    expect(stored.decision_days).toBe(t.ctx.config.exchangeDecisionDays);
    // Submitted on Monday 22 March when the setting was three days: due Thursday 25 March.
    const id = await requestIn(at('2027-03-22'), '2027-03-25');
    await sql`update exchange_requests set decision_days = 3 where id = ${id}`.execute(t.ctx.db);
    await setDay('2027-03-24', false, '临时休息');
    // 23, 25, 26 March: three working days still (five would run to 30 March).
    expect(await dueOf(id)).toBe(endOf('2027-03-26'));
    await clearDay('2027-03-24');
    expect(await dueOf(id)).toBe(endOf('2027-03-25'));
  });
});
