import type { AuditActor } from '../audit/index.ts';
import type { DepartmentRole, PersonKind } from '../db-schema.ts';
import { forbidden, unauthenticated } from '../errors.ts';

export interface ActorRole {
  departmentId: string;
  /** The department's path (ancestor ids and its own, '/'-separated): roles reach into sub-departments. */
  departmentPath: string;
  role: DepartmentRole;
}

/** The authenticated caller of a request. */
export interface Actor {
  personId: string;
  username: string;
  displayName: string;
  kind: PersonKind;
  isPlatformAdmin: boolean;
  roles: ActorRole[];
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
}

/** True when the actor holds `role` in the department at `departmentPath` or in one of its ancestors. */
export function hasRoleOver(actor: Actor | undefined, role: DepartmentRole, departmentPath: string): boolean {
  if (!actor) return false;
  const inside = departmentPath.split('/');
  return actor.roles.some((r) => r.role === role && inside.includes(r.departmentId));
}

/** True when the actor holds `role` in any department. */
export const hasAnyRole = (actor: Actor | undefined, role: DepartmentRole) =>
  !!actor && actor.roles.some((r) => r.role === role);

/** The signed-in actor, or a 401. */
export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

/** Throws 401 when anonymous and 403 when the policy says no. */
export function authorize(actor: Actor | undefined, allowed: (a: Actor) => boolean): Actor {
  const a = requireActor(actor);
  if (!allowed(a)) throw forbidden();
  return a;
}

export const auditActorOf = (actor: Actor | undefined): AuditActor =>
  actor ? { id: actor.personId || null, label: actor.username } : { id: null, label: 'anonymous' };

/**
 * The platform acting on its own behalf (demo loader, CLI maintenance): passes every policy and is
 * recorded in the audit log as "system" with no person id. Never attached to an HTTP request.
 */
export function systemActor(label = 'system'): Actor {
  return {
    personId: '',
    username: label,
    displayName: label,
    kind: 'staff',
    isPlatformAdmin: true,
    roles: [],
    via: 'token',
  };
}

/** True for the system actor made by systemActor(). */
export const isSystemActor = (actor: Actor) => actor.personId === '';
