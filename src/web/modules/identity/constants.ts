import type { DepartmentRoleName, PersonKindName } from '../../../contracts/identity.ts';

// The value lists of contracts/identity.ts, restated so the browser bundle does not pull in TypeBox
// with them. The checks below fail to compile when the contract gains or loses a value.

export const DEPARTMENT_ROLES = [
  'dept_admin',
  'data_steward',
  'case_handler',
  'reviewer',
  'auditor',
  'identity_verifier',
] as const satisfies readonly DepartmentRoleName[];
export const PERSON_KINDS = ['citizen', 'business', 'staff'] as const satisfies readonly PersonKindName[];

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const rolesComplete: Exhaustive<DepartmentRoleName, (typeof DEPARTMENT_ROLES)[number]> = true;
const kindsComplete: Exhaustive<PersonKindName, (typeof PERSON_KINDS)[number]> = true;
void rolesComplete;
void kindsComplete;
