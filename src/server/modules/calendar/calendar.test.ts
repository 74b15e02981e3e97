import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { WorkingDayDto, WorkingDaysPageDto } from '../../../contracts/calendar.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { addWorkingDays, endOfChinaDay, isWorkingDay } from '../../platform/working-days.ts';
import { createApiToken, createDepartment, createStaff } from '../identity/index.ts';
import { onWorkingDayChanged, type WorkingDayChange } from './index.ts';

// The working-day calendar through HTTP, on whichever engine the suite runs on: overrides change
// what deadlines count, deleting one restores the official calendar, bad days are refused, and every
// change leaves an audit entry with the override before and after.

let t: TestApp;
let admin: string;
let deptAdmin: string;

/** Noon in Beijing on a day. */
const noon = (day: string) => new Date(`${day}T12:00:00+08:00`);

async function staffWithToken(username: string, departmentId: string, isPlatformAdmin: boolean) {
  const person = await createStaff(t.ctx, systemActor('test'), {
    username,
    displayName: username,
    password: 'Calendar-Test-2026',
    departmentId,
    roles: isPlatformAdmin ? [] : ['dept_admin'],
    isPlatformAdmin,
  });
  return (await createApiToken(t.ctx, systemActor('test'), person.id, { name: 'calendar test' })).token;
}

beforeAll(async () => {
  t = await createTestApp();
  const dept = await createDepartment(t.ctx, systemActor('test'), {
    code: 'CAL',
    nameZh: '日历测试局',
    nameEn: 'Calendar bureau',
  });
  admin = await staffWithToken('cal.admin', dept.id, true);
  deptAdmin = await staffWithToken('cal.deptadmin', dept.id, false);
});
afterAll(async () => t.close());

const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, token = admin, body?: object) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body ? { payload: body } : {}),
  });

async function days(from: string, to: string): Promise<Map<string, WorkingDayDto>> {
  const res = await call('GET', `/api/admin/working-days?from=${from}&to=${to}`);
  expect(res.statusCode, res.body).toBe(200);
  const page = res.json() as WorkingDaysPageDto;
  return new Map(page.days.map((d) => [d.date, d]));
}

async function auditOf(action: string) {
  const rows = await t.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('entry_id')
    .execute();
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

describe('working-day calendar administration', () => {
  it('lists each day of a range with its source and holiday name', async () => {
    const res = await call('GET', '/api/admin/working-days?from=2026-09-28&to=2026-10-11');
    expect(res.statusCode).toBe(200);
    const page = res.json() as WorkingDaysPageDto;
    expect(page.days).toHaveLength(14);
    expect(page.officialDataUntil).toBeGreaterThanOrEqual(2026);
    const byDay = new Map(page.days.map((d) => [d.date, d]));
    expect(byDay.get('2026-09-30')).toMatchObject({ working: true, source: 'weekday', holidayZh: null });
    expect(byDay.get('2026-10-01')).toMatchObject({
      working: false,
      source: 'official',
      officialWorking: false,
      holidayZh: '国庆节',
      holidayEn: 'National Day',
      note: null,
    });
    // Saturday 10 October 2026 is a make-up workday (调休) of the National Day week.
    expect(byDay.get('2026-10-10')).toMatchObject({ working: true, source: 'official', holidayZh: '国庆节' });
    expect(byDay.get('2026-10-11')).toMatchObject({ working: false, source: 'weekend' });
  });

  it('an override makes a weekend a working day and a weekday a day off, and deadlines follow', async () => {
    // Without overrides, 4 working days after Monday 16 November 2026: 17, 18, 19, 20.
    expect((await addWorkingDays(t.ctx.db, noon('2026-11-16'), 4)).toISOString()).toBe(
      endOfChinaDay('2026-11-20').toISOString(),
    );
    const sat = await call('PUT', '/api/admin/working-days/2026-11-21', admin, {
      working: true,
      note: '  补班  ',
    });
    expect(sat.statusCode, sat.body).toBe(200);
    expect(sat.json()).toMatchObject({
      date: '2026-11-21',
      working: true,
      source: 'override',
      officialWorking: false,
      note: '补班',
    });
    const wed = await call('PUT', '/api/admin/working-days/2026-11-18', admin, {
      working: false,
      note: '地方节日',
    });
    expect(wed.statusCode, wed.body).toBe(200);

    const listed = await days('2026-11-16', '2026-11-22');
    expect(listed.get('2026-11-18')).toMatchObject({ working: false, source: 'override', note: '地方节日' });
    expect(listed.get('2026-11-21')).toMatchObject({ working: true, source: 'override', note: '补班' });
    expect(listed.get('2026-11-19')).toMatchObject({ working: true, source: 'weekday', note: null });
    expect(await isWorkingDay(t.ctx.db, '2026-11-21')).toBe(true);
    expect(await isWorkingDay(t.ctx.db, '2026-11-18')).toBe(false);
    // Now: 17, (18 off), 19, 20, 21 (Saturday, on).
    expect((await addWorkingDays(t.ctx.db, noon('2026-11-16'), 4)).toISOString()).toBe(
      endOfChinaDay('2026-11-21').toISOString(),
    );

    // Replacing an override records what it replaced.
    const again = await call('PUT', '/api/admin/working-days/2026-11-18', admin, { working: true });
    expect(again.json()).toMatchObject({ working: true, source: 'override', note: '' });
    const sets = await auditOf('calendar.override.set');
    expect(sets.map((e) => e.details)).toEqual([
      { day: '2026-11-21', before: null, after: { working: true, note: '补班' } },
      { day: '2026-11-18', before: null, after: { working: false, note: '地方节日' } },
      {
        day: '2026-11-18',
        before: { working: false, note: '地方节日' },
        after: { working: true, note: '' },
      },
    ]);
    expect(sets[0]).toMatchObject({
      actor_label: 'cal.admin',
      target_type: 'working_day',
      target_id: '2026-11-21',
    });
  });

  it('deleting an override restores the official calendar', async () => {
    for (const day of ['2026-11-18', '2026-11-21']) {
      const res = await call('DELETE', `/api/admin/working-days/${day}`);
      expect(res.statusCode, res.body).toBe(204);
    }
    const listed = await days('2026-11-16', '2026-11-22');
    expect(listed.get('2026-11-18')).toMatchObject({ working: true, source: 'weekday', note: null });
    expect(listed.get('2026-11-21')).toMatchObject({ working: false, source: 'weekend', note: null });
    expect((await addWorkingDays(t.ctx.db, noon('2026-11-16'), 4)).toISOString()).toBe(
      endOfChinaDay('2026-11-20').toISOString(),
    );
    const deletes = await auditOf('calendar.override.delete');
    expect(deletes.map((e) => e.details)).toEqual([
      { day: '2026-11-18', before: { working: true, note: '' }, after: null },
      { day: '2026-11-21', before: { working: true, note: '补班' }, after: null },
    ]);
    // Nothing left to remove: 404, and no audit entry for it.
    const gone = await call('DELETE', '/api/admin/working-days/2026-11-21');
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('calendar.override_not_found');
    expect(await auditOf('calendar.override.delete')).toHaveLength(2);
  });

  it('refuses days that are not days, reversed and overlong ranges, and bad bodies', async () => {
    const code = async (method: 'GET' | 'PUT' | 'DELETE', url: string, body?: object) => {
      const res = await call(method, url, admin, body);
      return `${res.statusCode} ${res.json().error?.code}`;
    };
    const ok = { working: false };
    expect(await code('PUT', '/api/admin/working-days/2026-02-30', ok)).toBe('400 calendar.invalid_day');
    expect(await code('PUT', '/api/admin/working-days/2025-02-29', ok)).toBe('400 calendar.invalid_day');
    expect(await code('PUT', '/api/admin/working-days/2026-13-01', ok)).toBe('400 calendar.invalid_day');
    expect(await code('PUT', '/api/admin/working-days/0999-01-01', ok)).toBe('400 calendar.invalid_day');
    expect(await code('PUT', '/api/admin/working-days/2026-1-5', ok)).toBe('400 validation.failed');
    expect(await code('PUT', '/api/admin/working-days/today', ok)).toBe('400 validation.failed');
    expect(await code('DELETE', '/api/admin/working-days/2026-04-31')).toBe('400 calendar.invalid_day');
    expect(await code('PUT', '/api/admin/working-days/2026-11-20', {})).toBe('400 validation.failed');
    expect(await code('PUT', '/api/admin/working-days/2026-11-20', { working: 'yes' })).toBe(
      '400 validation.failed',
    );
    expect(
      await code('PUT', '/api/admin/working-days/2026-11-20', { working: true, note: 'x'.repeat(201) }),
    ).toBe('400 validation.failed');
    expect(await code('PUT', '/api/admin/working-days/2026-11-20', { working: true, extra: 1 })).toBe(
      '400 validation.failed',
    );
    expect(await code('GET', '/api/admin/working-days?from=2026-11-01')).toBe('400 validation.failed');
    expect(await code('GET', '/api/admin/working-days?from=2026-11-31&to=2026-12-01')).toBe(
      '400 calendar.invalid_day',
    );
    expect(await code('GET', '/api/admin/working-days?from=2026-12-01&to=2026-11-01')).toBe(
      '400 calendar.bad_range',
    );
    expect(await code('GET', '/api/admin/working-days?from=2026-01-01&to=2027-02-05')).toBe(
      '400 calendar.range_too_long',
    );
    // 400 days exactly is allowed.
    expect(await code('GET', '/api/admin/working-days?from=2026-01-01&to=2027-02-04')).toBe('200 undefined');
    expect(await auditOf('calendar.override.set')).toHaveLength(3);
  });

  it('is for platform admins only', async () => {
    const list = await call('GET', '/api/admin/working-days?from=2026-11-01&to=2026-11-30', deptAdmin);
    expect(list.statusCode).toBe(403);
    const put = await call('PUT', '/api/admin/working-days/2026-11-20', deptAdmin, { working: false });
    expect(put.statusCode).toBe(403);
    const anon = await t.app.inject({
      method: 'GET',
      url: '/api/admin/working-days?from=2026-11-01&to=2026-11-30',
    });
    expect(anon.statusCode).toBe(401);
    expect(await isWorkingDay(t.ctx.db, '2026-11-20')).toBe(true);
  });

  it('tells listeners of a day changing standing, inside the change’s transaction', async () => {
    const heard: Pick<WorkingDayChange, 'day' | 'working'>[] = [];
    onWorkingDayChanged(async (_trx, _ctx, change) => {
      if (!change.day.startsWith('2027-05-')) return;
      if (change.day === '2027-05-13') throw new Error('listener refuses');
      heard.push({ day: change.day, working: change.working });
    });
    expect(
      (await call('PUT', '/api/admin/working-days/2027-05-12', admin, { working: false })).statusCode,
    ).toBe(200);
    // Same standing, new note: nothing to tell.
    await call('PUT', '/api/admin/working-days/2027-05-12', admin, { working: false, note: '说明' });
    // An override that agrees with the official calendar changes nothing either.
    await call('PUT', '/api/admin/working-days/2027-05-15', admin, { working: false });
    expect((await call('DELETE', '/api/admin/working-days/2027-05-12')).statusCode).toBe(204);
    expect(heard).toEqual([
      { day: '2027-05-12', working: false },
      { day: '2027-05-12', working: true },
    ]);
    // A listener's failure fails the change: no override, no audit entry.
    const audited = (await auditOf('calendar.override.set')).length;
    const failed = await call('PUT', '/api/admin/working-days/2027-05-13', admin, { working: false });
    expect(failed.statusCode).toBe(500);
    expect(await isWorkingDay(t.ctx.db, '2027-05-13')).toBe(true);
    expect(await auditOf('calendar.override.set')).toHaveLength(audited);
    await call('DELETE', '/api/admin/working-days/2027-05-15');
  });
});
