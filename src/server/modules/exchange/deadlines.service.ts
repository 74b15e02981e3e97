import { type Actor, systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import type { Tick } from '../../platform/jobs/index.ts';
import { addWorkingDays, chinaDay, startOfChinaDay } from '../../platform/working-days.ts';
import type { WorkingDayChange } from '../calendar/index.ts';
import { insertNoticeOnce } from './notices.repository.ts';
import {
  deleteNotice,
  lockDeadline,
  lockPendingSpanning,
  pendingDueBefore,
  updateRequest,
} from './request.repository.ts';
import { recordStep } from './request-history.ts';

// Decision deadlines of conditional requests. A pending request gets a reminder for its owner once
// one working day or less remains, and an escalation once it is overdue, each with an audit entry.
// Each is written at most once (unique index), so every node may run the tick.
// A platform admin who makes a day a day off (or a working day) moves the deadlines that count it.

/** Writes due reminders and escalations as of `now`; returns how many of each it wrote. */
export async function checkDeadlines(ctx: AppContext, now = new Date()) {
  const actor = systemActor('exchange-deadlines');
  // "One working day or less remains": the deadline falls no later than the end of the next working day.
  const remindBefore = await addWorkingDays(ctx.db, now, 1);
  let reminders = 0;
  let escalations = 0;
  for (const r of await pendingDueBefore(ctx.db, remindBefore, 'reminded_at'))
    if (await noticeOnce(ctx, actor, r, 'reminder', (due) => due <= remindBefore, now)) reminders++;
  for (const r of await pendingDueBefore(ctx.db, now, 'escalated_at'))
    if (await noticeOnce(ctx, actor, r, 'escalation', (due) => due < now, now)) escalations++;
  return { reminders, escalations };
}

/** What each notice marks on its request and records in its history and the audit log. */
const STEPS = {
  reminder: { mark: 'reminded_at', event: 'remind', audit: 'exchange.request.remind' },
  escalation: { mark: 'escalated_at', event: 'escalate', audit: 'exchange.request.escalate' },
} as const;

/**
 * Writes the notice of `kind` for request `r` unless, under its row lock, it was decided meanwhile or
 * its deadline moved out of reach (`isDue`); true when this call wrote it (another node may have).
 */
async function noticeOnce(
  ctx: AppContext,
  actor: Actor,
  r: { id: string; owner_department_id: string; due_at: Date | string | null },
  kind: keyof typeof STEPS,
  isDue: (due: Date) => boolean,
  now: Date,
): Promise<boolean> {
  if (!r.due_at || !isDue(new Date(r.due_at))) return false;
  const step = STEPS[kind];
  return ctx.db.transaction().execute(async (trx) => {
    const current = await lockDeadline(trx, r.id);
    if (current?.state !== 'pending' || !current.due_at || !isDue(new Date(current.due_at))) return false;
    const fresh = await insertNoticeOnce(trx, { requestId: r.id, departmentId: r.owner_department_id, kind });
    // Marked either way: a notice already written (by another node) needs no second look.
    await updateRequest(trx, r.id, { [step.mark]: now });
    if (!fresh) return false;
    await recordStep(trx, actor, undefined, {
      requestId: r.id,
      event: step.event,
      audit: step.audit,
      departmentId: r.owner_department_id,
      details: { dueAt: new Date(current.due_at).toISOString() },
    });
    return true;
  });
}

/**
 * Recomputes, in the calendar change's transaction, the deadline of every pending request that
 * counts `change.day` (submitted before it, due on it or later) from its submission time, exactly
 * as at submission (with the working days it was given then). A reminder or escalation the new deadline would not call for yet is withdrawn
 * (its notice deleted, its mark cleared), so the tick writes one for the new deadline in due time.
 * Each move is an event and an audit entry by the admin who changed the calendar. Returns how many moved.
 */
export async function moveDeadlines(trx: Db, ctx: AppContext, change: WorkingDayChange, now = new Date()) {
  const requests = await lockPendingSpanning(trx, startOfChinaDay(change.day));
  if (requests.length === 0) return 0;
  const remindBefore = await addWorkingDays(trx, now, 1);
  // A deadline depends only on the day of submission and the days given: one computation for each.
  const dueBy = new Map<string, Date>();
  let moved = 0;
  for (const r of requests) {
    const submitted = new Date(r.created_at);
    // The figure the request was submitted under (older requests: the current setting).
    const days = r.decision_days ?? ctx.config.exchangeDecisionDays;
    const key = `${chinaDay(submitted)}/${days}`;
    let due = dueBy.get(key);
    if (!due) {
      due = await addWorkingDays(trx, submitted, days);
      dueBy.set(key, due);
    }
    const was = new Date(r.due_at as Date);
    if (due.getTime() === was.getTime()) continue;
    const remindAgain = !!r.reminded_at && due > remindBefore;
    const escalateAgain = !!r.escalated_at && due >= now;
    if (remindAgain) await deleteNotice(trx, r.id, 'reminder');
    if (escalateAgain) await deleteNotice(trx, r.id, 'escalation');
    await updateRequest(trx, r.id, {
      due_at: due,
      ...(remindAgain ? { reminded_at: null } : {}),
      ...(escalateAgain ? { escalated_at: null } : {}),
    });
    const withdrawn = [...(remindAgain ? ['reminder'] : []), ...(escalateAgain ? ['escalation'] : [])];
    await recordStep(trx, change.actor, change.meta, {
      requestId: r.id,
      event: 'deadline_change',
      audit: 'exchange.request.deadline_change',
      departmentId: r.owner_department_id,
      details: {
        day: change.day,
        working: change.working,
        fromDueAt: was.toISOString(),
        dueAt: due.toISOString(),
        ...(withdrawn.length ? { noticesWithdrawn: withdrawn } : {}),
      },
    });
    moved++;
  }
  return moved;
}

/** Every ten minutes on every node. */
export const deadlineTick: Tick = {
  name: 'exchange.deadlines',
  everyMs: 10 * 60 * 1000,
  run: (ctx) => checkDeadlines(ctx),
};
