import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tick } from '../../platform/jobs/index.ts';
import { addWorkingDays } from '../../platform/working-days.ts';
import { insertNoticeOnce } from './notices.repository.ts';
import { insertEvent, pendingDueBefore, updateRequest } from './request.repository.ts';
import { recordStep } from './request-history.ts';

// Decision deadlines of conditional requests. A pending request gets a reminder for its owner once
// one working day or less remains, and an escalation (with an audit entry) once it is overdue.
// Each is written at most once (unique index), so every node may run the tick.

/** Writes due reminders and escalations as of `now`; returns how many of each it wrote. */
export async function checkDeadlines(ctx: AppContext, now = new Date()) {
  const actor = systemActor('exchange-deadlines');
  // "One working day or less remains": the deadline falls no later than the end of the next working day.
  const remindBefore = await addWorkingDays(ctx.db, now, 1);
  let reminders = 0;
  let escalations = 0;
  for (const r of await pendingDueBefore(ctx.db, remindBefore, 'reminded_at')) {
    await ctx.db.transaction().execute(async (trx) => {
      const fresh = await insertNoticeOnce(trx, {
        requestId: r.id,
        departmentId: r.owner_department_id,
        kind: 'reminder',
      });
      // Marked either way: a notice already written (by another node) needs no second look.
      await updateRequest(trx, r.id, { reminded_at: now });
      if (!fresh) return;
      await insertEvent(trx, {
        request_id: r.id,
        actor_label: actor.username,
        action: 'remind',
        details: JSON.stringify({ dueAt: r.due_at ? new Date(r.due_at).toISOString() : null }),
      });
      reminders++;
    });
  }
  for (const r of await pendingDueBefore(ctx.db, now, 'escalated_at')) {
    if (!r.due_at || new Date(r.due_at) >= now) continue;
    await ctx.db.transaction().execute(async (trx) => {
      const fresh = await insertNoticeOnce(trx, {
        requestId: r.id,
        departmentId: r.owner_department_id,
        kind: 'escalation',
      });
      // Marked either way: a notice already written (by another node) needs no second look.
      await updateRequest(trx, r.id, { escalated_at: now });
      if (!fresh) return;
      await recordStep(trx, actor, undefined, {
        requestId: r.id,
        event: 'escalate',
        audit: 'exchange.request.escalate',
        departmentId: r.owner_department_id,
        details: { dueAt: new Date(r.due_at as Date).toISOString() },
      });
      escalations++;
    });
  }
  return { reminders, escalations };
}

/** Every ten minutes on every node. */
export const deadlineTick: Tick = {
  name: 'exchange.deadlines',
  everyMs: 10 * 60 * 1000,
  run: (ctx) => checkDeadlines(ctx),
};
