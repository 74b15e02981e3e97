import type { AuthzCase, Persona } from '../../../../test/support/authz.ts';

// Who may reach the access log and "my data" (run for every persona by test/authz-matrix.test.ts).
// The log: platform admins, and department admins, data stewards and auditors for their own
// departments (asked for department A, department B's admin is refused). "My data": citizens and
// businesses only.

const INSIDE_A: readonly Persona[] = ['deptAdmin', 'auditor', 'steward', 'platformAdmin'];

export const accessLogAuthzCases: AuthzCase[] = [
  {
    method: 'GET',
    route: '/api/exchange/access-log',
    url: (f) => `/api/exchange/access-log?departmentId=${f.deptA.id}`,
    allow: INSIDE_A,
  },
  {
    // Without a filter every department's readers get their own rows.
    method: 'GET',
    route: '/api/exchange/access-log',
    allow: [...INSIDE_A, 'otherDeptStaff'],
  },
  {
    method: 'GET',
    route: '/api/me/data-access',
    // As staff would have done at a service counter: an unverified account is refused (403) for a
    // reason other than its kind, which this case is not about.
    prepare: async (f, ctx) => {
      await ctx.db
        .updateTable('people')
        .set({ identity_verified_at: new Date(), identity_verification_note: 'authz matrix' })
        .where('id', 'in', [f.people.citizen.id, f.people.business.id])
        .where('identity_verified_at', 'is', null)
        .execute();
      return {};
    },
    allow: ['citizen', 'business'],
  },
];
