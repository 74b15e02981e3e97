import { type Kysely, sql } from 'kysely';

// DataStore quality. Forward-only.
//
// `datastore_tables.rules` holds the steward's rules per column (pattern, range, enumeration,
// identifier checksums …); `datastore_tables.quality` (already there) receives the profile, the rule
// results and the score computed after every load and rule edit. The resource's score over all its
// tables is kept on the catalog row, so that search results can show it without a join.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('datastore_tables')
    .addColumn('rules', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema
    .alterTable('catalog_datasets')
    .addColumn('quality_score', 'smallint', (c) => c.check(sql`quality_score between 0 and 100`))
    .execute();
}
