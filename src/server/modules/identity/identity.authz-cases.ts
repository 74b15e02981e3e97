import type { AuthzCase, AuthzFixture, Persona } from '../../../../test/support/authz.ts';
import { EVERYONE, SIGNED_IN } from '../../../../test/support/authz.ts';
import { residentIdCheckChar } from '../../../contracts/identifiers.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { assignRole, createApiToken, createStaff } from './index.ts';

// Who may reach each identity route (run for every persona by test/authz-matrix.test.ts). The matrix
// authenticates with API tokens; routes that manage credentials (password, second factor, minting
// tokens) need a signed-in session, so every token caller is refused there (403 auth.session_required)
// and the session path of those routes is covered by the identity tests. Real-name verification
// (withdrawing it, the counter routes) has its cases in identity-verification.authz-cases.ts, which
// shares the helpers exported here.

const NO_TOKEN_CALLERS: readonly Persona[] = [];
export const ADMINS_OF_A: readonly Persona[] = ['deptAdmin', 'platformAdmin'];
export const PASSWORD = 'Matrix-Password-2026';
const NOWHERE = '00000000-0000-4000-8000-000000000000';

let serial = 0;
/**
 * Unique names and identifiers, so that cases which create things succeed on every call. One counter
 * for all identity cases (both files), so that identifiers made in the same millisecond never clash.
 */
export function fresh() {
  serial += 1;
  const first17 = `44030519920815${String(serial % 1000).padStart(3, '0')}`;
  return {
    username: `authz-case-${Date.now().toString(36)}-${serial}`,
    code: `AZC${Date.now().toString(36).toUpperCase()}${serial}`,
    residentId: first17 + residentIdCheckChar(first17),
  };
}

/** A new staff member of department A with no roles, for cases that consume a person or a role. */
async function freshStaffOfA(ctx: AppContext, f: AuthzFixture): Promise<string> {
  const person = await createStaff(ctx, systemActor('authz-case'), {
    username: fresh().username,
    displayName: 'Fresh staff',
    password: PASSWORD,
    departmentId: f.deptA.id,
    roles: [],
  });
  return person.id;
}

export type With<T> = AuthzFixture & T;

export const identityAuthzCases: AuthzCase[] = [
  // ---- sign-in and registration: open to all ----------------------------------------------------
  {
    method: 'POST',
    route: '/api/auth/register',
    body: () => {
      const id = fresh();
      return {
        kind: 'citizen',
        username: id.username,
        password: PASSWORD,
        displayName: 'x',
        residentId: id.residentId,
      };
    },
    allow: EVERYONE,
  },
  {
    method: 'POST',
    route: '/api/auth/login',
    body: (f) => ({ username: f.staffA.username, password: PASSWORD }),
    allow: EVERYONE,
  },
  // Without a code the step answers 400 before looking for a pending session: reachable by all.
  { method: 'POST', route: '/api/auth/mfa', body: () => ({}), allow: EVERYONE },
  { method: 'POST', route: '/api/auth/logout', allow: EVERYONE },

  // ---- own account --------------------------------------------------------------------------------
  { method: 'GET', route: '/api/me', allow: SIGNED_IN },
  { method: 'PATCH', route: '/api/me', body: () => ({ locale: 'en' }), allow: SIGNED_IN },
  {
    method: 'POST',
    route: '/api/me/password',
    body: () => ({ currentPassword: PASSWORD, newPassword: 'Another-Matrix-Pass-1' }),
    allow: NO_TOKEN_CALLERS,
  },
  { method: 'POST', route: '/api/me/totp/setup', allow: NO_TOKEN_CALLERS },
  { method: 'POST', route: '/api/me/totp/enable', body: () => ({ code: '123456' }), allow: NO_TOKEN_CALLERS },
  {
    method: 'POST',
    route: '/api/me/totp/disable',
    body: () => ({ password: PASSWORD, code: '123456' }),
    allow: NO_TOKEN_CALLERS,
  },
  {
    method: 'POST',
    route: '/api/me/totp/recovery-codes',
    body: () => ({ code: '123456' }),
    allow: NO_TOKEN_CALLERS,
  },
  // The counter code is a credential of the account (it proves control at the counter): sessions only.
  // Citizens and businesses get it; staff are refused, and verified accounts get 409 (identity tests).
  { method: 'POST', route: '/api/me/identity-verification/code', allow: NO_TOKEN_CALLERS },
  { method: 'GET', route: '/api/me/tokens', allow: SIGNED_IN },
  { method: 'POST', route: '/api/me/tokens', body: () => ({ name: 'matrix' }), allow: NO_TOKEN_CALLERS },
  // Someone else's id is "not found" (404) for the caller: past authorisation, nothing revealed.
  { method: 'DELETE', route: '/api/me/tokens/:id', url: () => `/api/me/tokens/${NOWHERE}`, allow: SIGNED_IN },

  // ---- departments --------------------------------------------------------------------------------
  { method: 'GET', route: '/api/departments', allow: EVERYONE },
  {
    method: 'GET',
    route: '/api/departments/:id',
    url: (f) => `/api/departments/${f.deptA.id}`,
    allow: EVERYONE,
  },
  {
    method: 'POST',
    route: '/api/departments',
    body: () => ({ code: fresh().code, nameZh: '新局', nameEn: 'New bureau' }),
    allow: ['platformAdmin'],
  },
  {
    method: 'PATCH',
    route: '/api/departments/:id',
    url: (f) => `/api/departments/${f.deptA.id}`,
    body: () => ({ nameEn: 'Bureau A' }),
    allow: ADMINS_OF_A,
  },
  {
    method: 'PATCH',
    route: '/api/departments/:id',
    url: (f) => `/api/departments/${f.deptB.id}`,
    body: () => ({ nameEn: 'Bureau B' }),
    allow: ['otherDeptStaff', 'platformAdmin'],
  },
  // Status and place in the tree are the platform admins' alone, even for the department's own admin.
  {
    method: 'PATCH',
    route: '/api/departments/:id',
    url: (f) => `/api/departments/${f.deptA.id}`,
    body: () => ({ active: true }),
    allow: ['platformAdmin'],
  },

  // ---- people -------------------------------------------------------------------------------------
  { method: 'GET', route: '/api/people', allow: ['deptAdmin', 'otherDeptStaff', 'platformAdmin'] },
  { method: 'GET', route: '/api/people/:id', url: (f) => `/api/people/${f.staffA.id}`, allow: ADMINS_OF_A },
  {
    method: 'GET',
    route: '/api/people/:id',
    url: (f) => `/api/people/${f.people.citizen.id}`,
    allow: ['citizen', 'platformAdmin'],
  },
  {
    method: 'POST',
    route: '/api/people',
    body: (f) => ({
      username: fresh().username,
      displayName: 'New',
      password: PASSWORD,
      departmentId: f.deptA.id,
      roles: [],
    }),
    allow: ADMINS_OF_A,
  },
  {
    method: 'POST',
    route: '/api/people',
    body: (f) => ({
      username: fresh().username,
      displayName: 'New',
      password: PASSWORD,
      departmentId: f.deptB.id,
      roles: [],
    }),
    allow: ['otherDeptStaff', 'platformAdmin'],
  },
  {
    method: 'PATCH',
    route: '/api/people/:id',
    url: (f) => `/api/people/${f.staffA.id}`,
    body: () => ({ displayName: 'Staff A' }),
    allow: ADMINS_OF_A,
  },
  {
    method: 'POST',
    route: '/api/people/:id/unlock',
    url: (f) => `/api/people/${f.staffA.id}/unlock`,
    allow: ADMINS_OF_A,
  },
  {
    method: 'POST',
    route: '/api/people/:id/password',
    url: (f) => `/api/people/${f.staffA.id}/password`,
    body: () => ({ password: PASSWORD }),
    allow: ADMINS_OF_A,
  },

  // ---- roles --------------------------------------------------------------------------------------
  {
    method: 'POST',
    route: '/api/role-assignments',
    prepare: async (f, ctx) => ({ target: await freshStaffOfA(ctx, f) }),
    body: (f) => ({
      personId: (f as With<{ target: string }>).target,
      departmentId: f.deptA.id,
      role: 'reviewer',
    }),
    allow: ADMINS_OF_A,
  },
  {
    method: 'DELETE',
    route: '/api/role-assignments/:id',
    prepare: async (f, ctx) => {
      const personId = await freshStaffOfA(ctx, f);
      const role = await assignRole(ctx, systemActor('authz-case'), {
        personId,
        departmentId: f.deptA.id,
        role: 'reviewer',
      });
      return { roleId: role.id };
    },
    url: (f) => `/api/role-assignments/${(f as With<{ roleId: string }>).roleId}`,
    allow: ADMINS_OF_A,
  },

  // ---- token oversight ----------------------------------------------------------------------------
  { method: 'GET', route: '/api/tokens', allow: ['platformAdmin'] },
  {
    method: 'DELETE',
    route: '/api/tokens/:id',
    prepare: async (f, ctx) => {
      const { apiToken } = await createApiToken(ctx, systemActor('authz-case'), f.staffA.id, {
        name: 'to revoke',
      });
      return { tokenId: apiToken.id };
    },
    url: (f) => `/api/tokens/${(f as With<{ tokenId: string }>).tokenId}`,
    allow: ['platformAdmin'],
  },
];
