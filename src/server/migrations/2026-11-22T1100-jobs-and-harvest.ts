import { type Kysely, sql } from 'kysely';

// The durable job queue (platform/jobs) and what harvest runs need beyond the catalog migration:
// a run is recorded when it is queued, names its job, and can be cancelled. Forward-only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    )
    .addColumn('run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3).check(sql`max_attempts >= 1`))
    // At most one queued or running job per key (e.g. one harvest per source at a time).
    .addColumn('dedupe_key', 'text')
    // The node holding the job and until when: a node that dies stops renewing, and once the lease
    // has passed another node takes the job over.
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('progress', 'jsonb')
    .addColumn('result', 'jsonb')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('jobs_status_run_at_idx').on('jobs').columns(['status', 'run_at']).execute();
  await sql`create unique index jobs_dedupe_idx on jobs (dedupe_key)
            where dedupe_key is not null and status in ('queued', 'running')`.execute(db);

  // Runs exist from the moment they are asked for ('queued'), so "run now" can answer with the run.
  await sql`alter table catalog_harvest_runs drop constraint catalog_harvest_runs_status_check`.execute(db);
  await sql`alter table catalog_harvest_runs add constraint catalog_harvest_runs_status_check
            check (status in ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'))`.execute(
    db,
  );
  await db.schema
    .alterTable('catalog_harvest_runs')
    .addColumn('job_id', 'uuid')
    .addColumn('trigger', 'text', (c) =>
      c.notNull().defaultTo('manual').check(sql`trigger in ('manual', 'schedule', 'cli')`),
    )
    .addColumn('requested_by', 'text', (c) => c.notNull().defaultTo('system'))
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('timings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex('catalog_harvest_runs_job_idx')
    .on('catalog_harvest_runs')
    .column('job_id')
    .execute();

  await db.schema
    .alterTable('catalog_harvest_sources')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text')
    .execute();
  // The scheduler's question: which active, scheduled sources are due?
  await sql`create index catalog_harvest_sources_due_idx on catalog_harvest_sources (next_run_at)
            where active and schedule <> 'manual'`.execute(db);
}
