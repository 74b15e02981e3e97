import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/test-context.ts';
import {
  addWorkingDays,
  addWorkingDaysWith,
  chinaDay,
  endOfChinaDay,
  isWorkingDay,
  isWorkingDayWith,
} from './working-days.ts';

const none = new Map<string, boolean>();
/** Noon in Beijing on a day. */
const noon = (day: string) => new Date(`${day}T12:00:00+08:00`);

describe('working days (official calendar)', () => {
  it('knows the 2026 National Day week and its make-up workday', () => {
    expect(isWorkingDayWith(none, '2026-09-30')).toBe(true);
    for (let d = 1; d <= 7; d++) expect(isWorkingDayWith(none, `2026-10-0${d}`)).toBe(false);
    expect(isWorkingDayWith(none, '2026-10-08')).toBe(true);
    // Saturday 10 October is a make-up workday (调休).
    expect(isWorkingDayWith(none, '2026-10-10')).toBe(true);
    expect(isWorkingDayWith(none, '2026-10-11')).toBe(false);
  });

  it('counts working days across the holiday week', () => {
    // From Wednesday 30 September: 8, 9, 10 (Sat, make-up), 12, 13 October.
    expect(addWorkingDaysWith(none, noon('2026-09-30'), 5)).toBe('2026-10-13');
    expect(addWorkingDaysWith(none, noon('2026-09-30'), 1)).toBe('2026-10-08');
    expect(addWorkingDaysWith(none, noon('2026-09-30'), 0)).toBe('2026-09-30');
  });

  it('counts an ordinary week', () => {
    // Monday 16 November 2026 + 5 working days = Monday 23 November.
    expect(addWorkingDaysWith(none, noon('2026-11-16'), 5)).toBe('2026-11-23');
  });

  it('takes days in China Standard Time', () => {
    // 20:00 UTC on 15 November is already Monday 16 November in Beijing.
    expect(chinaDay(new Date('2026-11-15T20:00:00Z'))).toBe('2026-11-16');
    expect(endOfChinaDay('2026-11-23').toISOString()).toBe('2026-11-23T15:59:59.999Z');
  });

  it('lets an override win over the calendar', () => {
    const overrides = new Map([
      ['2026-11-18', false],
      ['2026-11-21', true],
    ]);
    expect(isWorkingDayWith(overrides, '2026-11-18')).toBe(false);
    expect(isWorkingDayWith(overrides, '2026-11-21')).toBe(true);
    // 17, (18 off), 19, 20, 21 (Sat, on), 23.
    expect(addWorkingDaysWith(overrides, noon('2026-11-16'), 5)).toBe('2026-11-23');
    expect(addWorkingDaysWith(overrides, noon('2026-11-16'), 4)).toBe('2026-11-21');
  });
});

describe('working days with admin overrides in the database', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx.dispose());

  it('reads working_day_overrides', async () => {
    expect((await addWorkingDays(ctx.db, noon('2026-11-16'), 5)).toISOString()).toBe(
      endOfChinaDay('2026-11-23').toISOString(),
    );
    await ctx.db
      .insertInto('working_day_overrides')
      .values([
        { day: '2026-11-17', working: false, note: 'local holiday' },
        { day: '2026-11-19', working: false, note: 'local holiday' },
      ])
      .execute();
    expect(await isWorkingDay(ctx.db, '2026-11-17')).toBe(false);
    expect(await isWorkingDay(ctx.db, '2026-11-16')).toBe(true);
    // 18, 20, 23, 24, 25.
    expect((await addWorkingDays(ctx.db, noon('2026-11-16'), 5)).toISOString()).toBe(
      endOfChinaDay('2026-11-25').toISOString(),
    );
  });
});
