import { type Kysely, sql } from 'kysely';

// File extracts remember what the access log needs at every download: the columns written and the
// data subjects in the file. The subjects (keyed blind indexes, one a line) are kept as a file of
// their own in the file store, next to the extract, so the row stays small whatever the extract's
// size. Forward-only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('exchange_extracts')
    .addColumn('fields', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('subjects_key', 'text')
    .addColumn('subject_count', 'integer')
    .execute();
}
