import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import type { Db } from '../../platform/db.ts';

// The internal catalog: published resources shared with other departments (unconditionally or
// conditionally — never "not shared"), their owners and their loaded DataStore tables.

const SHARED = ['unconditional', 'conditional'] as const;
const escapeLike = (s: string) => s.replaceAll(/[\\%_]/g, (c) => `\\${c}`);

function selectResources(db: Db) {
  return db
    .selectFrom('catalog_datasets as ds')
    .innerJoin('departments as d', 'd.id', 'ds.department_id')
    .where('ds.status', '=', 'published')
    .where('ds.share_type', 'in', SHARED)
    .select([
      'ds.id',
      'ds.name',
      'ds.title_zh',
      'ds.title_en',
      'ds.department_id',
      'd.name_zh as department_name_zh',
      'd.name_en as department_name_en',
      'ds.share_type',
      'ds.share_condition',
      'ds.update_cycle',
      'ds.data_items',
    ]);
}

export type SharedResourceRow = Awaited<ReturnType<ReturnType<typeof selectResources>['execute']>>[number];

export interface SharedResourceFilter {
  q?: string | undefined;
  departmentId?: string | undefined;
  shareType?: 'unconditional' | 'conditional' | undefined;
  limit: number;
  offset: number;
}

export async function listSharedResources(
  db: Db,
  f: SharedResourceFilter,
): Promise<{ rows: SharedResourceRow[]; total: number }> {
  let q = selectResources(db);
  if (f.q?.trim()) {
    const pattern = `%${escapeLike(f.q.trim())}%`;
    q = q.where((eb) =>
      eb.or([
        eb('ds.title_zh', 'ilike', pattern),
        eb('ds.title_en', 'ilike', pattern),
        eb('ds.name', 'ilike', pattern),
      ]),
    );
  }
  if (f.departmentId) q = q.where('ds.department_id', '=', f.departmentId);
  if (f.shareType) q = q.where('ds.share_type', '=', f.shareType);
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q.orderBy('ds.title_zh').orderBy('ds.id').limit(f.limit).offset(f.offset).execute();
  return { rows, total: Number(total.n) };
}

export const findSharedResource = (db: Db, datasetId: string) =>
  selectResources(db).where('ds.id', '=', datasetId).executeTakeFirst();

/** The loaded DataStore tables of some resources (dictionary included, never values). */
export async function loadedTables(db: Db, datasetIds: readonly string[]) {
  if (datasetIds.length === 0) return [];
  return db
    .selectFrom('datastore_tables as t')
    .innerJoin('catalog_distributions as dist', 'dist.id', 't.distribution_id')
    .where('t.dataset_id', 'in', datasetIds)
    .where('t.current_version', 'is not', null)
    .select(['t.dataset_id', 't.distribution_id', 'dist.name', 't.row_count', 't.columns'])
    .orderBy('dist.position')
    .execute();
}

/** What a request for a distribution is checked against: its resource, owner and table. */
export interface TableFacts {
  datasetId: string;
  status: string;
  shareType: string;
  ownerDepartmentId: string;
  ownerPath: string;
  /** Null when the distribution has no loaded DataStore table. */
  columns: DictionaryColumn[] | null;
}

export async function findTableFacts(db: Db, distributionId: string): Promise<TableFacts | undefined> {
  const row = await db
    .selectFrom('catalog_distributions as dist')
    .innerJoin('catalog_datasets as ds', 'ds.id', 'dist.dataset_id')
    .innerJoin('departments as d', 'd.id', 'ds.department_id')
    .leftJoin('datastore_tables as t', (j) =>
      j.onRef('t.distribution_id', '=', 'dist.id').on('t.current_version', 'is not', null),
    )
    .where('dist.id', '=', distributionId)
    .select(['ds.id', 'ds.status', 'ds.share_type', 'ds.department_id', 'd.path', 't.columns'])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    datasetId: row.id,
    status: row.status,
    shareType: row.share_type,
    ownerDepartmentId: row.department_id,
    ownerPath: row.path,
    columns: row.columns ? (row.columns as DictionaryColumn[]) : null,
  };
}

/** A department's path and whether it is active. */
export const findDepartment = (db: Db, id: string) =>
  db.selectFrom('departments').select(['id', 'path', 'active']).where('id', '=', id).executeTakeFirst();

/** What the catalog's visibility policy needs about a resource. */
export const findDatasetScope = (db: Db, datasetId: string) =>
  db
    .selectFrom('catalog_datasets as ds')
    .innerJoin('departments as d', 'd.id', 'ds.department_id')
    .where('ds.id', '=', datasetId)
    .select([
      'ds.id',
      'd.path as departmentPath',
      'ds.status',
      'ds.share_type as shareType',
      'ds.open_type as openType',
    ])
    .executeTakeFirst();
