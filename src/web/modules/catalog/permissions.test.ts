import { describe, expect, it } from 'vitest';
import type { RoleAssignmentDto } from '../../../contracts/identity.ts';
import { ancestry, datasetActions, departmentsWithRole, usesCatalogConsole } from './permissions.ts';

const depts = [
  { id: 'city', parentId: null },
  { id: 'samr', parentId: 'city' },
  { id: 'samr-1', parentId: 'samr' },
  { id: 'hrss', parentId: 'city' },
];
const role = (role: RoleAssignmentDto['role'], departmentId: string): RoleAssignmentDto => ({
  id: `${role}-${departmentId}`,
  personId: 'p',
  departmentId,
  departmentCode: departmentId,
  departmentNameZh: departmentId,
  departmentNameEn: departmentId,
  role,
  createdAt: '2026-01-01T00:00:00Z',
});
const who = (roles: RoleAssignmentDto[], isPlatformAdmin = false) => ({ roles, isPlatformAdmin });
const ds = (status: string, department = 'samr-1', publishedAt: string | null = null) => ({
  department: { id: department },
  status,
  publishedAt,
});

describe('catalog console permissions', () => {
  it('opens the console to stewards, department admins and platform admins only', () => {
    expect(usesCatalogConsole(who([role('data_steward', 'samr')]))).toBe(true);
    expect(usesCatalogConsole(who([role('dept_admin', 'samr')]))).toBe(true);
    expect(usesCatalogConsole(who([], true))).toBe(true);
    expect(usesCatalogConsole(who([role('case_handler', 'samr')]))).toBe(false);
  });

  it('lets roles reach into sub-departments', () => {
    expect(ancestry('samr-1', depts)).toEqual(['samr-1', 'samr', 'city']);
    expect(departmentsWithRole(who([role('data_steward', 'samr')]), ['data_steward'], depts)).toEqual([
      'samr',
      'samr-1',
    ]);
  });

  it('offers lifecycle actions by role and status', () => {
    const steward = who([role('data_steward', 'samr')]);
    const admin = who([role('dept_admin', 'samr')]);
    expect(datasetActions(steward, ds('draft'), depts)).toMatchObject({
      edit: true,
      submit: true,
      delete: true,
      review: false,
    });
    expect(datasetActions(steward, ds('draft', 'samr-1', '2026-01-01'), depts).delete).toBe(false);
    expect(datasetActions(steward, ds('published'), depts)).toMatchObject({
      edit: true,
      editGoverned: false,
      withdraw: false,
    });
    expect(datasetActions(admin, ds('submitted'), depts)).toMatchObject({
      edit: false,
      review: true,
      withdraw: true,
    });
    expect(datasetActions(admin, ds('submitted', 'hrss'), depts).review).toBe(false);
    // Platform admins see everything but a department owns its data.
    expect(datasetActions(who([], true), ds('submitted'), depts)).toMatchObject({
      edit: false,
      review: false,
    });
  });
});
