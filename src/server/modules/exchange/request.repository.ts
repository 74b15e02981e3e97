import { type Insertable, sql, type Updateable } from 'kysely';
import type { ColumnLabel } from '../../../contracts/exchange.ts';
import type { Db } from '../../platform/db.ts';
import type {
  ExchangeEventsTable,
  ExchangeRequestRow,
  ExchangeRequestsTable,
} from '../../platform/db-schema-exchange.ts';
import { columnLabelsOf } from './column-labels.ts';
import { readPage, type SideScope, whereSide } from './paged-list.ts';

// Access requests and the exchange's event history (shared by requests and grants).

/** A request with what its presenter and policies need: resource titles and both departments' paths. */
export interface RequestView extends ExchangeRequestRow {
  dataset_name: string;
  title_zh: string;
  title_en: string;
  owner_path: string;
  requester_path: string;
  column_labels: ColumnLabel[];
}

function selectViews(db: Db) {
  return db
    .selectFrom('exchange_requests as r')
    .innerJoin('catalog_datasets as ds', 'ds.id', 'r.dataset_id')
    .innerJoin('departments as o', 'o.id', 'r.owner_department_id')
    .innerJoin('departments as q', 'q.id', 'r.requester_department_id')
    .selectAll('r')
    .select([
      'ds.name as dataset_name',
      'ds.title_zh',
      'ds.title_en',
      'o.path as owner_path',
      'q.path as requester_path',
      columnLabelsOf('r.distribution_id', 'r.fields').as('column_labels'),
    ]);
}

export async function findRequestView(db: Db, id: string, lock = false): Promise<RequestView | undefined> {
  if (lock) await db.selectFrom('exchange_requests').select('id').where('id', '=', id).forUpdate().execute();
  return selectViews(db).where('r.id', '=', id).executeTakeFirst() as Promise<RequestView | undefined>;
}

/** The stored request row. */
export const findRequestRow = (db: Db, id: string) =>
  db.selectFrom('exchange_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

export async function insertRequest(db: Db, row: Insertable<ExchangeRequestsTable>): Promise<void> {
  await db.insertInto('exchange_requests').values(row).execute();
}

export async function updateRequest(db: Db, id: string, set: Updateable<ExchangeRequestsTable>) {
  await db
    .updateTable('exchange_requests')
    .set({ ...set, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export interface RequestListFilter extends SideScope {
  state?: string | undefined;
  departmentId?: string | undefined;
  limit: number;
  offset: number;
}

export async function listRequestViews(
  db: Db,
  f: RequestListFilter,
): Promise<{ rows: RequestView[]; total: number }> {
  let q = whereSide(selectViews(db), f);
  if (f.departmentId) {
    const d = f.departmentId;
    if (f.side === 'incoming') q = q.where('r.owner_department_id', '=', d);
    else if (f.side === 'outgoing') q = q.where('r.requester_department_id', '=', d);
    else
      q = q.where((eb) =>
        eb.or([eb('r.owner_department_id', '=', d), eb('r.requester_department_id', '=', d)]),
      );
  }
  if (f.state) q = q.where('r.state', '=', f.state as RequestView['state']);
  const { rows, total } = await readPage(
    q,
    (q) =>
      q
        .orderBy(sql`case when r.state = 'pending' then 0 else 1 end`)
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id'),
    f,
  );
  return { rows: rows as RequestView[], total };
}

/** Pending requests whose deadline falls at or before `before` and that lack the given mark. */
export async function pendingDueBefore(
  db: Db,
  before: Date,
  unmarked: 'reminded_at' | 'escalated_at',
  limit = 500,
) {
  return db
    .selectFrom('exchange_requests')
    .select(['id', 'owner_department_id', 'due_at'])
    .where('state', '=', 'pending')
    .where('due_at', '<=', before)
    .where(unmarked, 'is', null)
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

/**
 * Pending requests whose deadline counts the day starting at `dayStart`: submitted before that day,
 * due on it or later. Locked, in id order, for moving their deadlines.
 */
export async function lockPendingSpanning(db: Db, dayStart: Date) {
  return db
    .selectFrom('exchange_requests')
    .select([
      'id',
      'owner_department_id',
      'created_at',
      'due_at',
      'decision_days',
      'reminded_at',
      'escalated_at',
    ])
    .where('state', '=', 'pending')
    .where('created_at', '<', dayStart)
    .where('due_at', '>=', dayStart)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** A request's state and deadline, locked: the deadline tick's second look before it writes a notice. */
export async function lockDeadline(db: Db, id: string) {
  return db
    .selectFrom('exchange_requests')
    .select(['state', 'due_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Removes a request's reminder or escalation, so that a moved deadline can have its own. */
export async function deleteNotice(db: Db, requestId: string, kind: 'reminder' | 'escalation') {
  await db
    .deleteFrom('exchange_notices')
    .where('request_id', '=', requestId)
    .where('kind', '=', kind)
    .execute();
}

// ---- events -------------------------------------------------------------------------------------

export async function insertEvent(db: Db, row: Insertable<ExchangeEventsTable>): Promise<void> {
  await db.insertInto('exchange_events').values(row).execute();
}

/** The history of a request or of a grant, oldest first. */
export async function listEvents(db: Db, by: { requestId: string } | { grantId: string }) {
  const q = db
    .selectFrom('exchange_events')
    .select(['at', 'actor_label', 'action', 'note', 'details'])
    .orderBy('id');
  return 'requestId' in by
    ? q.where('request_id', '=', by.requestId).execute()
    : q.where('grant_id', '=', by.grantId).execute();
}
