import { type Actor, hasRoleOver, isSystemActor } from '../../platform/auth/actor.ts';
import { belongsTo, isStaff } from '../catalog/index.ts';

// Who may do what in the exchange. Pure functions of the actor and department paths, no I/O.
//
// - Staff of every department browse the internal catalog of shared resources.
// - A department asks for data through its data stewards or department admins.
// - The owner's data stewards and admins decide, and suspend, resume, renew or revoke grants;
//   platform admins may suspend or revoke too (an incident does not wait for the owner).
// - The grantee's stewards and admins hold the credential, subscriptions and extracts, and may
//   revoke their own grant.
// - Both sides, their auditors and platform admins read requests, grants and the access log of
//   what concerns them; nobody else does.
// - A deadline reminder reaches those who can decide: the owner's data administrators. An overdue
//   request is escalated beyond them, to those who supervise: auditors over the owner and platform admins.

/** Data administrators of a department: its data stewards and department admins (or an ancestor's). */
export const isDataAdminOf = (actor: Actor | undefined, departmentPath: string) =>
  !!actor &&
  (isSystemActor(actor) ||
    hasRoleOver(actor, 'data_steward', departmentPath) ||
    hasRoleOver(actor, 'dept_admin', departmentPath));

/** Browsing the internal catalog of shared resources: staff of any department. */
export const canBrowseShared = (actor: Actor | undefined) =>
  !!actor && (isStaff(actor) || actor.isPlatformAdmin);

/** Asking for data on behalf of the department at `requesterPath`. */
export const canRequestFor = (actor: Actor | undefined, requesterPath: string) =>
  isDataAdminOf(actor, requesterPath);

/** Deciding a request, renewing or resuming a grant: the owner's data administrators. */
export const canDecide = (actor: Actor | undefined, ownerPath: string) => isDataAdminOf(actor, ownerPath);

/** Suspending or revoking a grant: the owner's data administrators, or a platform admin. */
export const canStopGrant = (actor: Actor | undefined, ownerPath: string, granteePath: string) =>
  isDataAdminOf(actor, ownerPath) || !!actor?.isPlatformAdmin || isDataAdminOf(actor, granteePath);

/** Credential, subscriptions and extracts of a grant: the grantee's data administrators. */
export const canUseGrant = (actor: Actor | undefined, granteePath: string) =>
  isDataAdminOf(actor, granteePath);

/** Reading a request, a grant or log rows between two departments. */
export const canViewExchange = (actor: Actor | undefined, ownerPath: string, requesterPath: string) =>
  !!actor &&
  (actor.isPlatformAdmin ||
    isSystemActor(actor) ||
    belongsTo(actor, ownerPath) ||
    belongsTo(actor, requesterPath));

/** Roots of the department subtrees whose deadline reminders reach the actor: where they decide. */
export const reminderRootsOf = (actor: Actor) => [
  ...new Set(
    actor.roles
      .filter((r) => r.role === 'data_steward' || r.role === 'dept_admin')
      .map((r) => r.departmentId),
  ),
];

/** Roots of the subtrees whose escalations reach the actor: where they decide or audit (platform admins: all). */
export const escalationRootsOf = (actor: Actor) => [
  ...new Set(
    actor.roles
      .filter((r) => r.role === 'data_steward' || r.role === 'dept_admin' || r.role === 'auditor')
      .map((r) => r.departmentId),
  ),
];

/** "My data": citizens and businesses see accesses to records about themselves. */
export const canSeeOwnAccesses = (actor: Actor | undefined) =>
  !!actor && (actor.kind === 'citizen' || actor.kind === 'business');
