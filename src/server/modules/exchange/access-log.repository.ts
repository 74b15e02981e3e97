import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { Database } from '../../platform/db-schema.ts';

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

type Eb = ExpressionBuilder<Database, 'exchange_access_log'>;

const concerns = (eb: Eb, ids: string[]) =>
  eb.or([eb('owner_department_id', 'in', ids), eb('requester_department_id', 'in', ids)]);

function filtered(db: Db, f: AccessLogFilter) {
  let q = db.selectFrom('exchange_access_log');
  if (f.scope) {
    const scope = f.scope;
    q = scope.length ? q.where((eb) => concerns(eb, scope)) : q.where(sql<boolean>`false`);
  }
  if (f.departmentId) {
    const id = f.departmentId;
    q = q.where((eb) => concerns(eb, [id]));
  }
  if (f.grantId) q = q.where('grant_id', '=', f.grantId);
  if (f.datasetId) q = q.where('dataset_id', '=', f.datasetId);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<', new Date(f.to));
  return q;
}

/** A page of rows, newest first, with the total. */
export async function listAccessLogRows(db: Db, f: AccessLogFilter, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    filtered(db, f)
      .select([
        'seq',
        'at',
        'call_id',
        'grant_id',
        'requester_department_id',
        'owner_department_id',
        'dataset_id',
        'distribution_id',
        'system_name',
        'user_ref',
        'operation',
        'fields',
        'row_count',
        sql<number>`cardinality(subjects)`.as('subject_count'),
        'purpose',
        'case_ref',
        'withheld_until',
        'latency_ms',
        'outcome',
        'status',
      ])
      .orderBy('entry_id', 'desc')
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
