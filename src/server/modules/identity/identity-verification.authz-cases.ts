import type { AuthzCase, AuthzFixture, Persona } from '../../../../test/support/authz.ts';
import { type Actor, systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { ADMINS_OF_A, fresh, PASSWORD, type With } from './identity.authz-cases.ts';
import {
  issueCounterCode,
  registerPerson,
  releaseAtCounter,
  verifyAtCounter,
  verifyIdentity,
} from './index.ts';

// Who may reach the real-name verification routes (run for every persona by test/authz-matrix.test.ts):
// withdrawing a verification, the service-hall counter's lookup, verification and release, stopping a
// pending release, and the admins' follow-up lists. The other identity routes' cases are in
// identity.authz-cases.ts.

const COUNTER: readonly Persona[] = ['counterClerk', 'platformAdmin'];

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

export const identityVerificationAuthzCases: AuthzCase[] = [
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
];
