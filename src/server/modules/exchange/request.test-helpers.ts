import { sql } from 'kysely';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import type { CreateAccessRequest, Decision } from '../../../contracts/exchange.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { addFileDistribution, createDataset, reviewDataset, submitDataset } from '../catalog/index.ts';
import { drainLoads } from '../datastore/datastore.test-helpers.ts';
// The DataStore's index registers the loader of stored files (as the server does).
import '../datastore/index.ts';
import { createAccessRequest } from './request.service.ts';
import { decideAccessRequest } from './request-decision.service.ts';

// Factories for exchange request and grant tests: a published, shared resource of a department
// with a loaded DataStore table whose dictionary has public, personal and secret columns.

let serial = 0;

/** The people table every shared test resource holds (column ids as the loader names them). */
export const PEOPLE_CSV = [
  'name,resident_id,district,income,phone',
  '张三,110101199003074514,东城区,8000,13800138000',
  '李四,110101198507061234,西城区,9000,13900139000',
  '王五,110101197001011111,东城区,7000,13700137000',
].join('\n');

/** What the tests' tables say about their columns beyond the loader's guesses. */
export const DEFAULT_PATCHES: Record<string, Partial<DictionaryColumn>> = {
  resident_id: { sensitivity: 'personal', mask: 'id_number', subject: 'resident_id' },
  income: { sensitivity: 'secret' },
  district: { sensitivity: 'public', mask: 'none' },
};

export interface SharedTable {
  datasetId: string;
  datasetName: string;
  distributionId: string;
}

/**
 * A published resource of `departmentId` shared as `shareType`, with a loaded table of PEOPLE_CSV.
 * Dictionary (after DEFAULT_PATCHES): name, resident_id (a resident-ID subject) and phone personal,
 * income secret, district public.
 */
export async function sharedTable(
  ctx: AppContext,
  departmentId: string,
  shareType: 'unconditional' | 'conditional' | 'none' = 'conditional',
  patches: Record<string, Partial<DictionaryColumn>> = DEFAULT_PATCHES,
  csv: string = PEOPLE_CSV,
): Promise<SharedTable> {
  const system = systemActor('exchange-test');
  const name = `xchg-${Date.now().toString(36)}-${serial++}`;
  const ds = await createDataset(ctx, system, {
    name,
    titleZh: '人口信息',
    titleEn: 'Population register',
    departmentId,
    openType: 'none',
    shareType,
    ...(shareType === 'conditional' ? { shareCondition: '用于政务服务，经审批后共享' } : {}),
    ...(shareType === 'none' ? { shareLegalBasis: '《个人信息保护法》' } : {}),
    dataItems: [{ name: '姓名', type: 'string', description: '居民姓名' }],
  });
  const withFile = await addFileDistribution(ctx, system, ds.id, {
    filename: 'people.csv',
    content: Buffer.from(csv),
  });
  await submitDataset(ctx, system, ds.id);
  await reviewDataset(ctx, system, ds.id, { decision: 'publish' });
  await drainLoads(ctx);
  const distributionId = withFile.distributions[0]!.id;
  const table = await ctx.db
    .selectFrom('datastore_tables')
    .select('columns')
    .where('distribution_id', '=', distributionId)
    .executeTakeFirstOrThrow();
  const columns = (table.columns as DictionaryColumn[]).map((c) => ({ ...c, ...patches[c.id] }));
  await sql`update datastore_tables set columns = ${JSON.stringify(columns)}::jsonb
            where distribution_id = ${distributionId}`.execute(ctx.db);
  return { datasetId: ds.id, datasetName: name, distributionId };
}

/** A valid request body for `table` on behalf of `requesterDepartmentId` (override anything). */
export function requestInput(
  table: Pick<SharedTable, 'distributionId'>,
  requesterDepartmentId: string,
  overrides: Partial<CreateAccessRequest> = {},
): CreateAccessRequest {
  return {
    distributionId: table.distributionId,
    requesterDepartmentId,
    purpose: '核验办事群众户籍信息',
    legalBasis: '《政务数据共享条例》第十五条',
    fields: ['name', 'resident_id', 'district'],
    rowFilter: { district: '东城区' },
    durationDays: 90,
    expectedCallsPerDay: 1000,
    systemName: '一网通办受理系统',
    ...overrides,
  };
}

/** A pending request (filed as the platform itself), for tests that decide or withdraw it. */
export async function pendingRequest(
  ctx: AppContext,
  table: Pick<SharedTable, 'distributionId'>,
  requesterDepartmentId: string,
  overrides: Partial<CreateAccessRequest> = {},
) {
  return createAccessRequest(
    ctx,
    systemActor('exchange-test'),
    requestInput(table, requesterDepartmentId, overrides),
  );
}

/** An active grant: a request filed and approved as the platform itself (decision as given). */
export async function activeGrant(
  ctx: AppContext,
  table: Pick<SharedTable, 'distributionId'>,
  requesterDepartmentId: string,
  decision: Omit<Decision, 'decision'> = {},
) {
  const request = await pendingRequest(ctx, table, requesterDepartmentId);
  const decided = await decideAccessRequest(ctx, systemActor('exchange-test'), request.id, {
    decision: 'approve',
    ...decision,
  });
  return { requestId: request.id, grantId: decided.grantId as string };
}
