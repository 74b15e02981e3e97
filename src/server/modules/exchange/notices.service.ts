import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { canBrowseShared } from './exchange.policy.ts';
import { listNoticeRows } from './notices.repository.ts';

// The inbox of deadline reminders and escalations for the caller's departments.

/** Notices of the caller's departments (every department's for platform admins), newest first. */
export async function listNotices(ctx: AppContext, actor: Actor | undefined, limit = 200) {
  const caller = authorize(actor, canBrowseShared);
  const rows = await listNoticeRows(ctx.db, {
    all: caller.isPlatformAdmin,
    roots: [...new Set(caller.roles.map((r) => r.departmentId))],
    limit,
  });
  return rows.map((n) => ({
    id: Number(n.id),
    requestId: n.request_id,
    departmentId: n.department_id,
    kind: n.kind,
    createdAt: new Date(n.created_at).toISOString(),
    titleZh: n.title_zh,
    titleEn: n.title_en,
    dueAt: n.due_at ? new Date(n.due_at).toISOString() : null,
  }));
}
