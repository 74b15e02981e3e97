import { describe, expect, it } from 'vitest';
import { type Actor, type ActorRole, systemActor } from '../../platform/auth/actor.ts';
import {
  adminRootsOf,
  canCreateDepartment,
  canCreateStaffIn,
  canCreateTokenFor,
  canGrantPlatformAdmin,
  canListAllTokens,
  canListPendingReleases,
  canListPeople,
  canManagePerson,
  canManageRole,
  canRevokeToken,
  canSeeInactiveDepartments,
  canStopRelease,
  canUpdateDepartment,
  canVerifyAtCounter,
  canViewPerson,
  canWithdrawVerification,
  counterDepartmentOf,
  type PersonScope,
} from './identity.policy.ts';

// Tree: city (c) → bureau A (a) → office A1 (a1); city → bureau B (b).
const PATH = { c: 'c', a: 'c/a', a1: 'c/a/a1', b: 'c/b' } as const;
const role = (dept: keyof typeof PATH, r: ActorRole['role']): ActorRole => ({
  departmentId: dept,
  departmentPath: PATH[dept],
  role: r,
});
const actor = (roles: ActorRole[] = [], over: Partial<Actor> = {}): Actor => ({
  personId: 'me',
  username: 'me',
  displayName: 'Me',
  kind: 'staff',
  isPlatformAdmin: false,
  roles,
  via: 'session',
  ...over,
});
const person = (rolePaths: string[], over: Partial<PersonScope> = {}): PersonScope => ({
  id: 'p',
  kind: 'staff',
  isPlatformAdmin: false,
  rolePaths,
  ...over,
});

const platformAdmin = actor([], { isPlatformAdmin: true });
const adminA = actor([role('a', 'dept_admin')]);
const auditorA = actor([role('a', 'auditor')]);
const citizen = actor([], { kind: 'citizen' });

describe('identity policies', () => {
  it('leaves department creation and inactive departments to platform admins', () => {
    expect(canCreateDepartment(platformAdmin)).toBe(true);
    expect(canCreateDepartment(adminA)).toBe(false);
    expect(canSeeInactiveDepartments(platformAdmin)).toBe(true);
    expect(canSeeInactiveDepartments(adminA)).toBe(false);
    expect(canSeeInactiveDepartments(undefined)).toBe(false);
  });

  it('lets a department admin change names and region of their subtree only', () => {
    expect(canUpdateDepartment(adminA, PATH.a, { nameZh: '新名' })).toBe(true);
    expect(canUpdateDepartment(adminA, PATH.a1, { nameEn: 'x', regionCode: '110101' })).toBe(true);
    expect(canUpdateDepartment(adminA, PATH.a, { active: false })).toBe(false);
    expect(canUpdateDepartment(adminA, PATH.a1, { nameEn: 'x', parentId: null })).toBe(false);
    expect(canUpdateDepartment(adminA, PATH.b, { nameEn: 'x' })).toBe(false);
    expect(canUpdateDepartment(adminA, PATH.c, { nameEn: 'x' })).toBe(false);
    expect(canUpdateDepartment(auditorA, PATH.a, { nameEn: 'x' })).toBe(false);
    expect(canUpdateDepartment(platformAdmin, PATH.b, { parentId: 'a', active: false })).toBe(true);
  });

  it('scopes the people list to platform admins and department admins', () => {
    expect(canListPeople(platformAdmin)).toBe(true);
    expect(canListPeople(adminA)).toBe(true);
    expect(canListPeople(auditorA)).toBe(false);
    expect(canListPeople(citizen)).toBe(false);
    expect(
      adminRootsOf(actor([role('a', 'dept_admin'), role('b', 'auditor'), role('b', 'dept_admin')])),
    ).toEqual(['a', 'b']);
  });

  it('shows a person to themself, platform admins and admins of any department they hold a role in', () => {
    expect(canViewPerson(citizen, person([], { id: 'me', kind: 'citizen' }))).toBe(true);
    expect(canViewPerson(citizen, person([PATH.a]))).toBe(false);
    expect(canViewPerson(adminA, person([PATH.a1]))).toBe(true);
    expect(canViewPerson(adminA, person([PATH.b, PATH.a1]))).toBe(true);
    expect(canViewPerson(adminA, person([PATH.b]))).toBe(false);
    expect(canViewPerson(adminA, person([], { kind: 'citizen' }))).toBe(false);
    expect(canViewPerson(platformAdmin, person([], { kind: 'citizen' }))).toBe(true);
  });

  it('lets a department admin manage staff whose every role lies in their subtree', () => {
    expect(canManagePerson(adminA, person([PATH.a, PATH.a1]))).toBe(true);
    expect(canManagePerson(adminA, person([PATH.a1, PATH.b]))).toBe(false);
    expect(canManagePerson(adminA, person([PATH.a], { isPlatformAdmin: true }))).toBe(false);
    expect(canManagePerson(adminA, person([], { kind: 'citizen' }))).toBe(false);
    expect(canManagePerson(adminA, person([]))).toBe(false);
    expect(canManagePerson(auditorA, person([PATH.a]))).toBe(false);
    expect(canManagePerson(platformAdmin, person([PATH.b], { isPlatformAdmin: true }))).toBe(true);
  });

  it('lets department admins create staff in their subtree; only platform admins make platform admins', () => {
    expect(canCreateStaffIn(adminA, PATH.a1)).toBe(true);
    expect(canCreateStaffIn(adminA, PATH.b)).toBe(false);
    expect(canGrantPlatformAdmin(adminA)).toBe(false);
    expect(canGrantPlatformAdmin(platformAdmin)).toBe(true);
    expect(canGrantPlatformAdmin(systemActor())).toBe(true);
  });

  it('keeps auditor appointments away from the admins they supervise', () => {
    expect(canManageRole(adminA, PATH.a1, 'case_handler')).toBe(true);
    expect(canManageRole(adminA, PATH.a, 'dept_admin')).toBe(true);
    expect(canManageRole(adminA, PATH.a, 'auditor')).toBe(false);
    expect(canManageRole(adminA, PATH.b, 'case_handler')).toBe(false);
    expect(canManageRole(platformAdmin, PATH.a, 'auditor')).toBe(true);
  });

  it('gives tokens to their holders, with oversight by platform admins', () => {
    expect(canCreateTokenFor(citizen, 'me')).toBe(true);
    expect(canCreateTokenFor(citizen, 'someone')).toBe(false);
    expect(canCreateTokenFor(platformAdmin, 'someone')).toBe(false);
    expect(canCreateTokenFor(systemActor(), 'someone')).toBe(true);
    expect(canRevokeToken(citizen, 'me')).toBe(true);
    expect(canRevokeToken(citizen, 'someone')).toBe(false);
    expect(canRevokeToken(platformAdmin, 'someone')).toBe(true);
    expect(canListAllTokens(platformAdmin)).toBe(true);
    expect(canListAllTokens(adminA)).toBe(false);
  });
});

describe('counter verification', () => {
  it('identity verifiers and platform admins verify at the counter; no other role does', () => {
    expect(canVerifyAtCounter(actor([role('a1', 'identity_verifier')]))).toBe(true);
    expect(canVerifyAtCounter(actor([], { isPlatformAdmin: true }))).toBe(true);
    for (const r of ['dept_admin', 'case_handler', 'reviewer', 'auditor', 'data_steward'] as const) {
      expect(canVerifyAtCounter(actor([role('c', r)])), r).toBe(false);
    }
    expect(counterDepartmentOf(actor([role('b', 'case_handler'), role('a1', 'identity_verifier')]))).toBe(
      'a1',
    );
    expect(counterDepartmentOf(actor([], { isPlatformAdmin: true }))).toBeNull();
  });

  it('a verification is withdrawn by platform admins and admins over the counter’s department', () => {
    expect(canWithdrawVerification(actor([role('a', 'dept_admin')]), PATH.a1)).toBe(true);
    expect(canWithdrawVerification(actor([role('b', 'dept_admin')]), PATH.a1)).toBe(false);
    expect(canWithdrawVerification(actor([role('a1', 'identity_verifier')]), PATH.a1)).toBe(false);
    expect(canWithdrawVerification(actor([role('c', 'dept_admin')]), null)).toBe(false);
    expect(canWithdrawVerification(actor([], { isPlatformAdmin: true }), null)).toBe(true);
  });

  it('a pending release is stopped by platform admins and admins over the asking counter’s department', () => {
    expect(canStopRelease(actor([role('a', 'dept_admin')]), PATH.a1)).toBe(true);
    expect(canStopRelease(actor([role('b', 'dept_admin')]), PATH.a1)).toBe(false);
    // The clerk who asked is not the second person.
    expect(canStopRelease(actor([role('a1', 'identity_verifier')]), PATH.a1)).toBe(false);
    expect(canStopRelease(actor([role('c', 'dept_admin')]), null)).toBe(false);
    expect(canStopRelease(actor([], { isPlatformAdmin: true }), null)).toBe(true);
    expect(canListPendingReleases(actor([role('a', 'dept_admin')]))).toBe(true);
    expect(canListPendingReleases(actor([role('a1', 'identity_verifier')]))).toBe(false);
    expect(canListPendingReleases(actor([], { isPlatformAdmin: true }))).toBe(true);
  });

  it('only platform admins appoint identity verifiers', () => {
    expect(canManageRole(actor([role('a', 'dept_admin')]), PATH.a1, 'identity_verifier')).toBe(false);
    expect(canManageRole(actor([], { isPlatformAdmin: true }), PATH.a1, 'identity_verifier')).toBe(true);
  });
});
