import type { AuthzCase, AuthzFixture, Persona } from '../../../../test/support/authz.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { changeGrant } from './grant.service.ts';
import {
  activeGrant,
  pendingRequest,
  requestInput,
  type SharedTable,
  sharedTable,
} from './request.test-helpers.ts';

// Who may reach each route of the internal catalog, requests, grants, usage and notices (run for
// every persona by test/authz-matrix.test.ts). Department A owns a conditionally shared table;
// department B (otherDeptStaff is its dept_admin) asks for it and holds the grants.

const INSIDE_A: readonly Persona[] = ['deptAdmin', 'auditor', 'steward', 'platformAdmin'];
const ALL_STAFF: readonly Persona[] = [...INSIDE_A, 'otherDeptStaff'];
const OWNER_ADMINS: readonly Persona[] = ['deptAdmin', 'steward'];
const GRANTEE_ADMINS: readonly Persona[] = ['otherDeptStaff'];
const STOPPERS: readonly Persona[] = [...OWNER_ADMINS, 'platformAdmin', 'otherDeptStaff'];

// One shared table per test database: the cases that consume something make a fresh request or grant.
const tables = new WeakMap<AppContext, Promise<SharedTable>>();
const tableOf = (f: AuthzFixture, ctx: AppContext) => {
  let t = tables.get(ctx);
  if (!t) {
    t = sharedTable(ctx, f.deptA.id, 'conditional');
    tables.set(ctx, t);
  }
  return t;
};

type With<K extends string> = AuthzFixture & Record<K, string>;
const withTable = async (f: AuthzFixture, ctx: AppContext) => {
  const t = await tableOf(f, ctx);
  return { dist: t.distributionId, dataset: t.datasetId };
};
const withRequest = async (f: AuthzFixture, ctx: AppContext) => ({
  request: (await pendingRequest(ctx, await tableOf(f, ctx), f.deptB.id)).id,
});
const withGrant = async (f: AuthzFixture, ctx: AppContext) => ({
  grant: (await activeGrant(ctx, await tableOf(f, ctx), f.deptB.id)).grantId,
});
const withSuspendedGrant = async (f: AuthzFixture, ctx: AppContext) => {
  const { grant } = await withGrant(f, ctx);
  await changeGrant(ctx, systemActor('authz-case'), grant, 'suspend', { reason: 'incident' });
  return { grant };
};
const grantUrl = (action: string) => (f: AuthzFixture) =>
  `/api/exchange/grants/${(f as With<'grant'>).grant}/${action}`;

export const exchangeAuthzCases: AuthzCase[] = [
  { method: 'GET', route: '/api/exchange/resources', allow: ALL_STAFF },
  {
    method: 'GET',
    route: '/api/exchange/resources/:id',
    url: (f) => `/api/exchange/resources/${(f as With<'dataset'>).dataset}`,
    prepare: withTable,
    allow: ALL_STAFF,
  },
  {
    method: 'POST',
    route: '/api/exchange/requests',
    prepare: withTable,
    body: (f) => requestInput({ distributionId: (f as With<'dist'>).dist }, f.deptB.id),
    allow: GRANTEE_ADMINS,
  },
  { method: 'GET', route: '/api/exchange/requests', allow: ALL_STAFF },
  {
    method: 'GET',
    route: '/api/exchange/requests/:id',
    url: (f) => `/api/exchange/requests/${(f as With<'request'>).request}`,
    prepare: withRequest,
    allow: ALL_STAFF,
  },
  {
    method: 'POST',
    route: '/api/exchange/requests/:id/decision',
    url: (f) => `/api/exchange/requests/${(f as With<'request'>).request}/decision`,
    prepare: withRequest,
    body: () => ({ decision: 'approve', fields: ['name', 'district'] }),
    allow: OWNER_ADMINS,
  },
  {
    method: 'POST',
    route: '/api/exchange/requests/:id/withdraw',
    url: (f) => `/api/exchange/requests/${(f as With<'request'>).request}/withdraw`,
    prepare: withRequest,
    allow: GRANTEE_ADMINS,
  },
  { method: 'GET', route: '/api/exchange/grants', allow: ALL_STAFF },
  {
    method: 'GET',
    route: '/api/exchange/grants/:id',
    url: (f) => `/api/exchange/grants/${(f as With<'grant'>).grant}`,
    prepare: withGrant,
    allow: ALL_STAFF,
  },
  {
    method: 'POST',
    route: '/api/exchange/grants/:id/credential',
    url: grantUrl('credential'),
    prepare: withGrant,
    allow: GRANTEE_ADMINS,
  },
  {
    method: 'POST',
    route: '/api/exchange/grants/:id/renew',
    url: grantUrl('renew'),
    prepare: withGrant,
    body: () => ({ days: 30 }),
    allow: OWNER_ADMINS,
  },
  {
    method: 'POST',
    route: '/api/exchange/grants/:id/suspend',
    url: grantUrl('suspend'),
    prepare: withGrant,
    body: () => ({ reason: 'incident' }),
    allow: STOPPERS,
  },
  {
    method: 'POST',
    route: '/api/exchange/grants/:id/resume',
    url: grantUrl('resume'),
    prepare: withSuspendedGrant,
    allow: OWNER_ADMINS,
  },
  {
    method: 'POST',
    route: '/api/exchange/grants/:id/revoke',
    url: grantUrl('revoke'),
    prepare: withGrant,
    body: () => ({ reason: 'no longer needed' }),
    allow: STOPPERS,
  },
  {
    method: 'GET',
    route: '/api/exchange/usage',
    url: (f) => `/api/exchange/usage?datasetId=${(f as With<'dataset'>).dataset}`,
    prepare: withTable,
    allow: ALL_STAFF,
  },
  {
    method: 'GET',
    route: '/api/exchange/usage',
    url: (f) => `/api/exchange/usage?departmentId=${f.deptA.id}`,
    allow: INSIDE_A,
  },
  { method: 'GET', route: '/api/exchange/usage', allow: ['platformAdmin'] },
  { method: 'GET', route: '/api/exchange/notices', allow: ALL_STAFF },
  { method: 'GET', route: '/api/exchange/settings', allow: ALL_STAFF },
];
