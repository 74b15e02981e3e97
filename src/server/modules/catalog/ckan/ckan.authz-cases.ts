import type { AuthzCase, AuthzFixture } from '../../../../../test/support/authz.ts';
import { EVERYONE } from '../../../../../test/support/authz.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { createDataset, submitDataset } from '../index.ts';

// Who may reach the CKAN Action API (run for every persona by test/authz-matrix.test.ts). One route
// serves every action, so each route has cases for a public read and for guarded actions. CKAN
// answers every refusal with 403 Authorization Error, anonymous callers included: those cases say
// so with `anonymousStatus: 403`, which the matrix expects instead of 401.

/** A case of a compatibility API that refuses anonymous callers with 403 rather than 401. */
export type CkanAuthzCase = AuthzCase & { anonymousStatus?: 403 };

let serial = 0;
/** A draft of department A, made fresh for each call (a case may publish or delete it). */
async function draftOfA(ctx: AppContext, f: AuthzFixture, submitted: boolean) {
  serial += 1;
  const system = systemActor('authz-case');
  const ds = await createDataset(ctx, system, {
    name: `authz-ckan-${Date.now().toString(36)}-${serial}`,
    titleZh: '矩阵草稿',
    departmentId: f.deptA.id,
  });
  if (submitted) await submitDataset(ctx, system, ds.id);
  return { datasetName: ds.name };
}

type WithDataset = AuthzFixture & { datasetName: string };
const STAFF_OF_A = ['deptAdmin', 'auditor', 'steward', 'platformAdmin'] as const;

export const ckanAuthzCases: CkanAuthzCase[] = [
  // Reads of the public catalog: everyone, by GET or POST, under both prefixes.
  { method: 'GET', route: '/api/3/action/:action', url: () => '/api/3/action/package_list', allow: EVERYONE },
  { method: 'GET', route: '/api/action/:action', url: () => '/api/action/status_show', allow: EVERYONE },
  {
    method: 'POST',
    route: '/api/3/action/:action',
    url: () => '/api/3/action/package_search',
    body: () => ({ rows: 1 }),
    allow: EVERYONE,
  },
  {
    method: 'POST',
    route: '/api/action/:action',
    url: () => '/api/action/organization_list',
    allow: EVERYONE,
  },
  // A draft is seen by the provider department's people and platform admins only.
  {
    method: 'GET',
    route: '/api/3/action/:action',
    prepare: (f, ctx) => draftOfA(ctx, f, false),
    url: (f) => `/api/3/action/package_show?id=${(f as WithDataset).datasetName}`,
    allow: STAFF_OF_A,
    anonymousStatus: 403,
  },
  // `state: "active"` on a submitted dataset: its department admin publishes it; its steward may
  // ask (it stays submitted); nobody else may change it.
  {
    method: 'POST',
    route: '/api/3/action/:action',
    prepare: (f, ctx) => draftOfA(ctx, f, true),
    url: () => '/api/3/action/package_patch',
    body: (f) => ({ id: (f as WithDataset).datasetName, state: 'active' }),
    allow: ['deptAdmin', 'steward'],
    anonymousStatus: 403,
  },
  // Creating is for the department's data stewards.
  {
    method: 'POST',
    route: '/api/action/:action',
    url: () => '/api/action/package_create',
    body: (f) => ({ name: `authz-ckan-create-${Date.now().toString(36)}`, owner_org: f.deptA.code }),
    allow: ['steward'],
    anonymousStatus: 403,
  },
];
