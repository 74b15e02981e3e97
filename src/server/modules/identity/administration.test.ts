import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import type { DepartmentDto, PersonDto } from '../../../contracts/identity.ts';
import { verifyAuditLog } from '../../platform/audit/index.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { auditEntries, registerCitizen, STRONG_PASSWORD, signIn } from './identity.test-helpers.ts';
import {
  assignRole,
  createDepartment,
  createStaff,
  findDepartmentByCode,
  findPersonByUsername,
} from './index.ts';

// A city with two bureaus; bureau A has a sub-office. adminA administers A (and so A1), adminB administers B.
let t: TestApp;
let deptA: DepartmentDto;
let deptA1: DepartmentDto;
let deptB: DepartmentDto;
let staffA1: PersonDto;
let staffB: PersonDto;
let root: TestClient;
let adminA: TestClient;
let adminB: TestClient;

const staff = (
  username: string,
  departmentId: string,
  roles: PersonDto['roles'][number]['role'][],
  isPlatformAdmin = false,
) =>
  createStaff(t.ctx, systemActor(), {
    username,
    displayName: username,
    password: STRONG_PASSWORD,
    departmentId,
    roles,
    isPlatformAdmin,
  });

beforeAll(async () => {
  t = await createTestApp();
  deptA = await createDepartment(t.ctx, systemActor(), {
    code: 'AA',
    nameZh: '甲局',
    nameEn: 'Bureau A',
    regionCode: '110101',
  });
  deptA1 = await createDepartment(t.ctx, systemActor(), {
    code: 'A1',
    nameZh: '甲局一处',
    nameEn: 'A Office 1',
    parentId: deptA.id,
  });
  deptB = await createDepartment(t.ctx, systemActor(), { code: 'BB', nameZh: '乙局', nameEn: 'Bureau B' });
  await staff('root', deptA.id, [], true);
  await staff('admin-a', deptA.id, ['dept_admin']);
  await staff('admin-b', deptB.id, ['dept_admin']);
  staffA1 = await staff('clerk-a1', deptA1.id, ['case_handler']);
  staffB = await staff('clerk-b', deptB.id, ['case_handler']);
  root = await signIn(t.app, 'root');
  adminA = await signIn(t.app, 'admin-a');
  adminB = await signIn(t.app, 'admin-b');
});
afterAll(async () => t.close());

describe('departments', () => {
  it('lists the tree publicly and finds a department by code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/departments' });
    expect(res.statusCode).toBe(200);
    const codes = res.json().map((d: DepartmentDto) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['AA', 'A1', 'BB']));
    expect(codes.indexOf('A1')).toBeGreaterThan(codes.indexOf('AA'));
    expect((await findDepartmentByCode(t.ctx, 'A1'))?.parentId).toBe(deptA.id);
    expect(await findDepartmentByCode(t.ctx, 'NOPE')).toBeUndefined();
    const one = await t.app.inject({ method: 'GET', url: `/api/departments/${deptA1.id}` });
    expect(one.json()).toMatchObject({ code: 'A1', nameEn: 'A Office 1' });
  });

  it('lets platform admins create departments and refuses duplicate codes and unknown parents', async () => {
    const res = await root.post('/api/departments', { code: 'CC', nameZh: '丙局', nameEn: 'Bureau C' });
    expect(res.statusCode).toBe(201);
    const entry = (await auditEntries(t.ctx, 'identity.department.create')).find(
      (e) => e.target_id === res.json().id,
    );
    expect(entry).toMatchObject({
      department_id: res.json().id,
      actor_label: 'root',
      request_id: expect.any(String),
    });
    expect(
      (await root.post('/api/departments', { code: 'CC', nameZh: 'x', nameEn: 'x' })).json().error.code,
    ).toBe('identity.department_code_taken');
    const orphan = await root.post('/api/departments', {
      code: 'DD',
      nameZh: 'x',
      nameEn: 'x',
      parentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(orphan.json().error.code).toBe('identity.invalid_parent');
    expect((await adminA.post('/api/departments', { code: 'EE', nameZh: 'x', nameEn: 'x' })).statusCode).toBe(
      403,
    );
  });

  it('lets a department admin rename their own department and sub-departments, nothing more', async () => {
    expect(
      (await adminA.patch(`/api/departments/${deptA1.id}`, { nameEn: 'A Office One' })).json().nameEn,
    ).toBe('A Office One');
    expect((await adminA.patch(`/api/departments/${deptA.id}`, { regionCode: '110102' })).statusCode).toBe(
      200,
    );
    expect((await adminA.patch(`/api/departments/${deptA.id}`, { active: false })).statusCode).toBe(403);
    expect((await adminA.patch(`/api/departments/${deptA1.id}`, { parentId: null })).statusCode).toBe(403);
    expect((await adminA.patch(`/api/departments/${deptB.id}`, { nameEn: 'Mine now' })).statusCode).toBe(403);
    const entry = (await auditEntries(t.ctx, 'identity.department.update')).find(
      (e) => e.department_id === deptA1.id,
    );
    expect(entry?.details).toMatchObject({ changes: { nameEn: 'A Office One' } });
  });

  it('moves a subtree and carries scope with it, refusing cycles', async () => {
    const x = await createDepartment(t.ctx, systemActor(), { code: 'XX', nameZh: '戊', nameEn: 'X' });
    const x1 = await createDepartment(t.ctx, systemActor(), {
      code: 'X1',
      nameZh: '戊一',
      nameEn: 'X1',
      parentId: x.id,
    });
    const cycle = await root.patch(`/api/departments/${x.id}`, { parentId: x1.id });
    expect(cycle.json().error.code).toBe('identity.invalid_parent');
    expect((await root.patch(`/api/departments/${x.id}`, { parentId: deptB.id })).statusCode).toBe(200);
    const paths = await t.ctx.db
      .selectFrom('departments')
      .select(['code', 'path'])
      .where('code', 'in', ['XX', 'X1'])
      .execute();
    const byCode = Object.fromEntries(paths.map((p) => [p.code, p.path]));
    expect(byCode.X1).toBe(`${deptB.id}/${x.id}/${x1.id}`);
    // adminB now reaches X1 through B
    expect((await adminB.patch(`/api/departments/${x1.id}`, { nameEn: 'X one' })).statusCode).toBe(200);
  });

  it('hides inactive departments from everyone but platform admins', async () => {
    const old = await createDepartment(t.ctx, systemActor(), { code: 'OLD', nameZh: '旧', nameEn: 'Old' });
    expect((await root.patch(`/api/departments/${old.id}`, { active: false })).json().active).toBe(false);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/departments' });
    expect(anonymous.json().some((d: DepartmentDto) => d.code === 'OLD')).toBe(false);
    expect((await root.get('/api/departments')).json().some((d: DepartmentDto) => d.code === 'OLD')).toBe(
      true,
    );
    expect((await t.app.inject({ method: 'GET', url: `/api/departments/${old.id}` })).statusCode).toBe(404);
  });
});

describe('people', () => {
  it('shows a department admin the staff of their subtree only', async () => {
    const page = await adminA.get('/api/people?limit=200');
    expect(page.statusCode).toBe(200);
    const names = page.json().items.map((p: PersonDto) => p.username);
    expect(names).toEqual(expect.arrayContaining(['admin-a', 'clerk-a1']));
    expect(names).not.toContain('clerk-b');
    expect(names).not.toContain('root');
    expect(page.json().total).toBe(names.length);
    const everyone = await root.get('/api/people?limit=200');
    expect(everyone.json().items.map((p: PersonDto) => p.username)).toEqual(
      expect.arrayContaining(['clerk-b', 'root']),
    );
    const filtered = await root.get(`/api/people?departmentId=${deptA1.id}`);
    expect(filtered.json().items.map((p: PersonDto) => p.username)).toEqual(['clerk-a1']);
    const searched = await root.get('/api/people?q=CLERK&kind=staff');
    expect(searched.json().total).toBe(2);
  });

  it('lets a department admin see and manage people in their subtree, not in another department', async () => {
    expect((await adminA.get(`/api/people/${staffA1.id}`)).statusCode).toBe(200);
    expect((await adminA.get(`/api/people/${staffB.id}`)).statusCode).toBe(403);
    expect(
      (await adminA.patch(`/api/people/${staffA1.id}`, { displayName: 'Clerk One' })).json().displayName,
    ).toBe('Clerk One');
    expect((await adminA.patch(`/api/people/${staffB.id}`, { displayName: 'x' })).statusCode).toBe(403);
    const update = (await auditEntries(t.ctx, 'identity.person.update')).find(
      (e) => e.target_id === staffA1.id,
    );
    expect(update).toMatchObject({
      department_id: deptA1.id,
      actor_label: 'admin-a',
      details: { fields: ['displayName'] },
    });
    expect((await adminA.post(`/api/people/${staffB.id}/unlock`)).statusCode).toBe(403);
    expect(
      (await adminA.post(`/api/people/${staffB.id}/password`, { password: 'Brand-New-Pass-1' })).statusCode,
    ).toBe(403);

    const clerk = await signIn(t.app, 'clerk-a1');
    expect(
      (await adminA.post(`/api/people/${staffA1.id}/password`, { password: 'Brand-New-Pass-1' })).statusCode,
    ).toBe(204);
    expect((await clerk.get('/api/me')).statusCode).toBe(401);
    await signIn(t.app, 'clerk-a1', 'Brand-New-Pass-1');
    const reset = (await auditEntries(t.ctx, 'identity.person.password_reset')).find(
      (e) => e.target_id === staffA1.id,
    );
    expect(reset).toMatchObject({ department_id: deptA1.id, actor_label: 'admin-a' });
    expect(JSON.stringify(reset)).not.toContain('Brand-New-Pass-1');
  });

  it('lets a person read their own record and nobody else outside scope', async () => {
    const { client, me } = await registerCitizen(t.app, 1);
    expect((await client.get(`/api/people/${me.person.id}`)).statusCode).toBe(200);
    expect((await client.get(`/api/people/${staffA1.id}`)).statusCode).toBe(403);
    expect((await adminA.get(`/api/people/${me.person.id}`)).statusCode).toBe(403);
    expect((await client.get('/api/people')).statusCode).toBe(403);
  });

  it('creates staff in a department of the subtree only, never platform admins', async () => {
    const created = await adminA.post('/api/people', {
      username: 'new-a1',
      displayName: 'New',
      password: STRONG_PASSWORD,
      departmentId: deptA1.id,
      roles: ['data_steward', 'reviewer'],
    });
    expect(created.statusCode).toBe(201);
    expect(
      created
        .json()
        .roles.map((r: { role: string }) => r.role)
        .sort(),
    ).toEqual(['data_steward', 'reviewer']);
    const entry = (await auditEntries(t.ctx, 'identity.person.create')).find(
      (e) => e.target_id === created.json().id,
    );
    expect(entry).toMatchObject({ department_id: deptA1.id });
    expect(JSON.stringify(entry)).not.toContain(STRONG_PASSWORD);

    const elsewhere = await adminA.post('/api/people', {
      username: 'new-b',
      displayName: 'New',
      password: STRONG_PASSWORD,
      departmentId: deptB.id,
      roles: [],
    });
    expect(elsewhere.statusCode).toBe(403);
    const auditor = await adminA.post('/api/people', {
      username: 'own-auditor',
      displayName: 'x',
      password: STRONG_PASSWORD,
      departmentId: deptA.id,
      roles: ['auditor'],
    });
    expect(auditor.statusCode).toBe(403);
    const admin = await adminA.post('/api/people', {
      username: 'sneaky',
      displayName: 'x',
      password: STRONG_PASSWORD,
      departmentId: deptA.id,
      roles: [],
      isPlatformAdmin: true,
    });
    expect(admin.statusCode).toBe(400);
    expect(await findPersonByUsername(t.ctx, 'sneaky')).toBeUndefined();
    const taken = await root.post('/api/people', {
      username: 'NEW-A1',
      displayName: 'x',
      password: STRONG_PASSWORD,
      departmentId: deptA.id,
      roles: [],
    });
    expect(taken.json().error.code).toBe('identity.username_taken');
  });

  it('does not let a department admin manage someone who also holds a role elsewhere', async () => {
    const both = await staff('both', deptA.id, ['case_handler']);
    await assignRole(t.ctx, systemActor(), { personId: both.id, departmentId: deptB.id, role: 'reviewer' });
    expect((await adminA.get(`/api/people/${both.id}`)).statusCode).toBe(200);
    expect(
      (await adminA.post(`/api/people/${both.id}/password`, { password: 'Brand-New-Pass-2' })).statusCode,
    ).toBe(403);
    expect(
      (await root.post(`/api/people/${both.id}/password`, { password: 'Brand-New-Pass-2' })).statusCode,
    ).toBe(204);
  });
});

describe('role assignments', () => {
  it('grants and revokes roles within the subtree, with audit entries in that department', async () => {
    const granted = await adminA.post('/api/role-assignments', {
      personId: staffA1.id,
      departmentId: deptA1.id,
      role: 'reviewer',
    });
    expect(granted.statusCode).toBe(201);
    expect(granted.json()).toMatchObject({ departmentCode: 'A1', role: 'reviewer', personId: staffA1.id });
    const dup = await adminA.post('/api/role-assignments', {
      personId: staffA1.id,
      departmentId: deptA1.id,
      role: 'reviewer',
    });
    expect(dup.statusCode).toBe(409);
    const assign = (await auditEntries(t.ctx, 'identity.role.assign')).find(
      (e) => (e.details as { assignmentId?: string }).assignmentId === granted.json().id,
    );
    expect(assign).toMatchObject({ department_id: deptA1.id, target_id: staffA1.id });

    expect((await adminB.delete(`/api/role-assignments/${granted.json().id}`)).statusCode).toBe(403);
    expect((await adminA.delete(`/api/role-assignments/${granted.json().id}`)).statusCode).toBe(204);
    expect(
      (await auditEntries(t.ctx, 'identity.role.revoke')).some((e) => e.department_id === deptA1.id),
    ).toBe(true);
  });

  it('refuses roles in another department, auditor appointments by department admins, and roles for citizens', async () => {
    expect(
      (
        await adminA.post('/api/role-assignments', {
          personId: staffA1.id,
          departmentId: deptB.id,
          role: 'reviewer',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await adminA.post('/api/role-assignments', {
          personId: staffA1.id,
          departmentId: deptA.id,
          role: 'auditor',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await root.post('/api/role-assignments', {
          personId: staffA1.id,
          departmentId: deptA.id,
          role: 'auditor',
        })
      ).statusCode,
    ).toBe(201);
    const { me } = await registerCitizen(t.app, 2);
    const citizenRole = await root.post('/api/role-assignments', {
      personId: me.person.id,
      departmentId: deptA.id,
      role: 'reviewer',
    });
    expect(citizenRole.json().error.code).toBe('identity.not_staff');
  });

  it('makes a new role effective on the next request', async () => {
    const clerkB = await signIn(t.app, 'clerk-b');
    expect((await clerkB.get('/api/people')).statusCode).toBe(403);
    await root.post('/api/role-assignments', {
      personId: staffB.id,
      departmentId: deptB.id,
      role: 'dept_admin',
    });
    expect((await clerkB.get('/api/people')).statusCode).toBe(200);
  });
});

describe('audit trail', () => {
  it('stays a valid hash chain after everything above', async () => {
    const result = await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey);
    expect(result.ok).toBe(true);
    expect(result.verified).toBeGreaterThan(20);
  });
});
