import { type Actor, hasAnyRole } from '../../platform/auth/actor.ts';

/**
 * Who may read which part of the audit trail. Platform admins see everything; an auditor sees the
 * entries of the departments where they audit and of all departments below them. Entries without a
 * department (platform-wide actions, sign-ins) stay with platform admins.
 */
export type AuditScope = { kind: 'all' } | { kind: 'departments'; rootIds: string[] };

/** True when the actor may open the audit trail at all (its own scope decides what they see). */
export const canReadAudit = (actor: Actor) => actor.isPlatformAdmin || hasAnyRole(actor, 'auditor');

/** Checking the chain and reading checkpoints reveal no entry contents, so any auditor may. */
export const canVerifyAudit = (actor: Actor) => actor.isPlatformAdmin || hasAnyRole(actor, 'auditor');

/** The departments whose subtrees an actor's audit view covers. */
export function auditScopeOf(actor: Actor): AuditScope {
  if (actor.isPlatformAdmin) return { kind: 'all' };
  const rootIds = actor.roles.filter((r) => r.role === 'auditor').map((r) => r.departmentId);
  return { kind: 'departments', rootIds: [...new Set(rootIds)] };
}

/** True when an entry of the department at `departmentPath` (null: no department) lies in the actor's scope. */
export function canSeeAuditEntry(actor: Actor, departmentPath: string | null): boolean {
  const scope = auditScopeOf(actor);
  if (scope.kind === 'all') return true;
  if (departmentPath === null) return false;
  const ancestors = departmentPath.split('/');
  return scope.rootIds.some((id) => ancestors.includes(id));
}
