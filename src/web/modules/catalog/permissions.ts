import type { DepartmentDto, DepartmentRoleName, PersonDto } from '../../../contracts/identity.ts';

// What the catalog console offers a person. Roles reach into sub-departments, as on the server
// (catalog.policy.ts); the server still decides, this only hides buttons that would end in a 403.

type Who = Pick<PersonDto, 'isPlatformAdmin' | 'roles'>;
type Dept = Pick<DepartmentDto, 'id' | 'parentId'>;

const CATALOG_ROLES: readonly DepartmentRoleName[] = ['data_steward', 'dept_admin'];

/** Stewards and department admins work on the catalog; platform admins see it all. */
export const usesCatalogConsole = (p: Who) =>
  p.isPlatformAdmin || p.roles.some((r) => CATALOG_ROLES.includes(r.role));

/** The department and its ancestors, nearest first (a role held in any of them reaches it). */
export function ancestry(departmentId: string, departments: readonly Dept[]): string[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const chain: string[] = [];
  let current: string | null | undefined = departmentId;
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = byId.get(current)?.parentId;
  }
  return chain;
}

/** Whether the person holds `role` in the department or one above it. */
export function hasRoleOver(
  p: Who,
  role: DepartmentRoleName,
  departmentId: string,
  departments: readonly Dept[],
) {
  const chain = ancestry(departmentId, departments);
  return p.roles.some((r) => r.role === role && chain.includes(r.departmentId));
}

/** Departments where the person holds one of `roles`, with everything below them. */
export function departmentsWithRole(
  p: Who,
  roles: readonly DepartmentRoleName[],
  departments: readonly Dept[],
): string[] {
  const roots = new Set(p.roles.filter((r) => roles.includes(r.role)).map((r) => r.departmentId));
  return departments.filter((d) => ancestry(d.id, departments).some((id) => roots.has(id))).map((d) => d.id);
}

/** What the person may do with one resource, by role and status. */
export function datasetActions(
  p: Who,
  ds: { department: { id: string }; status: string; publishedAt: string | null },
  departments: readonly Dept[],
) {
  const steward = hasRoleOver(p, 'data_steward', ds.department.id, departments);
  const admin = hasRoleOver(p, 'dept_admin', ds.department.id, departments);
  const editable = ['draft', 'submitted', 'published'].includes(ds.status);
  return {
    edit: steward && editable,
    /** Sharing and opening of a published resource change only with its department admin. */
    editGoverned: steward && editable && (ds.status !== 'published' || admin),
    submit: steward && (ds.status === 'draft' || ds.status === 'withdrawn'),
    delete: steward && ds.status === 'draft' && ds.publishedAt === null,
    review: admin && ds.status === 'submitted',
    withdraw: admin && (ds.status === 'published' || ds.status === 'submitted'),
  };
}
