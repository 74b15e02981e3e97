import {
  MAX_CALENDAR_RANGE_DAYS,
  SetOverrideBody,
  type SetOverrideInput,
  type WorkingDayDto,
  type WorkingDaysPageDto,
} from '../../../contracts/calendar.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { nextDay, officialDataUntil, officialDay } from '../../platform/working-days.ts';
import { canManageCalendar } from './calendar.policy.ts';
import {
  deleteOverride,
  findOverrideForUpdate,
  listOverrides,
  type OverrideRow,
  upsertOverride,
} from './calendar.repository.ts';
import { notifyWorkingDayChanged } from './calendar-events.ts';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Years a deadline could plausibly fall in; outside them a day is a typing mistake, not a plan. */
const FIRST_YEAR = 1949;
const LAST_YEAR = 2199;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Refuses anything but an existing calendar day `YYYY-MM-DD` within the supported years. */
export function checkDay(day: string, field: string): string {
  const m = DAY.exec(day);
  const year = m ? Number(m[1]) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to 2 March; the round trip catches it.
  const real = m && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && nextDay(day, 0) === day;
  if (!real || year < FIRST_YEAR || year > LAST_YEAR)
    throw invalid('calendar.invalid_day', `"${field}" must be an existing day, YYYY-MM-DD`, {
      field,
      value: day,
    });
  return day;
}

/** How a day counts: the override when there is one, else the official calendar. */
function present(day: string, override: OverrideRow | undefined): WorkingDayDto {
  const official = officialDay(day);
  return {
    date: day,
    working: override ? override.working : official.working,
    source: override ? 'override' : official.source,
    officialWorking: official.working,
    holidayZh: official.holidayZh,
    holidayEn: official.holidayEn,
    note: override ? override.note : null,
  };
}

/** Every day from `from` to `to` (inclusive) as deadlines count it, with the source of each answer. */
export async function listWorkingDays(
  ctx: AppContext,
  actor: Actor | undefined,
  input: { from: string; to: string },
): Promise<WorkingDaysPageDto> {
  authorize(actor, canManageCalendar);
  const from = checkDay(input.from, 'from');
  const to = checkDay(input.to, 'to');
  if (from > to) throw invalid('calendar.bad_range', '"from" must not be after "to"', { from, to });
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (span > MAX_CALENDAR_RANGE_DAYS)
    throw invalid('calendar.range_too_long', `At most ${MAX_CALENDAR_RANGE_DAYS} days at a time`, {
      max: MAX_CALENDAR_RANGE_DAYS,
      days: span,
    });
  const overrides = new Map((await listOverrides(ctx.db, from, to)).map((o) => [o.day, o]));
  const days: WorkingDayDto[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(present(day, overrides.get(day)));
  return { from, to, officialDataUntil: officialDataUntil(), days };
}

const snapshot = (o: OverrideRow | undefined) => (o ? { working: o.working, note: o.note } : null);

/** Records a change of the calendar in the caller's transaction: the day, and the override before and after. */
const auditChange = (
  trx: Db,
  actor: Actor,
  meta: RequestMeta | undefined,
  action: 'calendar.override.set' | 'calendar.override.delete',
  day: string,
  before: OverrideRow | undefined,
  after: OverrideRow | undefined,
) =>
  auditAction(trx, actor, meta, {
    action,
    target: { type: 'working_day', id: day },
    details: { day, before: snapshot(before), after: snapshot(after) },
  });

/** Whether a day counts as a working day with the given override (or none). */
const counts = (day: string, override: OverrideRow | undefined) =>
  override ? override.working : officialDay(day).working;

/**
 * Creates or replaces the override of a day. When the day changes standing, the listeners move
 * the deadlines it falls within (pending exchange requests) in the same transaction.
 */
export async function setWorkingDayOverride(
  ctx: AppContext,
  actor: Actor | undefined,
  day: string,
  input: SetOverrideInput,
  meta?: RequestMeta,
): Promise<WorkingDayDto> {
  const a = authorize(actor, canManageCalendar);
  checkDay(day, 'day');
  assertValid(SetOverrideBody, input);
  const after: OverrideRow = { day, working: input.working, note: (input.note ?? '').trim() };
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findOverrideForUpdate(trx, day);
    await upsertOverride(trx, after);
    await auditChange(trx, a, meta, 'calendar.override.set', day, before, after);
    if (counts(day, before) !== after.working)
      await notifyWorkingDayChanged(trx, ctx, { day, working: after.working, actor: a, meta });
  });
  return present(day, after);
}

/** Removes the override of a day, so the official calendar counts again (deadlines move as above). */
export async function deleteWorkingDayOverride(
  ctx: AppContext,
  actor: Actor | undefined,
  day: string,
  meta?: RequestMeta,
): Promise<void> {
  const a = authorize(actor, canManageCalendar);
  checkDay(day, 'day');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findOverrideForUpdate(trx, day);
    if (!before || !(await deleteOverride(trx, day)))
      throw notFound('calendar.override_not_found', 'Working-day override');
    await auditChange(trx, a, meta, 'calendar.override.delete', day, before, undefined);
    const working = counts(day, undefined);
    if (before.working !== working) await notifyWorkingDayChanged(trx, ctx, { day, working, actor: a, meta });
  });
}
