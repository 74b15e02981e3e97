import type { WorkingDayDto } from '../../../contracts/calendar.ts';

// Date arithmetic of the calendar page on `YYYY-MM-DD` strings (UTC-based, so the browser's time
// zone cannot shift a day).

const DAY_MS = 24 * 60 * 60 * 1000;

const shift = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * The days a month view shows: from a week before the 1st to two weeks after the last day, which
 * covers the six weeks a month calendar draws whichever day the week starts on.
 */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = `${month}-01`;
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { from: shift(first, -7), to: shift(last, 14) };
}

/** The label key of a day's status: what it is, and whether an override or the official schedule says so. */
export function statusKey(day: Pick<WorkingDayDto, 'working' | 'source' | 'officialWorking'>): string {
  if (day.source === 'override') return day.working ? 'overrideWorking' : 'overrideOff';
  if (day.source === 'official') return day.working ? 'makeUpWorkday' : 'holiday';
  if (day.source === 'statutory') return 'statutoryHoliday';
  return day.working ? 'workday' : 'weekend';
}

/** The label key of what the official calendar alone says about a day (what an override replaces). */
export function officialStatusKey(day: Pick<WorkingDayDto, 'officialWorking' | 'holidayZh'>): string {
  const source = day.holidayZh ? 'official' : day.officialWorking ? 'weekday' : 'weekend';
  return statusKey({ working: day.officialWorking, source, officialWorking: day.officialWorking });
}
