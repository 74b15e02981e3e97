import type { AuthzCase, AuthzFixture, Persona } from '../../../../test/support/authz.ts';
import { EVERYONE, SIGNED_IN } from '../../../../test/support/authz.ts';
import { residentIdCheckChar } from '../../../contracts/identifiers.ts';
import { type Actor, systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import {
  assignRole,
  createApiToken,
  createStaff,
  issueCounterCode,
  registerPerson,
  releaseAtCounter,
  verifyAtCounter,
  verifyIdentity,
} from './index.ts';

// Who may reach each identity route (run for every persona by test/authz-matrix.test.ts). The matrix
// authenticates with API tokens; routes that manage credentials (password, second factor, minting
// tokens) need a signed-in session, so every token caller is refused there (403 auth.session_required)
// and the session path of those routes is covered by the identity tests.

const NO_TOKEN_CALLERS: readonly Persona[] = [];
const ADMINS_OF_A: readonly Persona[] = ['deptAdmin', 'platformAdmin'];
const COUNTER: readonly Persona[] = ['counterClerk', 'platformAdmin'];
const PASSWORD = 'Matrix-Password-2026';
const NOWHERE = '00000000-0000-4000-8000-000000000000';

let serial = 0;
/** Unique names and identifiers, so that cases which create things succeed on every call. */
function fresh() {
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

/** A new, unverified resident, for cases that verify (or withdraw the verification of) someone. */
async function freshCitizen(ctx: AppContext): Promise<string> {
  return (await freshCitizenWithId(ctx)).id;
}

/** The same, with the resident ID number it registered with (what a counter clerk types). */
async function freshCitizenWithId(
  ctx: AppContext,
): Promise<{ id: string; residentId: string; username: string }> {
  const id = fresh();
  const person = await registerPerson(ctx, {
    kind: 'citizen',
    username: id.username,
    password: PASSWORD,
    displayName: 'Fresh resident',
    residentId: id.residentId,
  });
  return { id: person.id, residentId: id.residentId, username: id.username };
}

/** A fresh resident and the counter code they made on their account page (in a browser session). */
async function freshCitizenWithCode(ctx: AppContext) {
  const citizen = await freshCitizenWithId(ctx);
  const { code } = await issueCounterCode(ctx, {
    personId: citizen.id,
    username: citizen.username,
    displayName: 'Fresh resident',
    kind: 'citizen',
    isPlatformAdmin: false,
    roles: [],
    via: 'session',
  });
  return { ...citizen, code };
}

/** The fixture's counter clerk of department A, as the actor their token resolves to. */
const counterClerkOfA = (f: AuthzFixture): Actor => ({
  personId: f.people.counterClerk.id,
  username: f.people.counterClerk.username,
  displayName: f.people.counterClerk.username,
  kind: 'staff',
  isPlatformAdmin: false,
  roles: [{ departmentId: f.deptA.id, departmentPath: f.deptA.id, role: 'identity_verifier' }],
  via: 'token',
});

type With<T> = AuthzFixture & T;

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

  // Real-name verification is made at the counter only (with the holder's code); from the People page
  // a verification can only be withdrawn: by platform admins, or the verifying department's admins.
  {
    method: 'DELETE',
    route: '/api/people/:id/identity-verification',
    prepare: async (_f, ctx) => {
      const target = await freshCitizen(ctx);
      await verifyIdentity(ctx, systemActor('authz-case'), target, '身份证原件核验');
      return { target };
    },
    url: (f) => `/api/people/${(f as With<{ target: string }>).target}/identity-verification`,
    body: () => ({ reason: '核验有误' }),
    allow: ['platformAdmin'],
  },

  // A verification recorded by department A's counter: its admin may withdraw it too.
  {
    method: 'DELETE',
    route: '/api/people/:id/identity-verification',
    prepare: async (f, ctx) => {
      const { id, residentId, code } = await freshCitizenWithCode(ctx);
      await verifyAtCounter(ctx, counterClerkOfA(f), {
        identifier: residentId,
        personId: id,
        code,
        note: '居民身份证原件',
      });
      return { target: id };
    },
    url: (f) => `/api/people/${(f as With<{ target: string }>).target}/identity-verification`,
    body: () => ({ reason: '核验有误' }),
    allow: ADMINS_OF_A,
  },

  // ---- counter verification: identity verifiers (and platform admins) only -------------------------
  // The lookup answers 200 whether or not an account holds the identifier; the rate limit it carries
  // is lifted for the matrix like the general one.
  {
    method: 'POST',
    route: '/api/identity-verification/lookup',
    prepare: async (_f, ctx) => ({ residentId: (await freshCitizenWithId(ctx)).residentId }),
    body: (f) => ({ identifier: (f as With<{ residentId: string }>).residentId }),
    allow: COUNTER,
  },
  {
    method: 'POST',
    route: '/api/identity-verification',
    prepare: async (_f, ctx) => {
      const { id, residentId, code } = await freshCitizenWithCode(ctx);
      return { target: id, residentId, code };
    },
    body: (f) => {
      const { target, residentId, code } = f as With<{ target: string; residentId: string; code: string }>;
      return { identifier: residentId, personId: target, code, note: '居民身份证原件' };
    },
    allow: COUNTER,
  },
  // Releasing a number from an unverified account whose holder cannot show its code (a squatter's).
  {
    method: 'POST',
    route: '/api/identity-verification/release',
    prepare: async (_f, ctx) => {
      const { id, residentId } = await freshCitizenWithId(ctx);
      return { target: id, residentId };
    },
    body: (f) => {
      const { target, residentId } = f as With<{ target: string; residentId: string }>;
      return { identifier: residentId, personId: target, note: '持证人无此账号核验码' };
    },
    allow: COUNTER,
  },
  // Stopping a pending release: platform admins, and the admins of the department whose counter asked.
  {
    method: 'DELETE',
    route: '/api/people/:id/identifier-release',
    prepare: async (f, ctx) => {
      const { id, residentId } = await freshCitizenWithId(ctx);
      await releaseAtCounter(ctx, counterClerkOfA(f), {
        identifier: residentId,
        personId: id,
        note: '持证人无此账号核验码',
      });
      return { target: id };
    },
    url: (f) => `/api/people/${(f as With<{ target: string }>).target}/identifier-release`,
    body: () => ({ reason: '账户持有人致电热线' }),
    allow: ADMINS_OF_A,
  },
  // Asked by a platform admin, outside any department: only platform admins may stop it.
  {
    method: 'DELETE',
    route: '/api/people/:id/identifier-release',
    prepare: async (_f, ctx) => {
      const { id, residentId } = await freshCitizenWithId(ctx);
      await releaseAtCounter(ctx, systemActor('authz-case'), {
        identifier: residentId,
        personId: id,
        note: '持证人无此账号核验码',
      });
      return { target: id };
    },
    url: (f) => `/api/people/${(f as With<{ target: string }>).target}/identifier-release`,
    body: () => ({ reason: '误操作' }),
    allow: ['platformAdmin'],
  },
  {
    method: 'GET',
    route: '/api/identity-verification/releases',
    allow: ['otherDeptStaff', 'deptAdmin', 'platformAdmin'],
  },
  {
    method: 'GET',
    route: '/api/identity-verification/records',
    allow: ['otherDeptStaff', 'deptAdmin', 'platformAdmin'],
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
