import type { OpenType, ShareType } from '../../../contracts/catalog.ts';
import { type Actor, hasRoleOver, isSystemActor } from '../../platform/auth/actor.ts';

// Who may do what with catalog resources. Pure functions of the actor and the resource, no I/O.
//
// - The public (anonymous, citizens, businesses) sees published resources that are open.
// - Staff of any department see published resources shared with other departments (unconditionally
//   or conditionally), never "not shared" ones of another department.
// - Anyone holding a role in the provider department (or above it) sees all of its resources, drafts
//   included. Its data stewards edit them; its department admins review, publish and withdraw.
// - Platform admins see everything but do not edit content: a department owns its data.

/** What the policies need to know about a resource. */
export interface DatasetScope {
  departmentPath: string;
  status: string;
  shareType: ShareType | string;
  openType: OpenType | string;
}

const ROLES_IN_DEPT = ['dept_admin', 'data_steward', 'case_handler', 'reviewer', 'auditor'] as const;

/** True when the actor holds any role in the department at `path` or one of its ancestors. */
export const belongsTo = (actor: Actor | undefined, path: string) =>
  !!actor && ROLES_IN_DEPT.some((role) => hasRoleOver(actor, role, path));

/**
 * Staff of the data hub: a role that works with data. Counter clerks whose only role is identity
 * verification (identity_verifier) are staff of the service hall, not of the data hub.
 */
export const isStaff = (actor: Actor | undefined) =>
  !!actor &&
  actor.kind === 'staff' &&
  actor.roles.some((r) => (ROLES_IN_DEPT as readonly string[]).includes(r.role));

/** Published and open: what everyone may see. */
export const isPublic = (ds: Pick<DatasetScope, 'status' | 'openType'>) =>
  ds.status === 'published' && ds.openType === 'open';

export function canViewDataset(actor: Actor | undefined, ds: DatasetScope): boolean {
  if (isPublic(ds)) return true;
  if (!actor) return false;
  if (actor.isPlatformAdmin || belongsTo(actor, ds.departmentPath)) return true;
  return isStaff(actor) && ds.status === 'published' && ds.shareType !== 'none';
}

/** Creating and editing metadata and distributions: the provider's data stewards. */
export const canEditDataset = (actor: Actor, departmentPath: string) =>
  isSystemActor(actor) || hasRoleOver(actor, 'data_steward', departmentPath);

/** Publishing, rejecting and withdrawing: the provider's department admins. */
export const canReviewDataset = (actor: Actor, departmentPath: string) =>
  isSystemActor(actor) || hasRoleOver(actor, 'dept_admin', departmentPath);

/** The department's own catalog list (all statuses). */
export const canListDepartmentCatalog = (actor: Actor, departmentPath: string) =>
  actor.isPlatformAdmin || belongsTo(actor, departmentPath);

/** Answering the public's data requests addressed to a department: its admins and stewards. */
export const canAnswerDataRequests = (actor: Actor, departmentPath: string) =>
  isSystemActor(actor) ||
  hasRoleOver(actor, 'dept_admin', departmentPath) ||
  hasRoleOver(actor, 'data_steward', departmentPath);

/** Harvest sources bring other catalogs in: platform admins manage them. */
export const canManageHarvesting = (actor: Actor) => actor.isPlatformAdmin;

/**
 * Which resources a search may return for this actor, as SQL-ready facts: the departments whose
 * whole catalog the actor sees, and whether shared resources of other departments are visible.
 */
export interface SearchVisibility {
  /** Everything, any status (platform admins). */
  all: boolean;
  /** Department ids at whose level (or above) the actor holds a role: their subtrees are visible in full. */
  ownDepartmentRoots: string[];
  /** Published resources shared with other departments (staff). */
  sharedPublished: boolean;
}

export function searchVisibilityOf(actor: Actor | undefined): SearchVisibility {
  if (!actor) return { all: false, ownDepartmentRoots: [], sharedPublished: false };
  return {
    all: actor.isPlatformAdmin,
    ownDepartmentRoots: [
      ...new Set(
        actor.roles
          .filter((r) => (ROLES_IN_DEPT as readonly string[]).includes(r.role))
          .map((r) => r.departmentId),
      ),
    ],
    sharedPublished: isStaff(actor),
  };
}
