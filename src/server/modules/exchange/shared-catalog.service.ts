import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import {
  type ExchangeSettings,
  MAX_RATE_PER_MINUTE,
  type SharedResource,
} from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { canBrowseShared } from './exchange.policy.ts';
import {
  findSharedResource,
  listSharedResources,
  loadedTables,
  type SharedResourceRow,
} from './shared-catalog.repository.ts';
import { emptyFigures, type Figures, usageFigures } from './usage.repository.ts';

// The internal catalog staff browse before asking for data: shared resources with their conditions,
// owners, data items, loaded tables (the dictionary with each column's sensitivity, never values)
// and the last 30 days' usage.

const USAGE_DAYS = 30;

type TableRow = Awaited<ReturnType<typeof loadedTables>>[number];

function present(r: SharedResourceRow, tables: TableRow[], usage: Figures | undefined): SharedResource {
  const items = (r.data_items ?? []) as { name: string; type: string; description?: string }[];
  return {
    datasetId: r.id,
    name: r.name,
    titleZh: r.title_zh,
    titleEn: r.title_en,
    departmentId: r.department_id,
    departmentNameZh: r.department_name_zh,
    departmentNameEn: r.department_name_en,
    shareType: r.share_type as SharedResource['shareType'],
    shareCondition: r.share_condition,
    updateCycle: r.update_cycle,
    dataItems: items.map((i) => ({ name: i.name, type: i.type, description: i.description ?? '' })),
    tables: tables
      .filter((t) => t.dataset_id === r.id)
      .map((t) => ({
        distributionId: t.distribution_id,
        name: t.name,
        rowCount: Number(t.row_count),
        columns: (t.columns as DictionaryColumn[]).map((c) => ({
          id: c.id,
          label: c.label,
          ...(c.labelEn ? { labelEn: c.labelEn } : {}),
          type: c.type,
          sensitivity: c.sensitivity,
          ...(c.description ? { description: c.description } : {}),
        })),
      })),
    usage: usage ?? emptyFigures(),
  };
}

async function withDetails(ctx: AppContext, rows: SharedResourceRow[]): Promise<SharedResource[]> {
  const ids = rows.map((r) => r.id);
  const [tables, usage] = await Promise.all([
    loadedTables(ctx.db, ids),
    usageFigures(ctx.db, { days: USAGE_DAYS, datasetIds: ids }, 'dataset'),
  ]);
  return rows.map((r) => present(r, tables, usage.get(r.id)));
}

/** A page of the internal catalog. */
export async function listShared(
  ctx: AppContext,
  actor: Actor | undefined,
  query: {
    q?: string | undefined;
    departmentId?: string | undefined;
    shareType?: 'unconditional' | 'conditional' | undefined;
    page?: number | undefined;
    pageSize?: number | undefined;
  },
) {
  authorize(actor, canBrowseShared);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await listSharedResources(ctx.db, {
    q: query.q,
    departmentId: query.departmentId,
    shareType: query.shareType,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: await withDetails(ctx, rows), total, page, pageSize };
}

/** One shared resource (by dataset id); resources that are not shared are not found. */
export async function getShared(ctx: AppContext, actor: Actor | undefined, datasetId: string) {
  authorize(actor, canBrowseShared);
  const row = await findSharedResource(ctx.db, datasetId);
  if (!row) throw notFound('exchange.resource_not_found', 'Shared resource');
  return (await withDetails(ctx, [row]))[0]!;
}

/** The limits the request, decision and renewal forms check before sending (staff only). */
export function exchangeSettings(ctx: AppContext, actor: Actor | undefined): ExchangeSettings {
  authorize(actor, canBrowseShared);
  return {
    maxGrantDays: ctx.config.exchangeMaxGrantDays,
    defaultRatePerMinute: ctx.config.exchangeDefaultRatePerMinute,
    maxRatePerMinute: MAX_RATE_PER_MINUTE,
  };
}
