import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { pathWithin } from '../../platform/sql-helpers.ts';

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

/** Who receives which notices: department subtrees (by root id) per kind; every escalation when `allEscalations`. */
export interface NoticeAudience {
  reminderRoots: readonly string[];
  escalationRoots: readonly string[];
  allEscalations: boolean;
}

/** Notices of still-pending requests that reach this audience, newest first. */
export async function listNoticeRows(db: Db, f: NoticeAudience & { limit: number }) {
  return (
    db
      .selectFrom('exchange_notices as n')
      .innerJoin('exchange_requests as r', 'r.id', 'n.request_id')
      .innerJoin('catalog_datasets as ds', 'ds.id', 'r.dataset_id')
      .innerJoin('departments as d', 'd.id', 'n.department_id')
      .select([
        'n.id',
        'n.request_id',
        'n.department_id',
        'r.requester_department_id',
        'n.kind',
        'n.created_at',
        'ds.title_zh',
        'ds.title_en',
        'r.due_at',
      ])
      // A decided or withdrawn request calls for nobody any more; its history keeps the notices.
      .where('r.state', '=', 'pending')
      .where((eb) =>
        eb.or([
          eb.and([eb('n.kind', '=', 'reminder'), pathWithin(eb, 'd.path', f.reminderRoots)]),
          eb.and([
            eb('n.kind', '=', 'escalation'),
            f.allEscalations ? sql<boolean>`true` : pathWithin(eb, 'd.path', f.escalationRoots),
          ]),
        ]),
      )
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(f.limit)
      .execute()
  );
}
