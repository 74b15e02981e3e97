import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

// Operational figures from the access log (as X-Road's operational monitoring): calls, rows,
// failures (every outcome but ok) and latency percentiles over a window, with the grants active now.

export interface UsageScope {
  days: number;
  datasetIds?: readonly string[] | undefined;
  /** Calls made by the department or to its resources. */
  departmentId?: string | undefined;
}

export interface Figures {
  calls: number;
  rows: number;
  failures: number;
  p50Ms: number | null;
  p95Ms: number | null;
  activeGrants: number;
}

export type GroupBy = 'none' | 'department' | 'dataset';

export const emptyFigures = (): Figures => ({
  calls: 0,
  rows: 0,
  failures: 0,
  p50Ms: null,
  p95Ms: null,
  activeGrants: 0,
});

function logWhere(s: UsageScope): RawBuilder<unknown> {
  const parts = [sql`at > now() - make_interval(days => ${s.days})`];
  if (s.datasetIds)
    parts.push(s.datasetIds.length ? sql`dataset_id in (${sql.join(s.datasetIds)})` : sql`false`);
  if (s.departmentId)
    parts.push(sql`(owner_department_id = ${s.departmentId} or requester_department_id = ${s.departmentId})`);
  return sql.join(parts, sql` and `);
}

function grantWhere(s: UsageScope): RawBuilder<unknown> {
  const parts = [sql`state = 'active' and expires_at > now()`];
  if (s.datasetIds)
    parts.push(s.datasetIds.length ? sql`dataset_id in (${sql.join(s.datasetIds)})` : sql`false`);
  if (s.departmentId)
    parts.push(sql`(owner_department_id = ${s.departmentId} or grantee_department_id = ${s.departmentId})`);
  return sql.join(parts, sql` and `);
}

const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 100) / 100);

/** Figures in the scope, grouped by requesting department, by resource, or not at all (key ''). */
export async function usageFigures(
  db: Db,
  scope: UsageScope,
  groupBy: GroupBy,
): Promise<Map<string, Figures>> {
  const logKey =
    groupBy === 'department'
      ? sql`requester_department_id::text`
      : groupBy === 'dataset'
        ? sql`dataset_id::text`
        : sql`''`;
  const grantKey =
    groupBy === 'department'
      ? sql`grantee_department_id::text`
      : groupBy === 'dataset'
        ? sql`dataset_id::text`
        : sql`''`;
  const calls = await sql<{
    key: string | null;
    calls: number;
    rows: number;
    failures: number;
    p50: number | null;
    p95: number | null;
  }>`
    select ${logKey} as key, count(*)::int as calls, coalesce(sum(row_count), 0)::int8 as rows,
           (count(*) filter (where outcome <> 'ok'))::int as failures,
           percentile_cont(0.5) within group (order by latency_ms) as p50,
           percentile_cont(0.95) within group (order by latency_ms) as p95
    from exchange_access_log where ${logWhere(scope)} group by 1`.execute(db);
  const grants = await sql<{ key: string | null; n: number }>`
    select ${grantKey} as key, count(*)::int as n from exchange_grants where ${grantWhere(scope)} group by 1`.execute(
    db,
  );
  const out = new Map<string, Figures>();
  const at = (key: string | null) => {
    const k = key ?? '';
    const f = out.get(k) ?? emptyFigures();
    out.set(k, f);
    return f;
  };
  for (const r of calls.rows) {
    Object.assign(at(r.key), {
      calls: Number(r.calls),
      rows: Number(r.rows),
      failures: Number(r.failures),
      p50Ms: round(r.p50),
      p95Ms: round(r.p95),
    });
  }
  for (const r of grants.rows) at(r.key).activeGrants = Number(r.n);
  return out;
}
