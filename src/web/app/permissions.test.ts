import { describe, expect, it } from 'vitest';
import type { PersonDto, RoleAssignmentDto } from '../../contracts/identity.ts';
import { adminDepartmentIds, canSee, homeFor, usesConsole } from './permissions.ts';

const role = (role: RoleAssignmentDto['role'], departmentId = 'd1'): RoleAssignmentDto => ({
  id: `${role}-${departmentId}`,
  personId: 'p',
  departmentId,
  departmentCode: departmentId.toUpperCase(),
  departmentNameZh: departmentId,
  departmentNameEn: departmentId,
  role,
  createdAt: '2026-01-01T00:00:00Z',
});
const who = (kind: PersonDto['kind'], roles: RoleAssignmentDto[] = [], isPlatformAdmin = false) => ({
  kind,
  roles,
  isPlatformAdmin,
});

const SECTIONS = [
  'overview',
  'departments',
  'people',
  'roles',
  'tokens',
  'workingDays',
  'audit',
  'profile',
] as const;
const visible = (p: ReturnType<typeof who>) => SECTIONS.filter((s) => canSee(p, s));

describe('console sections by role', () => {
  it('platform admins see everything', () => {
    expect(visible(who('staff', [], true))).toEqual([...SECTIONS]);
  });

  it('department admins manage people and roles, not departments, tokens or the audit log', () => {
    expect(visible(who('staff', [role('dept_admin')]))).toEqual(['overview', 'people', 'roles', 'profile']);
  });

  it('auditors read the audit log', () => {
    expect(visible(who('staff', [role('auditor')]))).toEqual(['overview', 'audit', 'profile']);
  });

  it('staff without admin roles get overview and profile only', () => {
    expect(visible(who('staff', [role('case_handler'), role('data_steward')]))).toEqual([
      'overview',
      'profile',
    ]);
  });

  it('citizens and businesses have no console and land in their account', () => {
    for (const kind of ['citizen', 'business'] as const) {
      expect(usesConsole(who(kind))).toBe(false);
      expect(visible(who(kind))).toEqual([]);
      expect(homeFor(who(kind))).toBe('/account');
    }
    expect(homeFor(who('staff'))).toBe('/console');
  });

  it('lists each department a person administers once', () => {
    const p = who('staff', [
      role('dept_admin', 'a'),
      role('dept_admin', 'b'),
      role('reviewer', 'c'),
      role('dept_admin', 'a'),
    ]);
    expect(adminDepartmentIds(p)).toEqual(['a', 'b']);
  });

  it('identity verifiers get the counter page only: no people list, no data hub', () => {
    const clerk = who('staff', [role('identity_verifier')]);
    expect(visible(clerk)).toEqual(['overview', 'profile']);
    expect(canSee(clerk, 'counter')).toBe(true);
    for (const s of ['exchangeResources', 'exchangeRequests', 'catalog', 'people'] as const) {
      expect(canSee(clerk, s)).toBe(false);
    }
    // Other roles, department admins included, do not verify at the counter.
    for (const r of ['dept_admin', 'case_handler', 'auditor'] as const) {
      expect(canSee(who('staff', [role(r)]), 'counter')).toBe(false);
    }
    expect(canSee(who('staff', [role('case_handler')]), 'exchangeResources')).toBe(true);
  });

  it('harvest sources are for platform admins only', () => {
    expect(canSee(who('staff', [], true), 'harvest')).toBe(true);
    for (const r of ['dept_admin', 'data_steward', 'auditor'] as const) {
      expect(canSee(who('staff', [role(r)]), 'harvest')).toBe(false);
    }
  });
});
