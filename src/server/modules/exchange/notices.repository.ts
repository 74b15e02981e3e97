import type { Db } from '../../platform/db.ts';
import { pathWithinSql } from '../../platform/sql-helpers.ts';

// Reminders and escalations of requests nearing or past their deadline. The unique index on
// (request, kind) makes each one happen once, however many nodes run the deadline tick.

/** Inserts the notice unless it exists; true when this call wrote it. */
export async function insertNoticeOnce(
  db: Db,
  n: { requestId: string; departmentId: string; kind: 'reminder' | 'escalation' },
): Promise<boolean> {
  const row = await db
    .insertInto('exchange_notices')
    .values({ request_id: n.requestId, department_id: n.departmentId, kind: n.kind })
    .onConflict((oc) => oc.columns(['request_id', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

/** Notices addressed to departments in the given subtrees (all of them when `all`), newest first. */
export async function listNoticeRows(db: Db, f: { all: boolean; roots: readonly string[]; limit: number }) {
  let q = db
    .selectFrom('exchange_notices as n')
    .innerJoin('exchange_requests as r', 'r.id', 'n.request_id')
    .innerJoin('catalog_datasets as ds', 'ds.id', 'r.dataset_id')
    .innerJoin('departments as d', 'd.id', 'n.department_id')
    .select([
      'n.id',
      'n.request_id',
      'n.department_id',
      'n.kind',
      'n.created_at',
      'ds.title_zh',
      'ds.title_en',
      'r.due_at',
    ]);
  if (!f.all) q = q.where(pathWithinSql('d.path', f.roots));
  return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(f.limit).execute();
}
