import { type Insertable, sql, type Updateable } from 'kysely';
import type { ColumnLabel } from '../../../contracts/exchange.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeGrantRow, ExchangeGrantsTable } from '../../platform/db-schema-exchange.ts';
import { columnLabelsOf } from './column-labels.ts';
import { readPage, type SideScope, whereSide } from './paged-list.ts';

// Grants: what an approved request lets the grantee's system read, and its credential's hash.

/** A grant with resource titles and both departments' paths (credential hash left out). */
export interface GrantView extends Omit<ExchangeGrantRow, 'credential_hash'> {
  dataset_name: string;
  title_zh: string;
  title_en: string;
  owner_path: string;
  grantee_path: string;
  column_labels: ColumnLabel[];
}

function selectViews(db: Db) {
  return db
    .selectFrom('exchange_grants as g')
    .innerJoin('catalog_datasets as ds', 'ds.id', 'g.dataset_id')
    .innerJoin('departments as o', 'o.id', 'g.owner_department_id')
    .innerJoin('departments as q', 'q.id', 'g.grantee_department_id')
    .select([
      'g.id',
      'g.request_id',
      'g.dataset_id',
      'g.distribution_id',
      'g.owner_department_id',
      'g.grantee_department_id',
      'g.system_name',
      'g.purpose',
      'g.legal_basis',
      'g.fields',
      'g.clear_fields',
      'g.row_filter',
      'g.rate_limit_per_minute',
      'g.delivery',
      'g.confidential',
      'g.state',
      'g.state_reason',
      'g.expires_at',
      'g.credential_prefix',
      'g.credential_issued_at',
      'g.created_at',
      'g.updated_at',
      'ds.name as dataset_name',
      'ds.title_zh',
      'ds.title_en',
      'o.path as owner_path',
      'q.path as grantee_path',
      columnLabelsOf('g.distribution_id', 'g.fields').as('column_labels'),
    ]);
}

/** The stored grant row (credential hash included), or undefined. */
export const findGrant = (db: Db, id: string): Promise<ExchangeGrantRow | undefined> =>
  db.selectFrom('exchange_grants').selectAll().where('id', '=', id).executeTakeFirst();

export async function findGrantView(db: Db, id: string, lock = false): Promise<GrantView | undefined> {
  if (lock) await db.selectFrom('exchange_grants').select('id').where('id', '=', id).forUpdate().execute();
  return selectViews(db).where('g.id', '=', id).executeTakeFirst() as Promise<GrantView | undefined>;
}

export async function insertGrant(db: Db, row: Insertable<ExchangeGrantsTable>): Promise<void> {
  await db.insertInto('exchange_grants').values(row).execute();
}

export async function updateGrant(db: Db, id: string, set: Updateable<ExchangeGrantsTable>) {
  await db
    .updateTable('exchange_grants')
    .set({ ...set, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export interface GrantListFilter extends SideScope {
  /** Reported state: `expired` is an active grant past its expiry, `active` one before it. */
  state?: 'active' | 'suspended' | 'revoked' | 'expired' | undefined;
  datasetId?: string | undefined;
  limit: number;
  offset: number;
}

export async function listGrantViews(
  db: Db,
  f: GrantListFilter,
): Promise<{ rows: GrantView[]; total: number }> {
  let q = whereSide(selectViews(db), f);
  if (f.state === 'expired')
    q = q.where('g.state', '=', 'active').where('g.expires_at', '<=', sql<Date>`now()`);
  else if (f.state === 'active')
    q = q.where('g.state', '=', 'active').where('g.expires_at', '>', sql<Date>`now()`);
  else if (f.state) q = q.where('g.state', '=', f.state);
  if (f.datasetId) q = q.where('g.dataset_id', '=', f.datasetId);
  const { rows, total } = await readPage(q, (q) => q.orderBy('g.created_at', 'desc').orderBy('g.id'), f);
  return { rows: rows as GrantView[], total };
}

/** Ids of a resource's grants that are active (expired or not): what a withdrawal must stop. */
export const activeGrantIdsOfDataset = async (db: Db, datasetId: string): Promise<string[]> =>
  (
    await db
      .selectFrom('exchange_grants')
      .select('id')
      .where('dataset_id', '=', datasetId)
      .where('state', '=', 'active')
      .execute()
  ).map((r) => r.id);
