import { type Expression, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type {
  CatalogDatasetRow,
  CatalogDistributionRow,
  NewCatalogDataset,
} from '../../platform/db-schema.ts';
import { compiledOnce, positional } from '../../platform/sql-helpers.ts';

/** A dataset row with what presenting and authorising it needs from its department and theme. */
export type DatasetView = Omit<CatalogDatasetRow, 'search_vector'> & {
  department_path: string;
  department_code: string;
  department_name_zh: string;
  department_name_en: string;
  theme_name_zh: string | null;
  theme_name_en: string | null;
  overdue: boolean;
  next_update_due: Date | null;
};

// Freshness, computed where it is read so that it is never stale.
export const nextDueSql = sql<Date | null>`(ds.last_version_at + catalog_cycle_interval(ds.update_cycle))`;
export const overdueSql = sql<boolean>`(ds.status = 'published' and coalesce(${nextDueSql} < now(), false))`;

/** Selects dataset views; callers add conditions. */
export function selectDatasetViews(db: Db) {
  return db
    .selectFrom('catalog_datasets as ds')
    .innerJoin('departments as d', 'd.id', 'ds.department_id')
    .leftJoin('catalog_themes as t', 't.id', 'ds.theme_id')
    .select([
      'ds.id',
      'ds.name',
      'ds.resource_code',
      'ds.title_zh',
      'ds.title_en',
      'ds.description_zh',
      'ds.description_en',
      'ds.department_id',
      'ds.catalog_kind',
      'ds.theme_id',
      'ds.keywords',
      'ds.format_class',
      'ds.data_items',
      'ds.share_type',
      'ds.share_condition',
      'ds.share_legal_basis',
      'ds.open_type',
      'ds.open_condition',
      'ds.update_cycle',
      'ds.related',
      'ds.license_id',
      'ds.temporal_start',
      'ds.temporal_end',
      'ds.spatial_codes',
      'ds.contact',
      'ds.sensitivity',
      'ds.extras',
      'ds.status',
      'ds.review_note',
      'ds.version',
      'ds.published_at',
      'ds.created_by',
      'ds.created_at',
      'ds.modified_at',
      'ds.last_version_at',
      'ds.download_count',
      'ds.formats',
      'ds.harvest_source_id',
      'ds.harvest_remote_id',
      'ds.search_text',
      'ds.quality_score',
      'd.path as department_path',
      'd.code as department_code',
      'd.name_zh as department_name_zh',
      'd.name_en as department_name_en',
      't.name_zh as theme_name_zh',
      't.name_en as theme_name_en',
      overdueSql.as('overdue'),
      nextDueSql.as('next_update_due'),
    ]);
}

export async function findDatasetView(
  db: Db,
  by: { id: string } | { name: string },
): Promise<DatasetView | undefined> {
  const q = selectDatasetViews(db);
  const row = await ('id' in by
    ? q.where('ds.id', '=', by.id)
    : q.where('ds.name', '=', by.name)
  ).executeTakeFirst();
  return row as DatasetView | undefined;
}

/** The search columns, computed by the caller from the dataset's text (see search-document.ts). */
export interface SearchColumns {
  vector: Expression<unknown>;
  text: string;
}

export async function insertDataset(
  db: Db,
  row: Omit<NewCatalogDataset, 'search_vector' | 'search_text'>,
  search: SearchColumns,
): Promise<void> {
  await db
    .insertInto('catalog_datasets')
    .values({ ...row, search_vector: search.vector, search_text: search.text })
    .execute();
}

export type DatasetChanges = Partial<Omit<NewCatalogDataset, 'id' | 'search_vector' | 'search_text'>>;

export async function updateDatasetRow(
  db: Db,
  id: string,
  changes: DatasetChanges,
  search?: SearchColumns,
): Promise<void> {
  await db
    .updateTable('catalog_datasets')
    .set({
      ...changes,
      ...(search ? { search_vector: search.vector, search_text: search.text } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Locks the dataset row for the rest of the transaction, so concurrent edits apply one after another. */
export async function lockDataset(db: Db, id: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('catalog_datasets')
    .select('version')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row?.version;
}

export async function deleteDatasetRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('catalog_datasets').where('id', '=', id).execute();
}

/** The next number under a resource-code prefix (one row update: concurrent creators never collide). */
export async function nextCodeNumber(db: Db, prefix: string): Promise<number> {
  const row = await db
    .insertInto('catalog_code_sequences')
    .values({ prefix, last_value: 1 })
    .onConflict((oc) =>
      oc.column('prefix').doUpdateSet({ last_value: sql`catalog_code_sequences.last_value + 1` }),
    )
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

// Whether the DataStore holds its rows (CKAN's datastore_active), read from the DataStore's table.
const selectDistributionsOf = compiledOnce((db) =>
  db
    .selectFrom('catalog_distributions')
    .selectAll()
    .select(
      sql<boolean>`exists (select 1 from datastore_tables t where t.distribution_id = catalog_distributions.id
        and t.current_version is not null)`.as('datastore_active'),
    )
    .where(sql<boolean>`dataset_id = any(${positional(1)}::uuid[])`)
    .orderBy('dataset_id')
    .orderBy('position'),
);

/** The distributions of the datasets, in their order (a page of search results has several). */
export async function distributionsOf(
  db: Db,
  datasetIds: readonly string[],
): Promise<(CatalogDistributionRow & { datastore_active: boolean })[]> {
  if (datasetIds.length === 0) return [];
  return selectDistributionsOf(db, [datasetIds]);
}

// Everything a resource's rendered view (its row, department, theme, distributions with their datastore
// state, the overdue flag) is read from, reduced to a stamp that any change alters: the xmin of each
// row, which every UPDATE renews, the distributions' set and the ones with an active datastore.
const selectRenderStamps = compiledOnce((db) =>
  db
    .selectFrom('catalog_datasets as ds')
    .innerJoin('departments as d', 'd.id', 'ds.department_id')
    .leftJoin('catalog_themes as t', 't.id', 'ds.theme_id')
    .select([
      sql<string>`ds.id::text`.as('id'),
      sql<string>`concat_ws(' ', ds.xmin, d.xmin, coalesce(t.xmin::text, '-'), ${overdueSql},
        coalesce((select string_agg(x.xmin::text, ',' order by x.id) from catalog_distributions x
                  where x.dataset_id = ds.id), '-'),
        coalesce((select string_agg(dt.distribution_id::text, ',' order by dt.distribution_id)
                  from datastore_tables dt where dt.dataset_id = ds.id and dt.current_version is not null), '-'))`.as(
        'stamp',
      ),
    ])
    .where(sql<boolean>`ds.id = any(${positional(1)}::uuid[])`),
);

/** The render stamps of the resources that exist among `ids` (see selectRenderStamps). */
export async function renderStamps(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await selectRenderStamps(db, [ids]);
  return new Map(rows.map((r) => [r.id, r.stamp]));
}

/** Names among `names` that exist (to check related-resource references). */
export async function existingNames(db: Db, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.selectFrom('catalog_datasets').select('name').where('name', 'in', names).execute();
  return new Set(rows.map((r) => r.name));
}

/** Department context for a new resource: its path (authorisation) and region (resource code). */
export const findDepartmentScope = (db: Db, id: string) =>
  db
    .selectFrom('departments')
    .select(['id', 'path', 'code', 'region_code', 'active', 'name_zh', 'name_en'])
    .where('id', '=', id)
    .executeTakeFirst();

export async function themeExists(db: Db, id: string): Promise<boolean> {
  return !!(await db.selectFrom('catalog_themes').select('id').where('id', '=', id).executeTakeFirst());
}
