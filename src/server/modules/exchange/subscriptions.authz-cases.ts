import { randomUUID } from 'node:crypto';
import type { AuthzCase, AuthzFixture, Persona } from '../../../../test/support/authz.ts';
import type { AppContext } from '../../platform/context.ts';
import { drainExchangeJobs, insertTestGrant } from './exchange.test-helpers.ts';
import { EXTRACT_JOB, queueExtract } from './extract.jobs.ts';
import { type SharedTable, sharedTable } from './request.test-helpers.ts';

// Who may reach the subscription and extract routes (run for every persona by
// test/authz-matrix.test.ts): only the grantee's data administrators. Department A owns the table;
// department B (otherDeptStaff is its dept_admin) holds the grant.

const GRANTEE_ADMINS: readonly Persona[] = ['otherDeptStaff'];

const tables = new WeakMap<AppContext, Promise<SharedTable>>();
const tableOf = (f: AuthzFixture, ctx: AppContext) => {
  let t = tables.get(ctx);
  if (!t) {
    t = sharedTable(ctx, f.deptA.id, 'conditional');
    tables.set(ctx, t);
  }
  return t;
};

async function grantOf(f: AuthzFixture, ctx: AppContext) {
  const t = await tableOf(f, ctx);
  return insertTestGrant(ctx, {
    datasetId: t.datasetId,
    distributionId: t.distributionId,
    ownerDepartmentId: f.deptA.id,
    granteeDepartmentId: f.deptB.id,
    fields: ['name', 'district'],
  });
}

const withGrant = async (f: AuthzFixture, ctx: AppContext) => ({ grant: (await grantOf(f, ctx)).grantId });

const withSubscription = async (f: AuthzFixture, ctx: AppContext) => {
  const { grantId } = await grantOf(f, ctx);
  const id = randomUUID();
  await ctx.db
    .insertInto('exchange_subscriptions')
    .values({
      id,
      grant_id: grantId,
      url: 'http://127.0.0.1:9/hook',
      secret_enc: ctx.cipher.encrypt('s'),
      state: 'active',
      created_by: null,
    })
    .execute();
  return { subscription: id };
};

// One written extract per test database, downloaded by every allowed persona.
const extracts = new WeakMap<AppContext, Promise<string>>();
const withExtract = async (f: AuthzFixture, ctx: AppContext) => {
  let e = extracts.get(ctx);
  if (!e) {
    e = (async () => {
      const { grantId } = await grantOf(f, ctx);
      const id = randomUUID();
      await ctx.db
        .insertInto('exchange_extracts')
        .values({
          id,
          grant_id: grantId,
          state: 'queued',
          format: 'csv',
          requested_by: null,
          requested_by_label: 'authz',
        })
        .execute();
      await queueExtract(ctx.db, id);
      await drainExchangeJobs(ctx, EXTRACT_JOB);
      return id;
    })();
    extracts.set(ctx, e);
  }
  return { extract: await e };
};

type With<K extends string> = AuthzFixture & Record<K, string>;
const grantUrl = (what: string) => (f: AuthzFixture) =>
  `/api/exchange/grants/${(f as With<'grant'>).grant}/${what}`;

export const subscriptionAuthzCases: AuthzCase[] = [
  {
    method: 'GET',
    route: '/api/exchange/grants/:id/subscriptions',
    url: grantUrl('subscriptions'),
    prepare: withGrant,
    allow: GRANTEE_ADMINS,
  },
  {
    method: 'POST',
    route: '/api/exchange/grants/:id/subscriptions',
    url: grantUrl('subscriptions'),
    prepare: withGrant,
    body: () => ({ url: 'http://127.0.0.1:9/hook' }),
    allow: GRANTEE_ADMINS,
  },
  {
    method: 'DELETE',
    route: '/api/exchange/subscriptions/:id',
    url: (f) => `/api/exchange/subscriptions/${(f as With<'subscription'>).subscription}`,
    prepare: withSubscription,
    allow: GRANTEE_ADMINS,
  },
  {
    method: 'GET',
    route: '/api/exchange/grants/:id/extracts',
    url: grantUrl('extracts'),
    prepare: withGrant,
    allow: GRANTEE_ADMINS,
  },
  {
    method: 'POST',
    route: '/api/exchange/grants/:id/extracts',
    url: grantUrl('extracts'),
    prepare: withGrant,
    body: () => ({ format: 'csv' }),
    allow: GRANTEE_ADMINS,
  },
  {
    method: 'GET',
    route: '/api/exchange/extracts/:id/download',
    url: (f) => `/api/exchange/extracts/${(f as With<'extract'>).extract}/download`,
    prepare: withExtract,
    allow: GRANTEE_ADMINS,
  },
];
