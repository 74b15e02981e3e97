import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { statutoryHolidays } from './statutory-holidays.ts';
import { addWorkingDaysWith, isWorkingDayWith, officialDataUntil, officialDay } from './working-days.ts';

const none = new Map<string, boolean>();
const noon = (day: string) => new Date(`${day}T12:00:00+08:00`);

describe('statutory holidays (a year without the State Council schedule)', () => {
  it('fixes the days of 2027 the law gives, weekend days made up on the next weekdays', () => {
    const days = statutoryHolidays(2027);
    expect(Object.fromEntries([...days].map(([d, h]) => [d, h.holidayZh]))).toEqual({
      '2027-01-01': '元旦',
      // Lunar New Year is Saturday 6 February: New Year's Eve and the first three days, then two
      // substitute days for the weekend.
      '2027-02-05': '春节',
      '2027-02-06': '春节',
      '2027-02-07': '春节',
      '2027-02-08': '春节',
      '2027-02-09': '春节（补假）',
      '2027-02-10': '春节（补假）',
      '2027-04-05': '清明',
      '2027-05-01': '劳动节',
      '2027-05-02': '劳动节',
      '2027-05-03': '劳动节（补假）',
      '2027-05-04': '劳动节（补假）',
      '2027-06-09': '端午',
      '2027-09-15': '中秋',
      '2027-10-01': '国庆节',
      '2027-10-02': '国庆节',
      '2027-10-03': '国庆节',
      '2027-10-04': '国庆节（补假）',
      '2027-10-05': '国庆节（补假）',
    });
    expect(days.get('2027-02-09')?.holidayEn).toBe('Spring Festival (substitute day off)');
  });

  it('takes the regular fifth lunar month, not the leap one (2028)', () => {
    expect(statutoryHolidays(2028).get('2028-05-28')?.holidayZh).toBe('端午');
    expect(statutoryHolidays(2028).has('2028-06-27')).toBe(false);
  });

  it('never gives a day off the published schedules of the known years kept as a working day', () => {
    // The rules as the 2024 revision of the law states them (in force since 2025), checked against
    // every published schedule the package carries since: each statutory or substitute day is off.
    const years = Array.from({ length: officialDataUntil() - 2024 }, (_, i) => 2025 + i);
    expect(years.length).toBeGreaterThan(0);
    for (const year of years)
      for (const [day, h] of statutoryHolidays(year))
        expect({ day, h, work: chineseDays.isWorkday(day) }).toMatchObject({ work: false });
  });

  it('counts deadlines into an unknown year without its holidays', () => {
    // The first unknown year whose New Year's Day is a weekday (2027, with the package as it is).
    let year = officialDataUntil() + 1;
    while ([0, 6].includes(new Date(`${year}-01-01T00:00:00Z`).getUTCDay())) year++;
    const newYear = `${year}-01-01`;
    expect(isWorkingDayWith(none, newYear)).toBe(false);
    expect(officialDay(newYear)).toMatchObject({ working: false, source: 'statutory', holidayZh: '元旦' });
    // The day before New Year's Day plus one working day is not New Year's Day.
    expect(addWorkingDaysWith(none, noon(`${year - 1}-12-31`), 1)).not.toBe(newYear);
    // An admin's override still wins.
    expect(isWorkingDayWith(new Map([[newYear, true]]), newYear)).toBe(true);
  });

  it('leaves the known years to the published schedule', () => {
    // Saturday 10 October 2026 is a make-up workday of the published schedule; statutory rules alone
    // would not know it.
    expect(officialDay('2026-10-10')).toMatchObject({ working: true, source: 'official' });
    expect(officialDay('2026-10-07')).toMatchObject({ working: false, source: 'official' });
  });
});
