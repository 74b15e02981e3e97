import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { CatalogDataRequestsTable } from '../../platform/db-schema.ts';
import { pathWithinSql } from '../../platform/sql-helpers.ts';

export interface DataRequestView {
  id: string;
  tracking_code: string;
  dataset_name: string | null;
  department_id: string;
  department_path: string;
  department_name_zh: string;
  department_name_en: string;
  title: string;
  description: string;
  requester_name: string;
  status: 'open' | 'answered' | 'fulfilled' | 'declined';
  answer: string | null;
  answered_at: Date | null;
  created_at: Date;
}

function selectViews(db: Db) {
  return db
    .selectFrom('catalog_data_requests as r')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('catalog_datasets as ds', 'ds.id', 'r.dataset_id')
    .select([
      'r.id',
      'r.tracking_code',
      'ds.name as dataset_name',
      'r.department_id',
      'd.path as department_path',
      'd.name_zh as department_name_zh',
      'd.name_en as department_name_en',
      'r.title',
      'r.description',
      'r.requester_name',
      'r.status',
      'r.answer',
      'r.answered_at',
      'r.created_at',
    ]);
}

export async function findDataRequest(
  db: Db,
  by: { id: string } | { trackingCode: string },
): Promise<DataRequestView | undefined> {
  const q = selectViews(db);
  return (
    'id' in by ? q.where('r.id', '=', by.id) : q.where('r.tracking_code', '=', by.trackingCode)
  ).executeTakeFirst() as Promise<DataRequestView | undefined>;
}

export async function insertDataRequest(db: Db, row: Insertable<CatalogDataRequestsTable>): Promise<void> {
  await db.insertInto('catalog_data_requests').values(row).execute();
}

export async function listDataRequestViews(
  db: Db,
  filter: { all: boolean; roots: readonly string[]; status?: string | undefined },
): Promise<DataRequestView[]> {
  let q = selectViews(db);
  if (!filter.all) {
    if (filter.roots.length === 0) return [];
    q = q.where(pathWithinSql('d.path', filter.roots));
  }
  if (filter.status) q = q.where('r.status', '=', filter.status as DataRequestView['status']);
  return (await q
    .orderBy(sql`case when r.status = 'open' then 0 else 1 end`)
    .orderBy('r.created_at', 'desc')
    .limit(500)
    .execute()) as DataRequestView[];
}

export async function setAnswer(
  db: Db,
  id: string,
  a: { status: 'answered' | 'fulfilled' | 'declined'; answer: string; answered_by: string | null },
): Promise<void> {
  await db
    .updateTable('catalog_data_requests')
    .set({ ...a, answered_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}
