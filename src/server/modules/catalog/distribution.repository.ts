import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { CatalogDistributionRow } from '../../platform/db-schema.ts';

export const findDistribution = (db: Db, id: string): Promise<CatalogDistributionRow | undefined> =>
  db.selectFrom('catalog_distributions').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertDistribution(
  db: Db,
  row: Omit<CatalogDistributionRow, 'position' | 'download_count' | 'created_at' | 'updated_at'>,
): Promise<void> {
  await db
    .insertInto('catalog_distributions')
    .values({
      ...row,
      position: sql`(select coalesce(max(position), -1) + 1 from catalog_distributions where dataset_id = ${row.dataset_id})`,
    })
    .execute();
}

export async function updateDistributionRow(
  db: Db,
  id: string,
  changes: Partial<
    Pick<
      CatalogDistributionRow,
      | 'name'
      | 'description'
      | 'url'
      | 'format'
      | 'media_type'
      | 'storage_key'
      | 'size_bytes'
      | 'checksum'
      | 'kind'
    >
  >,
): Promise<void> {
  await db
    .updateTable('catalog_distributions')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteDistributionRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('catalog_distributions').where('id', '=', id).execute();
}

/** Recomputes the resource's format list from its distributions (the format facet reads it). */
export async function refreshFormats(db: Db, datasetId: string): Promise<void> {
  await sql`
    update catalog_datasets set formats = coalesce(
      (select array_agg(distinct upper(format) order by upper(format))
       from catalog_distributions where dataset_id = ${datasetId} and format <> ''), '{}')
    where id = ${datasetId}`.execute(db);
}

/** Counts one download of a distribution and of its resource. */
export async function countDownload(db: Db, distributionId: string, datasetId: string): Promise<void> {
  await db
    .updateTable('catalog_distributions')
    .set({ download_count: sql`download_count + 1` })
    .where('id', '=', distributionId)
    .execute();
  await db
    .updateTable('catalog_datasets')
    .set({ download_count: sql`download_count + 1` })
    .where('id', '=', datasetId)
    .execute();
}
