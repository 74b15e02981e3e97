import { residentIdCheckChar, usccCheckChar } from '../../src/contracts/identifiers.ts';
import {
  createApiToken,
  createDepartment,
  createStaff,
  registerPerson,
} from '../../src/server/modules/identity/index.ts';
import { systemActor } from '../../src/server/platform/auth/actor.ts';
import type { AppContext } from '../../src/server/platform/context.ts';
import type { AuthzFixture, Persona } from './authz.ts';

/** The password of every fixture account (the sign-in case uses it). */
export const AUTHZ_PASSWORD = 'Matrix-Password-2026';

export type SignedInPersona = Exclude<Persona, 'anonymous'>;

export interface BuiltAuthzFixture {
  fixture: AuthzFixture;
  /** One API token per signed-in persona: the matrix authenticates every call with `Authorization: Bearer`. */
  tokens: Record<SignedInPersona, string>;
}

let serial = 0;
/** Fresh, valid, never-used identifiers for the fixture's accounts. */
function freshIdentity() {
  serial += 1;
  const first17 = `31010419850612${String(serial % 1000).padStart(3, '0')}`;
  const uscc17 = `91310104${String(serial).padStart(9, '0')}`;
  return {
    residentId: first17 + residentIdCheckChar(first17),
    uscc: uscc17 + usccCheckChar(uscc17),
  };
}

/**
 * Builds the authorisation fixture with the identity services: departments A and B, a plain staff
 * member of A, and one account per persona, each holding an API token.
 */
export async function buildAuthzFixture(ctx: AppContext): Promise<BuiltAuthzFixture> {
  const system = systemActor('authz-fixture');
  const deptA = await createDepartment(ctx, system, { code: 'AUTHZ-A', nameZh: '甲局', nameEn: 'Bureau A' });
  const deptB = await createDepartment(ctx, system, { code: 'AUTHZ-B', nameZh: '乙局', nameEn: 'Bureau B' });

  const staff = async (
    username: string,
    departmentId: string,
    roles: ('dept_admin' | 'auditor' | 'case_handler' | 'data_steward' | 'identity_verifier')[],
    isPlatformAdmin = false,
  ) => {
    const p = await createStaff(ctx, system, {
      username,
      displayName: username,
      password: AUTHZ_PASSWORD,
      departmentId,
      roles,
      isPlatformAdmin,
    });
    return { id: p.id, username: p.username };
  };
  const staffA = await staff('authz-staff-a', deptA.id, ['case_handler']);

  const citizenId = freshIdentity();
  const citizen = await registerPerson(ctx, {
    kind: 'citizen',
    username: 'authz-citizen',
    password: AUTHZ_PASSWORD,
    displayName: '市民',
    residentId: citizenId.residentId,
  });
  const business = await registerPerson(ctx, {
    kind: 'business',
    username: 'authz-business',
    password: AUTHZ_PASSWORD,
    displayName: '企业用户',
    uscc: freshIdentity().uscc,
    companyName: '矩阵测试有限公司',
  });
  const people: AuthzFixture['people'] = {
    citizen: { id: citizen.id, username: citizen.username },
    business: { id: business.id, username: business.username },
    otherDeptStaff: await staff('authz-admin-b', deptB.id, ['dept_admin']),
    deptAdmin: await staff('authz-admin-a', deptA.id, ['dept_admin']),
    auditor: await staff('authz-auditor-a', deptA.id, ['auditor']),
    steward: await staff('authz-steward-a', deptA.id, ['data_steward']),
    counterClerk: await staff('authz-counter-a', deptA.id, ['identity_verifier']),
    platformAdmin: await staff('authz-platform-admin', deptA.id, [], true),
  };

  const tokens = {} as Record<SignedInPersona, string>;
  for (const [persona, person] of Object.entries(people) as [SignedInPersona, { id: string }][]) {
    tokens[persona] = (await createApiToken(ctx, system, person.id, { name: `authz ${persona}` })).token;
  }
  return {
    fixture: {
      deptA: { id: deptA.id, code: deptA.code },
      deptB: { id: deptB.id, code: deptB.code },
      staffA,
      people,
    },
    tokens,
  };
}
