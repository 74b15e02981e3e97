import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';

/**
 * The catalog's publisher: the top of the department tree (the government itself), the oldest first
 * when there are several roots. Undefined before any department exists.
 */
export const findCatalogPublisher = (db: Db) =>
  db
    .selectFrom('departments')
    .select(['code', 'name_zh', 'name_en'])
    .where('parent_id', 'is', null)
    .where('active', '=', true)
    .orderBy('created_at')
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();

/** When the public catalog last changed: the newest modification of a published, open resource. */
export async function publicCatalogModified(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('catalog_datasets')
    .select(sql<Date | string | null>`max(modified_at)`.as('modified'))
    .where('status', '=', 'published')
    .where('open_type', '=', 'open')
    .executeTakeFirst();
  return row?.modified ? new Date(row.modified) : null;
}
