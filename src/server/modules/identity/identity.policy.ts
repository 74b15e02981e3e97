import type { DepartmentRoleName, UpdateDepartmentInput } from '../../../contracts/identity.ts';
import { type Actor, hasAnyRole, hasRoleOver, isSystemActor } from '../../platform/auth/actor.ts';
import type { PersonKind } from '../../platform/db-schema.ts';

// Who may do what in the identity module. Pure functions of the actor and the resource, no I/O:
// services load the resource, ask here, and throw 403 on "no".

/** What the policies need to know about a person being viewed or managed. */
export interface PersonScope {
  id: string;
  kind: PersonKind;
  isPlatformAdmin: boolean;
  /** Paths of the departments the person holds roles in. */
  rolePaths: readonly string[];
}

const isAdmin = (actor: Actor) => actor.isPlatformAdmin;
const adminsDept = (actor: Actor, path: string) => hasRoleOver(actor, 'dept_admin', path);

/** Departments are created only by platform admins. */
export const canCreateDepartment = (actor: Actor) => isAdmin(actor);

/** Field changes a department's own admin may make: its names and region, never its place in the tree or its status. */
const DEPT_ADMIN_FIELDS = new Set<keyof UpdateDepartmentInput>(['nameZh', 'nameEn', 'regionCode']);

export function canUpdateDepartment(
  actor: Actor,
  departmentPath: string,
  changes: UpdateDepartmentInput,
): boolean {
  if (isAdmin(actor)) return true;
  if (!adminsDept(actor, departmentPath)) return false;
  return (Object.keys(changes) as (keyof UpdateDepartmentInput)[]).every((k) => DEPT_ADMIN_FIELDS.has(k));
}

/** Inactive departments stay visible to platform admins only. */
export const canSeeInactiveDepartments = (actor: Actor | undefined) => !!actor && isAdmin(actor);

/** The people list is for platform admins (everyone) and department admins (their subtrees). */
export const canListPeople = (actor: Actor) => isAdmin(actor) || hasAnyRole(actor, 'dept_admin');

/** Department ids whose subtrees a department admin manages (the roots of their scope). */
export const adminRootsOf = (actor: Actor) =>
  actor.roles.filter((r) => r.role === 'dept_admin').map((r) => r.departmentId);

/** One may see oneself; platform admins see everyone; department admins see people with a role in their subtree. */
export function canViewPerson(actor: Actor, person: PersonScope): boolean {
  if (actor.personId === person.id || isAdmin(actor)) return true;
  return person.rolePaths.some((p) => adminsDept(actor, p));
}

/**
 * Editing, unlocking and resetting a password. A department admin may manage staff whose every role
 * lies in their subtree: a role elsewhere means another admin is responsible too, and resetting that
 * person's password would reach into the other department. Platform admins are managed only by
 * platform admins.
 */
export function canManagePerson(actor: Actor, person: PersonScope): boolean {
  if (isAdmin(actor)) return true;
  if (person.isPlatformAdmin || person.kind !== 'staff' || person.rolePaths.length === 0) return false;
  return person.rolePaths.every((p) => adminsDept(actor, p));
}

/** Staff accounts are created by platform admins, or by a department admin for a department in their subtree. */
export const canCreateStaffIn = (actor: Actor, departmentPath: string) =>
  isAdmin(actor) || adminsDept(actor, departmentPath);

/** Only platform admins (or the system) make platform admins. */
export const canGrantPlatformAdmin = (actor: Actor) => isAdmin(actor) || isSystemActor(actor);

/**
 * Granting and revoking department roles. Auditors supervise the department's admins, so only a
 * platform admin appoints or removes them (separation of duties).
 */
export function canManageRole(actor: Actor, departmentPath: string, role: DepartmentRoleName): boolean {
  if (isAdmin(actor)) return true;
  // An identity verifier looks up residents of the whole platform, far beyond the department's
  // subtree, so the platform appoints them, as it does auditors.
  if (role === 'auditor' || role === 'identity_verifier') return false;
  return adminsDept(actor, departmentPath);
}

// ---- counter verification ----------------------------------------------------------------------
// Counter staff (identity_verifier) find one resident or business account by the full identifier on
// the document in front of them and record that they checked it. They cannot list or browse people.
// A verification made in error is withdrawn by a platform admin or by an admin of the department in
// whose name it was made, never by the clerk alone (a second pair of eyes on "undo").

/** Looking an account up by its full identifier, and verifying it at the counter. */
export const canVerifyAtCounter = (actor: Actor) =>
  isAdmin(actor) || isSystemActor(actor) || hasAnyRole(actor, 'identity_verifier');

/**
 * Releasing an identifier from an unverified account that the person at the counter, card in hand,
 * cannot show a counter code for (a squatter registered first with their number). The clerk may, as
 * at a service hall's desk: they hold the document and found the account by its exact number, the
 * account is unverified (it never had "My data"), and nothing is deleted: after a notice period (in
 * case the card is stolen; counter-release.service.ts) the account is disabled with its number
 * cleared, audited with the clerk's note, and a platform admin can look into it.
 * A verified account is never released this way: its verification must be withdrawn first, by a
 * platform admin or the verifying department's admin (a second person).
 */
export const canReleaseIdentifier = (actor: Actor) => canVerifyAtCounter(actor);

/** The department a counter verification is recorded for: the first where the actor is a verifier. */
export const counterDepartmentOf = (actor: Actor): string | null =>
  actor.roles.find((r) => r.role === 'identity_verifier')?.departmentId ?? null;

/** Withdrawing: platform admins; admins of the department the verification was recorded for. */
export const canWithdrawVerification = (actor: Actor, verifiedDepartmentPath: string | null) =>
  isAdmin(actor) || (verifiedDepartmentPath !== null && adminsDept(actor, verifiedDepartmentPath));

/**
 * Stopping a pending release (a hotline call from the account holder, a release asked in error): like
 * withdrawing a verification, platform admins and admins of the department whose counter asked,
 * never the clerk alone.
 */
export const canStopRelease = (actor: Actor, requestingDepartmentPath: string | null) =>
  canWithdrawVerification(actor, requestingDepartmentPath);

/** The list of pending releases: platform admins (all) and department admins (their subtrees' counters'). */
export const canListPendingReleases = (actor: Actor) => isAdmin(actor) || hasAnyRole(actor, 'dept_admin');

/** The list of counter verifications: platform admins (all) and department admins (their subtrees'). */
export const canListVerificationRecords = (actor: Actor) => isAdmin(actor) || hasAnyRole(actor, 'dept_admin');

/** A token belongs to its holder; platform admins may see and revoke anyone's. */
export const canRevokeToken = (actor: Actor, tokenOwnerId: string) =>
  actor.personId === tokenOwnerId || isAdmin(actor);

export const canListAllTokens = (actor: Actor) => isAdmin(actor);

/** Only the holder (or the system, for the demo loader and CLI) mints tokens for an account. */
export const canCreateTokenFor = (actor: Actor, personId: string) =>
  actor.personId === personId || isSystemActor(actor);
