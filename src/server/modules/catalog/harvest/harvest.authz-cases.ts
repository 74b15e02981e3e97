import type { AuthzCase, AuthzFixture, Persona } from '../../../../../test/support/authz.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { createSource, requestRun } from './harvest-source.service.ts';

// Who may reach each harvest route (run for every persona by test/authz-matrix.test.ts): platform
// admins only, since a source brings another catalog into a department's. No worker runs in the
// matrix, so requested runs stay queued and never reach the (unroutable) source address.

const ADMINS: readonly Persona[] = ['platformAdmin'];
let serial = 0;
const name = () => `authz-src-${Date.now().toString(36)}-${serial++}`;

const body = (f: AuthzFixture) => ({
  name: name(),
  title: 'Authorisation matrix source',
  kind: 'ckan' as const,
  url: 'http://127.0.0.1:9/',
  departmentId: f.deptA.id,
});

/** A fresh source of department A for each call, exposed as `source`; with a queued run as `run`. */
const withSource =
  (withRun = false) =>
  async (f: AuthzFixture, ctx: AppContext) => {
    const source = await createSource(ctx, systemActor('authz-case'), body(f));
    const run = withRun ? (await requestRun(ctx, systemActor('authz-case'), source.id)).run.id : '';
    return { source: source.id, run };
  };
const source = (f: AuthzFixture) => (f as AuthzFixture & { source: string }).source;
const run = (f: AuthzFixture) => (f as AuthzFixture & { run: string }).run;

export const harvestAuthzCases: AuthzCase[] = [
  { method: 'GET', route: '/api/catalog/harvest/sources', allow: ADMINS },
  { method: 'POST', route: '/api/catalog/harvest/sources', body: body, allow: ADMINS },
  {
    method: 'GET',
    route: '/api/catalog/harvest/sources/:id',
    url: (f) => `/api/catalog/harvest/sources/${source(f)}`,
    prepare: withSource(),
    allow: ADMINS,
  },
  {
    method: 'PATCH',
    route: '/api/catalog/harvest/sources/:id',
    url: (f) => `/api/catalog/harvest/sources/${source(f)}`,
    prepare: withSource(),
    body: () => ({ title: 'Renamed' }),
    allow: ADMINS,
  },
  {
    method: 'DELETE',
    route: '/api/catalog/harvest/sources/:id',
    url: (f) => `/api/catalog/harvest/sources/${source(f)}`,
    prepare: withSource(),
    allow: ADMINS,
  },
  {
    method: 'POST',
    route: '/api/catalog/harvest/sources/:id/run',
    url: (f) => `/api/catalog/harvest/sources/${source(f)}/run`,
    prepare: withSource(),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/api/catalog/harvest/sources/:id/runs',
    url: (f) => `/api/catalog/harvest/sources/${source(f)}/runs`,
    prepare: withSource(true),
    allow: ADMINS,
  },
  {
    method: 'GET',
    route: '/api/catalog/harvest/runs/:id',
    url: (f) => `/api/catalog/harvest/runs/${run(f)}`,
    prepare: withSource(true),
    allow: ADMINS,
  },
];
