import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { Database } from '../../platform/db-schema.ts';
import { columnLabelsOf } from './column-labels.ts';

// Reading the access log for staff. The subjects column never leaves this file: only its length.

export interface AccessLogFilter {
  /** Rows concerning these departments (as owner or requester); undefined: every row. */
  scope?: string[] | undefined;
  departmentId?: string | undefined;
  grantId?: string | undefined;
  datasetId?: string | undefined;
  outcome?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

type Eb = ExpressionBuilder<Database & { l: Database['exchange_access_log'] }, 'l'>;

const concerns = (eb: Eb, ids: string[]) =>
  eb.or([eb('l.owner_department_id', 'in', ids), eb('l.requester_department_id', 'in', ids)]);

function filtered(db: Db, f: AccessLogFilter) {
  let q = db.selectFrom('exchange_access_log as l');
  if (f.scope) {
    const scope = f.scope;
    q = scope.length ? q.where((eb) => concerns(eb, scope)) : q.where(sql<boolean>`false`);
  }
  if (f.departmentId) {
    const id = f.departmentId;
    q = q.where((eb) => concerns(eb, [id]));
  }
  if (f.grantId) q = q.where('l.grant_id', '=', f.grantId);
  if (f.datasetId) q = q.where('l.dataset_id', '=', f.datasetId);
  if (f.outcome) q = q.where('l.outcome', '=', f.outcome);
  if (f.from) q = q.where('l.at', '>=', new Date(f.from));
  if (f.to) q = q.where('l.at', '<', new Date(f.to));
  return q;
}

/** A page of rows, newest first, with the total. */
export async function listAccessLogRows(db: Db, f: AccessLogFilter, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    filtered(db, f)
      // The resource's titles: a row names only ids, the page shows what was read.
      .leftJoin('catalog_datasets as ds', 'ds.id', 'l.dataset_id')
      .select([
        'ds.title_zh',
        'ds.title_en',
        columnLabelsOf('l.distribution_id', 'l.fields').as('column_labels'),
        'l.seq',
        'l.at',
        'l.call_id',
        'l.grant_id',
        'l.requester_department_id',
        'l.owner_department_id',
        'l.dataset_id',
        'l.distribution_id',
        'l.system_name',
        'l.user_ref',
        'l.operation',
        'l.fields',
        'l.row_count',
        sql<number>`cardinality(l.subjects)`.as('subject_count'),
        'l.purpose',
        'l.case_ref',
        'l.withheld_until',
        'l.latency_ms',
        'l.outcome',
        'l.status',
      ])
      .orderBy('l.entry_id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered(db, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}

/** Departments at or below any of `roots` (roles reach into sub-departments). */
export async function departmentsWithin(db: Db, roots: string[]): Promise<string[]> {
  if (roots.length === 0) return [];
  const rows = await db
    .selectFrom('departments')
    .select('id')
    .where(sql<boolean>`string_to_array(path, '/') && ${roots}::text[]`)
    .execute();
  return rows.map((r) => r.id);
}
