import { type Static, Type } from 'typebox';
import { literalUnion, Nullable } from './common.ts';

// Working-day calendar (module `calendar`): the official holidays and make-up workdays the
// platform knows, and the overrides platform admins set on top of them. Deadlines count working days
// by this calendar (src/server/platform/working-days.ts).

/** A calendar day, `YYYY-MM-DD`; the service also refuses days that do not exist (2026-02-30). */
export const DayText = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'A calendar day, YYYY-MM-DD (China Standard Time)',
  examples: ['2026-10-01'],
});

/** The most days one listing covers (a little over a year). */
export const MAX_CALENDAR_RANGE_DAYS = 400;
/** The longest note an override may carry. */
export const MAX_OVERRIDE_NOTE = 200;

/**
 * Why a day is working or not: an admin's override, the State Council's schedule, a statutory holiday
 * of a year whose schedule is not known yet (provisional), or the week's rhythm.
 */
export const DAY_SOURCES = ['override', 'official', 'statutory', 'weekend', 'weekday'] as const;
export type DaySource = (typeof DAY_SOURCES)[number];

export const WorkingDaysQuery = Type.Object({
  from: DayText,
  to: DayText,
});
export type WorkingDaysQueryInput = Static<typeof WorkingDaysQuery>;

export const DayParams = Type.Object({ day: DayText });

export const SetOverrideBody = Type.Object(
  {
    working: Type.Boolean({ description: 'true: a working day; false: a day off' }),
    note: Type.Optional(Type.String({ maxLength: MAX_OVERRIDE_NOTE, description: 'Why (shown to admins)' })),
  },
  { additionalProperties: false },
);
export type SetOverrideInput = Static<typeof SetOverrideBody>;

export const WorkingDaySchema = Type.Object({
  date: DayText,
  working: Type.Boolean({ description: 'Whether the day counts as a working day, the override included' }),
  source: literalUnion(DAY_SOURCES),
  /** The day by the official calendar alone, so an override can be compared with what it replaces. */
  officialWorking: Type.Boolean(),
  /** The official holiday (or make-up workday's holiday) the day belongs to, when there is one. */
  holidayZh: Nullable(Type.String()),
  holidayEn: Nullable(Type.String()),
  /** The override's note; null without an override. */
  note: Nullable(Type.String()),
});
export type WorkingDayDto = Static<typeof WorkingDaySchema>;

export const WorkingDaysPage = Type.Object({
  from: DayText,
  to: DayText,
  /** The last year whose official schedule the platform knows; later years count weekdays minus statutory holidays. */
  officialDataUntil: Type.Integer(),
  days: Type.Array(WorkingDaySchema),
});
export type WorkingDaysPageDto = Static<typeof WorkingDaysPage>;
