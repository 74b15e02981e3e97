import type { DepartmentDto, DepartmentRoleName, PersonDto } from '../../../contracts/identity.ts';
import { departmentsWithRole, hasRoleOver } from '../catalog/permissions.ts';

// What the exchange pages offer a person, mirroring exchange.policy.ts on the server (roles reach
// into sub-departments). The server still decides; this only hides buttons that would end in a 403.

type Who = Pick<PersonDto, 'kind' | 'isPlatformAdmin' | 'roles'>;
type Dept = Pick<DepartmentDto, 'id' | 'parentId'>;

const DATA_ADMIN_ROLES: readonly DepartmentRoleName[] = ['data_steward', 'dept_admin'];

/** Citizens and businesses see accesses to records about themselves. */
export const seesOwnAccesses = (p: Pick<PersonDto, 'kind'>) => p.kind === 'citizen' || p.kind === 'business';

/** Whether the person is a data steward or department admin of the department (or one above it). */
export const isDataAdminOf = (p: Who, departmentId: string, departments: readonly Dept[]) =>
  DATA_ADMIN_ROLES.some((role) => hasRoleOver(p, role, departmentId, departments));

/** Departments the person may ask for data on behalf of, never the resource's owner itself. */
export const requesterDepartments = (p: Who, departments: readonly Dept[], ownerDepartmentId?: string) =>
  departmentsWithRole(p, DATA_ADMIN_ROLES, departments).filter((id) => id !== ownerDepartmentId);

type RequestLike = { ownerDepartmentId: string; requesterDepartmentId: string; state: string };
type GrantLike = { ownerDepartmentId: string; granteeDepartmentId: string; state: string };

/** What the person may do with one request. */
export function requestActions(p: Who, r: RequestLike, departments: readonly Dept[]) {
  const pending = r.state === 'pending';
  return {
    decide: pending && isDataAdminOf(p, r.ownerDepartmentId, departments),
    withdraw: pending && isDataAdminOf(p, r.requesterDepartmentId, departments),
  };
}

/** What the person may do with one grant, by side and state (revoked and expired grants are final). */
export function grantActions(p: Who, g: GrantLike, departments: readonly Dept[]) {
  const owner = isDataAdminOf(p, g.ownerDepartmentId, departments);
  const grantee = isDataAdminOf(p, g.granteeDepartmentId, departments);
  const live = g.state === 'active' || g.state === 'suspended';
  return {
    /** Credential, subscriptions and extracts belong to the grantee's data administrators. */
    use: grantee && g.state === 'active',
    manageDelivery: grantee && live,
    renew: owner && (live || g.state === 'expired'),
    suspend: (owner || p.isPlatformAdmin || grantee) && g.state === 'active',
    resume: owner && g.state === 'suspended',
    revoke: (owner || p.isPlatformAdmin || grantee) && g.state !== 'revoked',
  };
}
