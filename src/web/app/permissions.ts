import type { PersonDto } from '../../contracts/identity.ts';

// What the console shows a person. The server decides what they may actually do; this only
// hides what would end in a 403, so people are not shown doors that do not open.

export type ConsoleSection =
  | 'overview'
  | 'catalog'
  | 'dataRequests'
  | 'harvest'
  | 'departments'
  | 'people'
  | 'roles'
  | 'tokens'
  | 'workingDays'
  | 'audit'
  | 'exchangeResources'
  | 'exchangeRequests'
  | 'exchangeGrants'
  | 'exchangeLog'
  | 'exchangeNotices'
  | 'counter'
  | 'profile';

type Who = Pick<PersonDto, 'kind' | 'isPlatformAdmin' | 'roles'>;

/** Staff work in the console; citizens and business users have their own account area. */
export const usesConsole = (p: Who) => p.kind === 'staff' || p.isPlatformAdmin;

/** Departments where the person is department admin. */
export const adminDepartmentIds = (p: Who) => [
  ...new Set(p.roles.filter((r) => r.role === 'dept_admin').map((r) => r.departmentId)),
];

/** Roles that work with the data hub; identity verification at the counter is not one of them. */
const hasDataHubRole = (p: Who) => p.roles.some((r) => r.role !== 'identity_verifier');

/** Whether the person may open a console section. */
export function canSee(p: Who, section: ConsoleSection): boolean {
  if (!usesConsole(p)) return false;
  if (p.isPlatformAdmin) return true;
  switch (section) {
    case 'overview':
    case 'profile':
      return true;
    case 'people':
    case 'roles':
      return adminDepartmentIds(p).length > 0;
    case 'audit':
      return p.roles.some((r) => r.role === 'auditor');
    // The catalog is kept by data stewards and reviewed by department admins, who also answer requests.
    case 'catalog':
    case 'dataRequests':
      return p.roles.some((r) => r.role === 'data_steward' || r.role === 'dept_admin');
    // Staff of every department browse shared resources and follow their departments' exchange.
    case 'exchangeResources':
    case 'exchangeRequests':
    case 'exchangeGrants':
    case 'exchangeNotices':
      return hasDataHubRole(p);
    // Real-name verification at the counter: identity verifiers look accounts up and verify them.
    case 'counter':
      return p.roles.some((r) => r.role === 'identity_verifier');
    // The access log is for those who answer for the data: data admins and auditors.
    case 'exchangeLog':
      return p.roles.some(
        (r) => r.role === 'data_steward' || r.role === 'dept_admin' || r.role === 'auditor',
      );
    // Harvesting imports other portals' datasets into every department's catalog: platform admins only.
    case 'harvest':
    case 'departments':
    case 'tokens':
    // Working-day exceptions move every department's deadlines: platform admins only.
    case 'workingDays':
      return false;
  }
}

/** Where a person lands after signing in. */
export const homeFor = (p: Who) => (usesConsole(p) ? '/console' : '/account');
