import { sql } from 'kysely';
import type { DatasetDto } from '../../src/contracts/catalog.ts';
import {
  addFileDistribution,
  addLinkDistribution,
  answerDataRequest,
  createDataRequest,
  createDataset,
  reviewDataset,
  submitDataset,
  withdrawDataset,
} from '../../src/server/modules/catalog/index.ts';
import { type Actor, systemActor } from '../../src/server/platform/auth/actor.ts';
import type { AppContext } from '../../src/server/platform/context.ts';
import { DEMO_DATA_REQUESTS } from './data-requests.ts';
import { type DemoRow, expandRow, statusOf } from './define.ts';
import { applyHistory, downloadsOf, type Timeline, timelineOf, wasSentBack } from './history.ts';
import { sampleRecords, toCsv, toJson } from './sample-data.ts';
import { DEMO_CATALOG, demoRows } from './tables.ts';

/** What the demo catalog holds, and what this run added. */
export interface DemoCatalogSummary {
  /** Demo resources (all present after loading). */
  resources: number;
  /** Resources this run created; 0 when the catalog was already loaded. */
  created: number;
  /** Public data requests this run filed. */
  dataRequests: number;
}

const OPEN_API = 'https://data.lanshan.example.gov.cn/api/v1';
const SHARE_API = 'https://share.lanshan.example.gov.cn/api/v1';
const REJECT_NOTE = '请补充数据项说明，并明确更新周期和共享条件后重新提交。';

/**
 * Loads the demo city's catalog through the catalog services, like stewards and department admins
 * would: each resource is created, submitted, published (or left as a draft, awaiting review, or
 * withdrawn), and given its distributions. Idempotent: resources are matched by name and only
 * missing ones are created; only those get demo history (see history.ts).
 */
export async function loadDemoCatalog(ctx: AppContext): Promise<DemoCatalogSummary> {
  const actor = systemActor('demo');
  const rows = demoRows();
  const names = rows.map((r) => r.row.name);
  const found = await ctx.db
    .selectFrom('catalog_datasets')
    .select('name')
    .where('name', 'in', names)
    .execute();
  const existing = new Set(found.map((r) => r.name));
  const departments = new Map(
    (await ctx.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]),
  );

  const timelines: Timeline[] = [];
  const downloads: { id: string; count: number }[] = [];
  // A department's resources load in order, so its resource codes follow the tables. On PostgreSQL,
  // where every statement is a round trip and every commit a disk flush, four departments load at
  // once (about twice as fast); PGlite runs one statement at a time anyway.
  await inParallel(DEMO_CATALOG, ctx.engine === 'postgres' ? 4 : 1, async (table) => {
    const departmentId = departments.get(table.department);
    if (!departmentId) throw new Error(`The demo catalog names an unknown department ${table.department}`);
    for (const row of table.rows) {
      if (existing.has(row.name)) continue;
      const dataset = await createDataset(ctx, actor, expandRow(row, departmentId, table.contact));
      const timeline = timelineOf(row);
      const distributionIds = await advance(ctx, actor, dataset.id, row);
      distributionIds.forEach((id, i) => {
        downloads.push({ id, count: downloadsOf(row, timeline, i) });
      });
      timelines.push(timeline);
    }
  });
  await applyHistory(ctx.db, timelines, downloads);
  return {
    resources: rows.length,
    created: timelines.length,
    dataRequests: await loadDataRequests(ctx, actor),
  };
}

// Runs `work` over the items, at most `limit` at a time.
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// Takes a new draft to where its row says it ends; returns the ids of the distributions it added.
async function advance(ctx: AppContext, actor: Actor, id: string, row: DemoRow): Promise<string[]> {
  const status = statusOf(row);
  if (status === 'draft') {
    if (wasSentBack(row)) {
      await submitDataset(ctx, actor, id);
      await reviewDataset(ctx, actor, id, { decision: 'reject', note: REJECT_NOTE });
    }
    return [];
  }
  await submitDataset(ctx, actor, id);
  if (status === 'submitted') return [];
  await reviewDataset(ctx, actor, id, { decision: 'publish' });
  const ids = await addDistributions(ctx, actor, id, row);
  if (status === 'withdrawn') await withdrawDataset(ctx, actor, id, row.reason ?? '数据停止更新。');
  return ids;
}

const lastAdded = (dataset: DatasetDto) =>
  dataset.distributions.reduce((a, b) => (b.position > a.position ? b : a)).id;

// Open resources carry a small sample file (and an API when the row says so); conditionally open
// ones an API to apply for; shared ones the exchange platform's API; resources not shared nothing.
async function addDistributions(ctx: AppContext, actor: Actor, id: string, row: DemoRow): Promise<string[]> {
  const ids: string[] = [];
  if (row.access === 'open') {
    const records = sampleRecords(row);
    const format = row.json ? 'json' : 'csv';
    const added = await addFileDistribution(ctx, actor, id, {
      filename: `${row.name}.${format}`,
      name: `${row.zh}.${format}`,
      description: `共${records.length}条记录（演示数据） · ${records.length} records (demo data)`,
      content: row.json ? toJson(records) : toCsv(records),
    });
    ids.push(lastAdded(added));
  }
  if ((row.access === 'open' && row.api) || row.access === 'open-cond') {
    const conditional = row.access === 'open-cond';
    const added = await addLinkDistribution(ctx, actor, id, {
      name: conditional ? '数据接口（申请授权后调用）' : '数据接口',
      description: conditional ? 'API, available once access is granted' : 'REST API returning JSON, paged',
      kind: 'api',
      url: `${OPEN_API}/${conditional ? 'apply' : 'datasets'}/${row.name}`,
    });
    ids.push(lastAdded(added));
  }
  if (row.access === 'shared' || row.access === 'cond') {
    const added = await addLinkDistribution(ctx, actor, id, {
      name: '共享交换接口（政务外网）',
      description: 'Exchange API on the government network, for departments',
      kind: 'api',
      url: `${SHARE_API}/${row.name}`,
    });
    ids.push(lastAdded(added));
  }
  return ids;
}

// Files the demo's public data requests that are not there yet (matched by title), answers some,
// and dates them over the past months.
async function loadDataRequests(ctx: AppContext, actor: Actor): Promise<number> {
  const titles = DEMO_DATA_REQUESTS.map((r) => r.title);
  const existing = new Set(
    (
      await ctx.db.selectFrom('catalog_data_requests').select('title').where('title', 'in', titles).execute()
    ).map((r) => r.title),
  );
  const codes = new Map(
    (await ctx.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]),
  );
  const dates: ReturnType<typeof sql>[] = [];
  for (const [i, req] of DEMO_DATA_REQUESTS.entries()) {
    if (existing.has(req.title)) continue;
    const created = await createDataRequest(ctx, undefined, {
      ...(req.dataset ? { datasetName: req.dataset } : {}),
      ...(req.department ? { departmentId: codes.get(req.department) } : {}),
      title: req.title,
      description: req.description,
      requesterName: req.requesterName,
      requesterEmail: req.requesterEmail,
    });
    if (req.answer) await answerDataRequest(ctx, actor, created.id, req.answer);
    const askedAgo = 12 + i * 17;
    dates.push(
      sql`(${created.id}::uuid, ${askedAgo * 86_400}::float8, ${(askedAgo - 6 - (i % 5)) * 86_400}::float8)`,
    );
  }
  if (dates.length > 0)
    await sql`
      update catalog_data_requests r set created_at = now() - make_interval(secs => d.asked),
        answered_at = case when r.answered_at is null then null else now() - make_interval(secs => d.answered) end
      from (values ${sql.join(dates)}) as d(id, asked, answered) where r.id = d.id`.execute(ctx.db);
  return dates.length;
}
