import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { canBrowseShared, escalationRootsOf, reminderRootsOf } from './exchange.policy.ts';
import { listNoticeRows } from './notices.repository.ts';

// The inbox of deadline reminders and escalations of pending requests. A reminder is for the owner's
// data administrators, who decide; an escalation also for those who supervise them: auditors over
// the owner department and platform admins (exchange.policy.ts).

/** The notices that reach the caller, newest first. */
export async function listNotices(ctx: AppContext, actor: Actor | undefined, limit = 200) {
  const caller = authorize(actor, canBrowseShared);
  const rows = await listNoticeRows(ctx.db, {
    reminderRoots: reminderRootsOf(caller),
    escalationRoots: escalationRootsOf(caller),
    allEscalations: caller.isPlatformAdmin,
    limit,
  });
  return rows.map((n) => ({
    id: Number(n.id),
    requestId: n.request_id,
    departmentId: n.department_id,
    requesterDepartmentId: n.requester_department_id,
    kind: n.kind,
    createdAt: new Date(n.created_at).toISOString(),
    titleZh: n.title_zh,
    titleEn: n.title_en,
    dueAt: n.due_at ? new Date(n.due_at).toISOString() : null,
  }));
}
