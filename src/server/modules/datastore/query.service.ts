import { type RawBuilder, sql } from 'kysely';
import type { DatastoreType } from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { columnsFor, relationFor } from './access-views.ts';
import { dictionaryOf } from './datastore.presenter.ts';
import { readableTable } from './datastore-access.ts';
import { toDelimited } from './records-format.ts';
import { type CheckedSearch, checkSearch, type SearchParams } from './search-params.ts';
import { pgTypeOf } from './types/index.ts';

// datastore_search: rows of a table as the caller may see them (through the access view of their
// class of reader), filtered, searched, sorted and paged. Every name is checked against the visible
// columns and every value is bound as a parameter.

/** CKAN's names for the column types. */
export const CKAN_TYPES: Record<DatastoreType | 'int8', string> = {
  integer: 'int4',
  bigint: 'int8',
  // _id, which CKAN reports as "int"
  int8: 'int',
  numeric: 'numeric',
  boolean: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  time: 'time',
  text: 'text',
};

export interface SearchResult {
  resource_id: string;
  fields: { id: string; type: string; info?: Record<string, unknown> }[];
  records: unknown;
  limit: number;
  offset: number;
  total?: number;
  total_was_estimated?: boolean;
  records_format: string;
  sort?: string;
  filters?: Record<string, unknown>;
  q?: unknown;
  _links: { start: string; next: string; prev?: string };
}

/**
 * A column as it leaves: timestamps as ISO text (a JS Date would move them to the server's zone),
 * bigint as text (the driver reads int8 as a double, which loses digits past 2^53 — a bigint column
 * holds up to 18); exactInteger turns the text back into a number where that is exact.
 */
export const outputOf = (id: string, type: DatastoreType | 'int8') =>
  type === 'timestamp'
    ? sql`replace(${sql.id(id)}::text, ' ', 'T') as ${sql.id(id)}`
    : type === 'bigint'
      ? sql`${sql.id(id)}::text as ${sql.id(id)}`
      : sql.id(id);

/** A bigint column's text as a JSON number when a double holds it exactly, else as the text itself. */
export function exactInteger(value: unknown): unknown {
  if (typeof value !== 'string' || !/^-?[0-9]+$/.test(value)) return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

/** Rows with their bigint columns (`ids`) as exactInteger gives them, for JSON answers. */
export function withExactIntegers(rows: Record<string, unknown>[], ids: readonly string[]) {
  if (ids.length === 0) return rows;
  for (const row of rows) for (const id of ids) row[id] = exactInteger(row[id]);
  return rows;
}

const likePattern = (text: string) =>
  `%${text.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;

/** The filters and q of a checked search as SQL conditions (names quoted, values bound). */
export function conditionsOf(c: CheckedSearch): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = c.filters.map((f) => {
    const type = sql.raw(f.type === 'int8' ? 'bigint' : pgTypeOf(f.type));
    return f.values.length === 1
      ? sql`${sql.id(f.id)} = cast(${f.values[0]} as ${type})`
      : sql`${sql.id(f.id)} = any(cast(${f.values} as ${type}[]))`;
  });
  for (const q of c.q) {
    const target =
      q.id === null
        ? sql`concat_ws(' ', ${sql.join(c.searchable.map((f) => sql`${sql.id(f.id)}::text`))})`
        : sql`${sql.id(q.id)}::text`;
    parts.push(sql`${target} ilike ${likePattern(q.text)}`);
  }
  return parts;
}

/** A where clause joining `parts` (empty when there are none). */
export const whereOf = (parts: readonly RawBuilder<unknown>[]): RawBuilder<unknown> =>
  parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;

export interface OrderKey {
  id: string;
  desc: boolean;
  nulls?: 'first' | 'last' | undefined;
}

/**
 * The keys rows are ordered by: the sort, then _id breaking ties the same way (so pages are stable
 * and an index on (column, _id) serves the whole order); _id alone without a sort. The dump pages
 * through the same order, so a search and a dump of the same parameters list the same rows.
 */
export function orderKeys(c: CheckedSearch): OrderKey[] {
  if (c.distinct) return c.sort;
  if (!c.sort.length) return [{ id: '_id', desc: false }];
  return [...c.sort, { id: '_id', desc: c.sort.at(-1)?.desc ?? false }];
}

/**
 * An order by clause. PostgreSQL's own null order (last ascending, first descending) unless the
 * sort says otherwise, as CKAN sorts: an index on the column then serves both directions.
 */
export const orderOf = (keys: readonly OrderKey[]): RawBuilder<unknown> =>
  keys.length
    ? sql`order by ${sql.join(
        keys.map(
          (k) =>
            sql`${sql.id(k.id)} ${sql.raw(k.desc ? 'desc' : 'asc')}${sql.raw(k.nulls ? ` nulls ${k.nulls}` : '')}`,
        ),
      )}`
    : sql``;

/** Rows of a DataStore table (CKAN datastore_search). */
export async function searchDatastore(
  ctx: AppContext,
  actor: Actor | undefined,
  params: SearchParams,
): Promise<SearchResult> {
  const { table, cls } = await readableTable(ctx.db, actor, params.resource_id);
  const visible = columnsFor(cls, dictionaryOf(table.columns)).map((v) => v.column);
  const c = checkSearch(params, visible);
  const relation = relationFor(params.resource_id, cls);
  const select = sql.join(c.fields.map((f) => outputOf(f.id, f.type)));
  const where = whereOf(conditionsOf(c));
  const order = orderOf(orderKeys(c));
  const rows = await sql<Record<string, unknown>>`
    select ${c.distinct ? sql`distinct` : sql``} ${select} from ${relation} ${where} ${order}
    limit ${c.limit} offset ${c.offset}`.execute(ctx.db);

  let total: number | undefined;
  let estimated = false;
  if (c.includeTotal) {
    const estimate =
      c.estimationThreshold === null
        ? null
        : await estimateRows(ctx, relation, where, c.distinct ? select : null);
    if (!c.filters.length && !c.q.length && !c.distinct) {
      total = Number(table.row_count);
    } else if (estimate !== null && c.estimationThreshold !== null && estimate > c.estimationThreshold) {
      total = estimate;
      estimated = true;
    } else {
      const counted = await sql<{ n: number }>`select count(*)::bigint as n from (
        select ${c.distinct ? sql`distinct ${select}` : sql`1`} from ${relation} ${where}) x`.execute(ctx.db);
      total = Number(counted.rows[0]?.n ?? 0);
    }
  }
  const fields = c.fields.map((f) => {
    const column = visible.find((v) => v.id === f.id);
    return {
      id: f.id,
      type: CKAN_TYPES[f.type],
      ...(column
        ? {
            info: {
              label: column.label,
              ...(column.labelEn ? { label_en: column.labelEn } : {}),
              ...(column.unit ? { unit: column.unit } : {}),
            },
          }
        : {}),
    };
  });
  return {
    resource_id: params.resource_id,
    fields,
    records: formatRecords(c, rows.rows),
    limit: c.limit,
    offset: c.offset,
    ...(total !== undefined ? { total, total_was_estimated: estimated } : {}),
    records_format: c.recordsFormat,
    ...(params.sort ? { sort: params.sort } : {}),
    ...(params.filters ? { filters: params.filters } : {}),
    ...(params.q ? { q: params.q } : {}),
    _links: linksOf(params, c),
  };
}

/**
 * CKAN's _links: the same search with the offset changed, so a client that follows `next` gets the
 * next page of the same rows (same filters, q, sort, fields and limit), never a different query.
 */
function linksOf(params: SearchParams, c: CheckedSearch): SearchResult['_links'] {
  const args = new URLSearchParams({ resource_id: params.resource_id });
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (params.filters !== undefined) args.set('filters', JSON.stringify(params.filters));
  if (params.q !== undefined) args.set('q', text(params.q));
  if (params.fields !== undefined)
    args.set('fields', Array.isArray(params.fields) ? params.fields.join(',') : params.fields);
  if (params.sort) args.set('sort', params.sort);
  if (params.distinct !== undefined) args.set('distinct', String(params.distinct));
  if (params.include_total !== undefined) args.set('include_total', String(params.include_total));
  if (params.records_format !== undefined) args.set('records_format', params.records_format);
  if (params.total_estimation_threshold !== undefined)
    args.set('total_estimation_threshold', String(params.total_estimation_threshold));
  if (params.limit !== undefined) args.set('limit', String(c.limit));
  const at = (offset: number) => {
    const withOffset = new URLSearchParams(args);
    withOffset.set('offset', String(offset));
    return `${PATH}?${withOffset}`;
  };
  return {
    start: `${PATH}?${args}`,
    next: at(c.offset + c.limit),
    ...(c.offset > 0 ? { prev: at(Math.max(0, c.offset - c.limit)) } : {}),
  };
}

const PATH = '/api/3/action/datastore_search';

/** The planner's estimate of the matching rows (what CKAN's total_estimation_threshold compares). */
async function estimateRows(
  ctx: AppContext,
  relation: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
  distinct: RawBuilder<unknown> | null,
): Promise<number> {
  const plan = await sql<{ 'QUERY PLAN': unknown }>`explain (format json)
    select ${distinct ? sql`distinct ${distinct}` : sql`1`} from ${relation} ${where}`.execute(ctx.db);
  const raw = plan.rows[0]?.['QUERY PLAN'];
  const json = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: { 'Plan Rows': number } }[];
  return Math.round(json[0]?.Plan['Plan Rows'] ?? 0);
}

function formatRecords(c: CheckedSearch, rows: Record<string, unknown>[]): unknown {
  const ids = c.fields.map((f) => f.id);
  const bigints = c.fields.filter((f) => f.type === 'bigint').map((f) => f.id);
  switch (c.recordsFormat) {
    case 'lists':
      return withExactIntegers(rows, bigints).map((r) => ids.map((id) => r[id] ?? null));
    case 'csv':
      return toDelimited(rows, ids, ',');
    case 'tsv':
      return toDelimited(rows, ids, '\t');
    default:
      return withExactIntegers(rows, bigints);
  }
}
