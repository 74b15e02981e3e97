import chineseDays from 'chinese-days';
import type { Db } from './db.ts';
import { statutoryHolidays } from './statutory-holidays.ts';

// Statutory deadlines count working days: Monday to Friday, minus the official holidays, plus the
// weekend days declared make-up workdays (调休). `chinese-days` carries the State Council's yearly
// schedule; admins correct or extend it in working_day_overrides (a local holiday, a year the
// package does not know yet), and an override always wins. For a year the package does not know,
// the days the law itself fixes count as days off until the admins enter the real schedule
// (statutory-holidays.ts).
//
// Days are calendar days in China Standard Time (UTC+8 all year, no daylight saving), so the
// arithmetic is a fixed offset, not a time-zone database.

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Further than any statutory deadline reaches: bounds the override lookup. */
const MAX_SPAN_DAYS = 400;

/** Overrides by day (`YYYY-MM-DD` → working or not). */
export type WorkingDayOverrides = ReadonlyMap<string, boolean>;

/** The calendar day (`YYYY-MM-DD`) in China Standard Time of an instant. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as China Standard Time wall-clock text, `YYYY-MM-DD HH:mm:ss` (for exports people read). */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The day after (or `n` days after) a `YYYY-MM-DD` day. */
export function nextDay(day: string, n = 1): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The first instant of a day in China Standard Time. */
export function startOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CST_OFFSET_MS);
}

/** The last instant of a day in China Standard Time: a deadline "within day D" ends there. */
export function endOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS - CST_OFFSET_MS - 1);
}

/** A day by the official calendar alone: working or not, why, and the holiday it belongs to. */
export interface OfficialDay {
  working: boolean;
  /**
   * 'official': a public holiday or make-up workday of the State Council's schedule; 'statutory': a
   * day off the law fixes, in a year whose schedule is not known yet (provisional).
   */
  source: 'official' | 'statutory' | 'weekend' | 'weekday';
  holidayZh: string | null;
  holidayEn: string | null;
}

/** The official calendar's view of a day (`YYYY-MM-DD`, a real date). */
export function officialDay(day: string): OfficialDay {
  const year = Number(day.slice(0, 4));
  if (year > officialDataUntil()) {
    const statutory = statutoryHolidays(year).get(day);
    if (statutory) return { working: false, source: 'statutory', ...statutory };
  }
  const detail = chineseDays.getDayDetail(day);
  // Holidays and make-up workdays are named "English,中文,length"; other days by their weekday.
  const [en, zh] = detail.name.includes(',') ? detail.name.split(',') : [];
  if (en && zh) return { working: detail.work, source: 'official', holidayZh: zh, holidayEn: en };
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  return { working: !weekend, source: weekend ? 'weekend' : 'weekday', holidayZh: null, holidayEn: null };
}

let knownUntil: number | undefined;
/** The last year whose official schedule `chinese-days` carries (later years: weekdays minus statutory holidays). */
export function officialDataUntil(): number {
  if (knownUntil === undefined) {
    let year = new Date().getUTCFullYear() + 10;
    while (
      year > 2000 &&
      chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length === 0
    )
      year--;
    knownUntil = year;
  }
  return knownUntil;
}

/**
 * Whether a day is a working day, by the overrides first, then the official calendar (in a year it
 * does not know, weekdays minus the statutory holidays).
 */
export function isWorkingDayWith(overrides: WorkingDayOverrides, day: string): boolean {
  const override = overrides.get(day);
  if (override !== undefined) return override;
  const year = Number(day.slice(0, 4));
  if (year > officialDataUntil() && statutoryHolidays(year).has(day)) return false;
  return chineseDays.isWorkday(day);
}

/**
 * The day `n` working days after the day of `from` (that day itself not counted, as a deadline of
 * "5 working days from receipt" runs from the next day). n = 0 gives the day of `from`.
 */
export function addWorkingDaysWith(overrides: WorkingDayOverrides, from: Date, n: number): string {
  let day = chinaDay(from);
  for (let left = n; left > 0; ) {
    day = nextDay(day);
    if (isWorkingDayWith(overrides, day)) left--;
  }
  return day;
}

/** The admin overrides between two days (inclusive). */
export async function loadOverrides(db: Db, fromDay: string, toDay: string): Promise<WorkingDayOverrides> {
  const rows = await db
    .selectFrom('working_day_overrides')
    .select(['day', 'working'])
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .execute();
  return new Map(rows.map((r) => [r.day, r.working]));
}

/** Whether a day (`YYYY-MM-DD`) is a working day, admin overrides included. */
export async function isWorkingDay(db: Db, day: string): Promise<boolean> {
  return isWorkingDayWith(await loadOverrides(db, day, day), day);
}

/**
 * The deadline `n` working days after `from`: the end (China Standard Time) of the n-th working
 * day after the day of `from`. n is at most about 200 (statutory deadlines are short).
 */
export async function addWorkingDays(db: Db, from: Date, n: number): Promise<Date> {
  if (!Number.isInteger(n) || n < 0 || n > 200) throw new RangeError(`working days out of range: ${n}`);
  const first = chinaDay(from);
  const overrides = await loadOverrides(db, first, nextDay(first, MAX_SPAN_DAYS));
  return endOfChinaDay(addWorkingDaysWith(overrides, from, n));
}
