import { type Kysely, sql } from 'kysely';

// The DataStore: files of catalog distributions loaded into typed tables. Forward-only.
//
// Each load builds a new version table `datastore."<distribution id>@<n>"`; the distribution's live
// name `datastore."<distribution id>"` is a view on the current version, replaced in the same
// transaction that records the version, so readers see the old rows until the new ones are complete.
// Staging tables of loads in progress live in `datastore_staging`, named by the load id, and are
// dropped when the load ends (or found and dropped after a crash).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists datastore`.execute(db);
  await sql`create schema if not exists datastore_staging`.execute(db);
  // Views that apply the data dictionary's masking, for callers who may not see personal columns.
  await sql`create schema if not exists datastore_masked`.execute(db);

  await db.schema
    .createTable('datastore_tables')
    .addColumn('distribution_id', 'uuid', (c) =>
      c.primaryKey().references('catalog_distributions.id').onDelete('cascade'),
    )
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('catalog_datasets.id').onDelete('cascade'))
    .addColumn('current_version', 'integer')
    .addColumn('row_count', 'bigint', (c) => c.notNull().defaultTo(0))
    // The data dictionary: one object per column (id, label, type, sensitivity, mask …), in order.
    .addColumn('columns', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Columns identifying a row for upserts and version summaries.
    .addColumn('key_columns', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('quality', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('datastore_tables_dataset_idx')
    .on('datastore_tables')
    .column('dataset_id')
    .execute();

  await db.schema
    .createTable('datastore_loads')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('distribution_id', 'uuid', (c) =>
      c.notNull().references('catalog_distributions.id').onDelete('cascade'),
    )
    .addColumn('job_id', 'uuid')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    )
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('replace', 'append', 'upsert')`))
    .addColumn('key_columns', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // What was asked (sheet, encoding, delimiter, null tokens) and where the file is.
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('source', 'jsonb', (c) => c.notNull())
    .addColumn('progress', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('report', 'jsonb')
    .addColumn('error', 'jsonb')
    .addColumn('version', 'integer')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_by_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('datastore_loads_distribution_idx')
    .on('datastore_loads')
    .columns(['distribution_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('datastore_versions')
    .addColumn('distribution_id', 'uuid', (c) =>
      c.notNull().references('catalog_distributions.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('load_id', 'uuid')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('row_count', 'bigint', (c) => c.notNull())
    // sha256 of the loaded file.
    .addColumn('checksum', 'text')
    .addColumn('source_name', 'text')
    .addColumn('columns', 'jsonb', (c) => c.notNull())
    // Rows added / removed / changed against the previous version (by key when there is one).
    .addColumn('summary', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // False once the version's table has been dropped (only the last N are kept).
    .addColumn('kept', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('datastore_versions_pk', ['distribution_id', 'version'])
    .execute();
}
