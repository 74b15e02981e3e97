import chineseDays from 'chinese-days';

// The public holidays the law itself fixes, for years whose State Council schedule the platform does
// not carry yet. The schedule for a year is published late in the year before (`chinese-days` has
// it up to the last one published when the package was released); until an admin enters it, a
// deadline running into that year would otherwise count New Year's Day and the Spring Festival as
// working days. The 《全国年节及纪念日放假办法》 (State Council Decree 795, in force since 2025) gives
// every citizen these days off: 元旦 1 January; 春节 the lunar New Year's Eve and the first three days
// of the first lunar month; 清明 the day of the Qingming solar term; 劳动节 1–2 May; 端午 the fifth
// day of the fifth lunar month; 中秋 the fifteenth of the eighth; 国庆节 1–3 October. Article 6: such a
// day falling on a Saturday or Sunday is made up on a working day (补假) — here the first weekdays
// after the festival. The State Council's real arrangement also moves weekends to build longer
// breaks (调休), which cannot be foreseen; the calendar page says these days are provisional.

export interface StatutoryHoliday {
  holidayZh: string;
  holidayEn: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const shift = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const isWeekend = (day: string) => {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};
const pad = (n: number) => String(n).padStart(2, '0');

/** The solar date of a lunar month and day of `year`'s lunar year (the regular month, not a leap one). */
const lunar = (year: number, month: number, day: number) =>
  chineseDays.getSolarDateFromLunar(`${year}-${pad(month)}-${pad(day)}`).date;

/** Each festival's statutory days of a Gregorian year, named as `chinese-days` names them. */
function festivals(year: number): { zh: string; en: string; days: string[] }[] {
  const newYear = lunar(year, 1, 1);
  return [
    { zh: '元旦', en: "New Year's Day", days: [`${year}-01-01`] },
    {
      zh: '春节',
      en: 'Spring Festival',
      days: [shift(newYear, -1), newYear, shift(newYear, 1), shift(newYear, 2)],
    },
    { zh: '清明', en: 'Tomb-sweeping Day', days: [chineseDays.getSolarTermDate(year, 4, 'pure_brightness')] },
    { zh: '劳动节', en: 'Labour Day', days: [`${year}-05-01`, `${year}-05-02`] },
    { zh: '端午', en: 'Dragon Boat Festival', days: [lunar(year, 5, 5)] },
    { zh: '中秋', en: 'Mid-autumn Festival', days: [lunar(year, 8, 15)] },
    { zh: '国庆节', en: 'National Day', days: [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`] },
  ];
}

const byYear = new Map<number, ReadonlyMap<string, StatutoryHoliday>>();

/**
 * The statutory days off falling in `year` (`YYYY-MM-DD` → the festival), substitute days included.
 * A lunar New Year's Eve can fall in the year before its festival (never for 1900–2100 in practice:
 * the New Year is between 21 January and 20 February), so each year's own festivals suffice.
 */
export function statutoryHolidays(year: number): ReadonlyMap<string, StatutoryHoliday> {
  const known = byYear.get(year);
  if (known) return known;
  const days = new Map<string, StatutoryHoliday>();
  const list = festivals(year);
  for (const f of list) for (const d of f.days) days.set(d, { holidayZh: f.zh, holidayEn: f.en });
  for (const f of list) {
    let owed = f.days.filter(isWeekend).length;
    for (let d = shift(f.days.at(-1)!, 1); owed > 0; d = shift(d, 1)) {
      if (isWeekend(d) || days.has(d)) continue;
      days.set(d, { holidayZh: `${f.zh}（补假）`, holidayEn: `${f.en} (substitute day off)` });
      owed--;
    }
  }
  byYear.set(year, days);
  return days;
}
