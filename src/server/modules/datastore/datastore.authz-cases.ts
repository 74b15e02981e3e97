import type { AuthzCase, AuthzFixture, Persona } from '../../../../test/support/authz.ts';
import { EVERYONE } from '../../../../test/support/authz.ts';
import type { CreateDatasetInput } from '../../../contracts/catalog.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { addFileDistribution, createDataset, reviewDataset, submitDataset } from '../catalog/index.ts';
import { drainLoads } from './datastore.test-helpers.ts';

// Who may reach each DataStore route (run for every persona by test/authz-matrix.test.ts). Tables
// belong to resources of department A: reading follows the resource's visibility (open ones are
// public, conditionally shared ones reach every department's staff), loading and describing are for
// A's data stewards.

const STEWARD: readonly Persona[] = ['steward'];
const INSIDE_A: readonly Persona[] = ['deptAdmin', 'auditor', 'steward', 'platformAdmin'];
const ALL_STAFF: readonly Persona[] = [...INSIDE_A, 'otherDeptStaff'];

let serial = 0;
const system = () => systemActor('authz-case');

/** A published resource of department A with a loaded table; `dist` is its distribution id. */
const withTable =
  (o: Partial<CreateDatasetInput> = {}) =>
  async (f: AuthzFixture, ctx: AppContext) => {
    const ds = await createDataset(ctx, system(), {
      name: `authz-ds-${Date.now().toString(36)}-${serial++}`,
      titleZh: '授权矩阵数据表',
      departmentId: f.deptA.id,
      openType: 'open',
      shareType: 'unconditional',
      licenseId: 'cc-by',
      ...o,
    });
    const withFile = await addFileDistribution(ctx, system(), ds.id, {
      filename: 'people.csv',
      content: Buffer.from('姓名,年龄\n张三,30\n李四,41\n'),
    });
    await submitDataset(ctx, system(), ds.id);
    await reviewDataset(ctx, system(), ds.id, { decision: 'publish' });
    await drainLoads(ctx);
    const { sql } = await import('kysely');
    const load = await sql<{
      id: string;
    }>`select id from datastore_loads where distribution_id = ${withFile.distributions[0]!.id}`.execute(
      ctx.db,
    );
    return { dist: withFile.distributions[0]!.id, load: load.rows[0]?.id ?? '' };
  };

const CONDITIONAL = { openType: 'none', shareType: 'conditional', shareCondition: '审批后共享' } as const;
const dist = (f: AuthzFixture) => (f as AuthzFixture & { dist: string }).dist;
const load = (f: AuthzFixture) => (f as AuthzFixture & { load: string }).load;

export const datastoreAuthzCases: AuthzCase[] = [
  {
    method: 'GET',
    route: '/api/datastore/:id',
    url: (f) => `/api/datastore/${dist(f)}`,
    prepare: withTable(),
    allow: EVERYONE,
  },
  {
    method: 'GET',
    route: '/api/datastore/:id',
    url: (f) => `/api/datastore/${dist(f)}`,
    prepare: withTable(CONDITIONAL),
    allow: ALL_STAFF,
  },
  {
    method: 'GET',
    route: '/api/datastore/:id/rows',
    url: (f) => `/api/datastore/${dist(f)}/rows`,
    prepare: withTable(),
    allow: EVERYONE,
  },
  {
    method: 'GET',
    route: '/api/datastore/:id/rows',
    url: (f) => `/api/datastore/${dist(f)}/rows`,
    prepare: withTable(CONDITIONAL),
    allow: ALL_STAFF,
  },
  {
    method: 'GET',
    route: '/datastore/dump/:id',
    url: (f) => `/datastore/dump/${dist(f)}?format=json`,
    prepare: withTable(CONDITIONAL),
    allow: ALL_STAFF,
  },
  {
    // Search parameters narrow the rows, never who may read them.
    method: 'GET',
    route: '/datastore/dump/:id',
    url: (f) =>
      `/datastore/dump/${dist(f)}?format=csv&filters=${encodeURIComponent('{"姓名":"张三"}')}&q=${encodeURIComponent('张')}&sort=${encodeURIComponent('年龄 desc')}&fields=${encodeURIComponent('姓名')}&limit=1`,
    prepare: withTable(CONDITIONAL),
    allow: ALL_STAFF,
  },
  {
    method: 'POST',
    route: '/api/datastore/:id/loads',
    url: (f) => `/api/datastore/${dist(f)}/loads`,
    prepare: withTable(),
    body: () => ({}),
    allow: STEWARD,
  },
  {
    method: 'POST',
    route: '/api/datastore/:id/reload',
    url: (f) => `/api/datastore/${dist(f)}/reload`,
    prepare: withTable(),
    body: () => ({ delimiter: ',' }),
    allow: STEWARD,
  },
  {
    method: 'GET',
    route: '/api/datastore/:id/loads',
    url: (f) => `/api/datastore/${dist(f)}/loads`,
    prepare: withTable(),
    allow: STEWARD,
  },
  {
    method: 'GET',
    route: '/api/datastore/loads/:loadId',
    url: (f) => `/api/datastore/loads/${load(f)}`,
    prepare: withTable(),
    allow: STEWARD,
  },
  {
    method: 'POST',
    route: '/api/datastore/loads/:loadId/cancel',
    url: (f) => `/api/datastore/loads/${load(f)}/cancel`,
    prepare: withTable(),
    allow: STEWARD,
  },
  {
    method: 'PUT',
    route: '/api/datastore/:id/dictionary',
    url: (f) => `/api/datastore/${dist(f)}/dictionary`,
    prepare: withTable(),
    body: () => ({ columns: [{ id: '姓名', description: '居民姓名' }] }),
    allow: STEWARD,
  },
  {
    method: 'GET',
    route: '/api/datastore/:id/quality',
    url: (f) => `/api/datastore/${dist(f)}/quality`,
    prepare: withTable(),
    allow: EVERYONE,
  },
  {
    method: 'GET',
    route: '/api/datastore/:id/quality',
    url: (f) => `/api/datastore/${dist(f)}/quality`,
    prepare: withTable(CONDITIONAL),
    allow: ALL_STAFF,
  },
  {
    method: 'PUT',
    route: '/api/datastore/:id/quality/rules',
    url: (f) => `/api/datastore/${dist(f)}/quality/rules`,
    prepare: withTable(),
    body: () => ({ rules: [{ column: '年龄', kind: 'range', min: 0, max: 150 }] }),
    allow: STEWARD,
  },
  {
    method: 'GET',
    route: '/api/datastore/:id/table-schema',
    url: (f) => `/api/datastore/${dist(f)}/table-schema`,
    prepare: withTable(CONDITIONAL),
    allow: ALL_STAFF,
  },
  {
    method: 'PUT',
    route: '/api/datastore/:id/table-schema',
    url: (f) => `/api/datastore/${dist(f)}/table-schema`,
    prepare: withTable(),
    body: () => ({ fields: [{ name: '姓名', description: '居民姓名' }] }),
    allow: STEWARD,
  },
  // Only `civitas import` on the server's machine, with the data directory's key: nobody by login.
  {
    method: 'POST',
    route: '/api/local/datastore/import',
    body: () => ({ path: '/etc/hostname', dataset: 'x', options: {} }),
    anonymousStatus: 403,
    allow: [],
  },
  {
    method: 'GET',
    route: '/api/local/datastore/loads/:loadId',
    url: () => '/api/local/datastore/loads/00000000-0000-4000-8000-000000000000',
    anonymousStatus: 403,
    allow: [],
  },
];
