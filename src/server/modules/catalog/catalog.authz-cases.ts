import type { AuthzCase, AuthzFixture, Persona } from '../../../../test/support/authz.ts';
import { EVERYONE } from '../../../../test/support/authz.ts';
import type { CreateDatasetInput } from '../../../contracts/catalog.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import {
  addFileDistribution,
  addLinkDistribution,
  createDataRequest,
  createDataset,
  reviewDataset,
  submitDataset,
} from './index.ts';

// Who may reach each catalog route (run for every persona by test/authz-matrix.test.ts). Resources
// belong to department A: its steward edits them, its admin reviews them. Visibility follows the
// share and open attributes: open ones are public, conditionally shared ones reach staff of every
// department, not-shared ones stay inside department A.

const STEWARD: readonly Persona[] = ['steward'];
const ADMIN_OF_A: readonly Persona[] = ['deptAdmin'];
const INSIDE_A: readonly Persona[] = ['deptAdmin', 'auditor', 'steward', 'platformAdmin'];
const ALL_STAFF: readonly Persona[] = [...INSIDE_A, 'otherDeptStaff'];
const ANSWERERS: readonly Persona[] = ['deptAdmin', 'steward', 'platformAdmin', 'otherDeptStaff'];

let serial = 0;
const input = (f: AuthzFixture, o: Partial<CreateDatasetInput> = {}): CreateDatasetInput => ({
  name: `authz-${Date.now().toString(36)}-${serial++}`,
  titleZh: '授权矩阵资源',
  departmentId: f.deptA.id,
  openType: 'open',
  shareType: 'unconditional',
  licenseId: 'cc-by',
  ...o,
});

const system = () => systemActor('authz-case');
const draft = async (ctx: AppContext, f: AuthzFixture, o: Partial<CreateDatasetInput> = {}) =>
  createDataset(ctx, system(), input(f, o));
const submitted = async (ctx: AppContext, f: AuthzFixture, o: Partial<CreateDatasetInput> = {}) =>
  submitDataset(ctx, system(), (await draft(ctx, f, o)).id);
const published = async (ctx: AppContext, f: AuthzFixture, o: Partial<CreateDatasetInput> = {}) =>
  reviewDataset(ctx, system(), (await submitted(ctx, f, o)).id, { decision: 'publish' });

const CONDITIONAL = { openType: 'none', shareType: 'conditional', shareCondition: '审批后共享' } as const;
const NOT_SHARED = { openType: 'none', shareType: 'none', shareLegalBasis: '《保守国家秘密法》' } as const;

/** Prepares a case around a fresh resource of department A, exposed as `ds` (name, id) and `dist`. */
const withDataset =
  (
    make: (
      ctx: AppContext,
      f: AuthzFixture,
    ) => Promise<{ id: string; name: string; distributions?: { id: string }[] }>,
  ) =>
  async (f: AuthzFixture, ctx: AppContext) => {
    const ds = await make(ctx, f);
    return { ds: { id: ds.id, name: ds.name }, dist: ds.distributions?.[0]?.id ?? '' };
  };

type Prepared = AuthzFixture & { ds: { id: string; name: string }; dist: string; request?: string };
const ds = (f: AuthzFixture) => (f as Prepared).ds;
const dist = (f: AuthzFixture) => (f as Prepared).dist;

const withFile = (o: Partial<CreateDatasetInput>) => async (ctx: AppContext, f: AuthzFixture) => {
  const p = await published(ctx, f, o);
  return addFileDistribution(ctx, system(), p.id, { filename: 'a.csv', content: Buffer.from('a,b\n1,2\n') });
};

export const catalogAuthzCases: AuthzCase[] = [
  { method: 'GET', route: '/api/catalog/search', allow: EVERYONE },
  { method: 'GET', route: '/api/catalog/overview', allow: EVERYONE },
  { method: 'GET', route: '/api/catalog/themes', allow: EVERYONE },
  { method: 'GET', route: '/api/catalog/licenses', allow: EVERYONE },
  // One resource per visibility class.
  {
    method: 'GET',
    route: '/api/catalog/datasets/:id',
    url: (f) => `/api/catalog/datasets/${ds(f).name}`,
    prepare: withDataset((ctx, f) => published(ctx, f)),
    allow: EVERYONE,
  },
  {
    method: 'GET',
    route: '/api/catalog/datasets/:id',
    url: (f) => `/api/catalog/datasets/${ds(f).name}`,
    prepare: withDataset((ctx, f) => published(ctx, f, CONDITIONAL)),
    allow: ALL_STAFF,
  },
  {
    method: 'GET',
    route: '/api/catalog/datasets/:id',
    url: (f) => `/api/catalog/datasets/${ds(f).id}`,
    prepare: withDataset((ctx, f) => published(ctx, f, NOT_SHARED)),
    allow: INSIDE_A,
  },
  {
    method: 'GET',
    route: '/api/catalog/datasets/:id',
    url: (f) => `/api/catalog/datasets/${ds(f).name}`,
    prepare: withDataset((ctx, f) => draft(ctx, f)),
    allow: INSIDE_A,
  },
  {
    method: 'GET',
    route: '/api/catalog/datasets/:id/history',
    url: (f) => `/api/catalog/datasets/${ds(f).name}/history`,
    prepare: withDataset((ctx, f) => published(ctx, f, CONDITIONAL)),
    allow: ALL_STAFF,
  },
  { method: 'POST', route: '/api/catalog/datasets', body: (f) => input(f), allow: STEWARD },
  {
    method: 'PATCH',
    route: '/api/catalog/datasets/:id',
    url: (f) => `/api/catalog/datasets/${ds(f).id}`,
    prepare: withDataset((ctx, f) => draft(ctx, f)),
    body: () => ({ titleEn: 'Changed' }),
    allow: STEWARD,
  },
  {
    method: 'DELETE',
    route: '/api/catalog/datasets/:id',
    url: (f) => `/api/catalog/datasets/${ds(f).id}`,
    prepare: withDataset((ctx, f) => draft(ctx, f)),
    allow: STEWARD,
  },
  {
    method: 'POST',
    route: '/api/catalog/datasets/:id/submit',
    url: (f) => `/api/catalog/datasets/${ds(f).id}/submit`,
    prepare: withDataset((ctx, f) => draft(ctx, f)),
    allow: STEWARD,
  },
  {
    method: 'POST',
    route: '/api/catalog/datasets/:id/review',
    url: (f) => `/api/catalog/datasets/${ds(f).id}/review`,
    prepare: withDataset((ctx, f) => submitted(ctx, f)),
    body: () => ({ decision: 'publish' }),
    allow: ADMIN_OF_A,
  },
  {
    method: 'POST',
    route: '/api/catalog/datasets/:id/withdraw',
    url: (f) => `/api/catalog/datasets/${ds(f).id}/withdraw`,
    prepare: withDataset((ctx, f) => published(ctx, f)),
    body: () => ({ reason: '停止维护' }),
    allow: ADMIN_OF_A,
  },
  {
    method: 'POST',
    route: '/api/catalog/datasets/:id/distributions',
    url: (f) => `/api/catalog/datasets/${ds(f).id}/distributions`,
    prepare: withDataset((ctx, f) => draft(ctx, f)),
    body: () => ({ name: '接口', url: 'https://example.com/api' }),
    allow: STEWARD,
  },
  {
    // The body is not multipart: permitted callers get 400, everyone else 401/403 before it is read.
    method: 'POST',
    route: '/api/catalog/datasets/:id/files',
    url: (f) => `/api/catalog/datasets/${ds(f).id}/files`,
    prepare: withDataset((ctx, f) => draft(ctx, f)),
    body: () => ({}),
    allow: STEWARD,
  },
  {
    method: 'PATCH',
    route: '/api/catalog/distributions/:id',
    url: (f) => `/api/catalog/distributions/${dist(f)}`,
    prepare: withDataset(async (ctx, f) =>
      addLinkDistribution(ctx, system(), (await draft(ctx, f)).id, {
        name: 'x',
        url: 'https://example.com/x',
      }),
    ),
    body: () => ({ name: 'renamed' }),
    allow: STEWARD,
  },
  {
    method: 'DELETE',
    route: '/api/catalog/distributions/:id',
    url: (f) => `/api/catalog/distributions/${dist(f)}`,
    prepare: withDataset(async (ctx, f) =>
      addLinkDistribution(ctx, system(), (await draft(ctx, f)).id, {
        name: 'x',
        url: 'https://example.com/x',
      }),
    ),
    allow: STEWARD,
  },
  {
    method: 'GET',
    route: '/api/catalog/distributions/:id/download',
    url: (f) => `/api/catalog/distributions/${dist(f)}/download`,
    prepare: withDataset(withFile({})),
    allow: EVERYONE,
  },
  {
    method: 'GET',
    route: '/api/catalog/distributions/:id/download',
    url: (f) => `/api/catalog/distributions/${dist(f)}/download`,
    prepare: withDataset(withFile(NOT_SHARED)),
    allow: INSIDE_A,
  },
  {
    method: 'POST',
    route: '/api/catalog/data-requests',
    body: (f) => ({
      departmentId: f.deptA.id,
      title: '请开放数据',
      description: '希望开放相关数据。',
      requesterName: '测试者',
      requesterEmail: 'tester@example.com',
    }),
    allow: EVERYONE,
  },
  {
    method: 'GET',
    route: '/api/catalog/data-requests/track/:code',
    url: () => '/api/catalog/data-requests/track/DR-UNKNOWN1',
    allow: EVERYONE,
  },
  { method: 'GET', route: '/api/catalog/data-requests', allow: ANSWERERS },
  {
    method: 'POST',
    route: '/api/catalog/data-requests/:id/answer',
    url: (f) => `/api/catalog/data-requests/${(f as Prepared).request}/answer`,
    prepare: async (f, ctx) => {
      const r = await createDataRequest(ctx, undefined, {
        departmentId: f.deptA.id,
        title: '请开放数据',
        description: '希望开放相关数据。',
        requesterName: '测试者',
        requesterEmail: 'tester@example.com',
      });
      return { request: r.id };
    },
    body: () => ({ status: 'answered', answer: '已收到' }),
    allow: ['deptAdmin', 'steward'],
  },
];
