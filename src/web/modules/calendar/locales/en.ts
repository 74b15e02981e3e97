import type { LocaleShape } from '../../../app/locales/zh-CN.ts';
import type calendarZh from './zh-CN.ts';
import type { calendarErrorsZh } from './zh-CN.ts';

// Working-day calendar strings in English.

const calendarEn: LocaleShape<typeof calendarZh> = {
  title: 'Working days',
  intro:
    "Statutory deadlines count working days: Monday to Friday, minus the State Council's public holidays, plus its make-up workdays. Here you set exceptions for single days (a local holiday, or a year's schedule the platform does not know yet); an exception always wins. Deadlines computed from then on follow it; deadlines already set keep their day.",
  month: 'Month',
  previousMonth: 'Previous month',
  nextMonth: 'Next month',
  thisMonth: 'This month',
  legend: 'Legend',
  unknownYear:
    "The State Council's holiday schedule for {{year}} is not known yet: until it is, that year takes the days off the law fixes (New Year's Day, Spring Festival, Tomb-sweeping Day, Labour Day, Dragon Boat Festival, Mid-autumn Festival and National Day, a day falling on a weekend made up on the next weekday) and counts the other weekdays as working days; make-up workdays cannot be foreseen. Once the schedule is published, enter the days where it differs (days off and make-up workdays) as exceptions.",
  status: {
    workday: 'Working day',
    weekend: 'Weekend',
    holiday: 'Public holiday',
    statutoryHoliday: 'Statutory holiday (provisional)',
    makeUpWorkday: 'Make-up workday',
    overrideWorking: 'Exception: working',
    overrideOff: 'Exception: day off',
  },
  dayBefore: '{{date}}, day ',
  editTitle: 'Exception for {{date}}',
  official: 'By the official calendar: {{status}}',
  officialHoliday: 'By the official calendar: {{status}} ({{holiday}})',
  current: 'Now: {{status}}',
  working: 'This day is',
  workingYes: 'a working day',
  workingNo: 'a day off',
  officialColumn: 'Official calendar',
  note: 'Note',
  notePlaceholder: 'e.g. city holiday',
  save: 'Save exception',
  clear: 'Remove exception, use the official calendar',
  saved: 'Exception for {{date}} saved',
  cleared: 'Exception for {{date}} removed',
  overridesTitle: 'Exceptions this month',
  noOverrides: 'No exceptions this month.',
  date: 'Date',
  result: 'Result',
  edit: 'Edit',
  editLabel: 'Edit the exception for {{date}}',
};

export default calendarEn;

export const calendarErrorsEn: LocaleShape<typeof calendarErrorsZh> = {
  invalid_day: 'That day does not exist or is not written YYYY-MM-DD.',
  bad_range: 'The start must not be after the end.',
  range_too_long: 'At most 400 days at a time.',
  override_not_found: 'This day has no exception to remove.',
};
