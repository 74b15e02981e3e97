import { type Kysely, sql } from 'kysely';

// The data-sharing exchange (module `exchange`). Forward-only.
//
// A department asks for another's DataStore table (exchange_requests); an approval yields a grant
// (exchange_grants) that fixes fields, row filter, rate and expiry, and holds the hash of the
// credential its system calls the gateway with. Every request and grant change is an event
// (exchange_events), every gateway call or extract download a row of the access log
// (exchange_access_log), hash-chained like the audit log by a sequencer (exchange_log_head).
// Subscriptions deliver new versions by webhook; extracts deliver files. Working-day overrides feed
// the statutory deadline arithmetic of every module.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('working_day_overrides')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('working', 'boolean', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('exchange_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('catalog_datasets.id').onDelete('cascade'))
    .addColumn('distribution_id', 'uuid', (c) =>
      c.notNull().references('catalog_distributions.id').onDelete('cascade'),
    )
    .addColumn('owner_department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('requester_department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('requested_by', 'uuid', (c) => c.references('people.id'))
    .addColumn('requested_by_label', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('fields', sql`text[]`, (c) => c.notNull())
    .addColumn('row_filter', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('duration_days', 'integer', (c) => c.notNull().check(sql`duration_days between 1 and 1095`))
    .addColumn('expected_calls_per_day', 'integer')
    .addColumn('system_name', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('api', 'file')`))
    .addColumn('confidential', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('pending', 'approved', 'refused', 'withdrawn')`),
    )
    .addColumn('auto_approved', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('due_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('decided_by', 'uuid', (c) => c.references('people.id'))
    .addColumn('decided_by_label', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('grant_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index exchange_requests_owner_idx on exchange_requests (owner_department_id, state, created_at desc)`.execute(
    db,
  );
  await sql`create index exchange_requests_requester_idx on exchange_requests (requester_department_id, state, created_at desc)`.execute(
    db,
  );
  await sql`create index exchange_requests_due_idx on exchange_requests (due_at) where state = 'pending'`.execute(
    db,
  );

  await db.schema
    .createTable('exchange_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique().references('exchange_requests.id'))
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('catalog_datasets.id').onDelete('cascade'))
    .addColumn('distribution_id', 'uuid', (c) =>
      c.notNull().references('catalog_distributions.id').onDelete('cascade'),
    )
    .addColumn('owner_department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('grantee_department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('system_name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('fields', sql`text[]`, (c) => c.notNull())
    // Personal fields the owner allowed in clear for this grant (never secret ones).
    .addColumn('clear_fields', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('row_filter', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull().check(sql`rate_limit_per_minute > 0`))
    .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('api', 'file')`))
    .addColumn('confidential', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'suspended', 'revoked')`))
    .addColumn('state_reason', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // sha256 of the credential; the credential itself is shown once and never stored.
    .addColumn('credential_hash', 'text', (c) => c.unique())
    .addColumn('credential_prefix', 'text')
    .addColumn('credential_issued_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index exchange_grants_owner_idx on exchange_grants (owner_department_id, state)`.execute(
    db,
  );
  await sql`create index exchange_grants_grantee_idx on exchange_grants (grantee_department_id, state)`.execute(
    db,
  );
  await sql`create index exchange_grants_distribution_idx on exchange_grants (distribution_id)`.execute(db);

  // The history of requests and grants, in order, for the detail pages (the audit log has it too).
  await db.schema
    .createTable('exchange_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.references('exchange_requests.id').onDelete('cascade'))
    .addColumn('grant_id', 'uuid', (c) => c.references('exchange_grants.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await sql`create index exchange_events_request_idx on exchange_events (request_id, id)`.execute(db);
  await sql`create index exchange_events_grant_idx on exchange_events (grant_id, id)`.execute(db);

  // Reminders and escalations of requests nearing or past their deadline, for the inbox.
  await db.schema
    .createTable('exchange_notices')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) =>
      c.notNull().references('exchange_requests.id').onDelete('cascade'),
    )
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reminder', 'escalation')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index exchange_notices_once_idx on exchange_notices (request_id, kind)`.execute(db);

  // The access log. Rows are inserted unchained (seq null) and chained in insertion order by the
  // sequencer, so concurrent gateway calls never wait on one another for the chain head.
  await db.schema
    .createTable('exchange_access_log')
    .addColumn('entry_id', 'bigserial', (c) => c.primaryKey())
    .addColumn('seq', 'bigint')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'uuid')
    .addColumn('requester_department_id', 'uuid')
    .addColumn('owner_department_id', 'uuid')
    .addColumn('dataset_id', 'uuid')
    .addColumn('distribution_id', 'uuid')
    .addColumn('system_name', 'text')
    .addColumn('user_ref', 'text')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('fields', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Keyed blind indexes of the data subjects touched ("resident_id:<hmac>", "uscc:<hmac>"), never the identifiers.
    .addColumn('subjects', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('purpose', 'text')
    .addColumn('case_ref', 'text')
    // Hidden from the data subjects until this date (a legal reason, allowed by the grant).
    .addColumn('withheld_until', 'date')
    .addColumn('latency_ms', 'real', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text')
    .addColumn('hash', 'text')
    .execute();
  await sql`create unique index exchange_access_log_seq_idx on exchange_access_log (seq) where seq is not null`.execute(
    db,
  );
  await sql`create index exchange_access_log_unchained_idx on exchange_access_log (entry_id) where seq is null`.execute(
    db,
  );
  await sql`create index exchange_access_log_subjects_idx on exchange_access_log using gin (subjects)`.execute(
    db,
  );
  await sql`create index exchange_access_log_distribution_idx on exchange_access_log (distribution_id, at)`.execute(
    db,
  );
  await sql`create index exchange_access_log_requester_idx on exchange_access_log (requester_department_id, at)`.execute(
    db,
  );
  await sql`create index exchange_access_log_grant_idx on exchange_access_log (grant_id, at)`.execute(db);
  await db.schema
    .createTable('exchange_log_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into exchange_log_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

  await db.schema
    .createTable('exchange_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('grant_id', 'uuid', (c) => c.notNull().references('exchange_grants.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    // The HMAC key, encrypted at rest with the field cipher; shown once to the subscriber.
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'cancelled')`))
    .addColumn('created_by', 'uuid', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index exchange_subscriptions_grant_idx on exchange_subscriptions (grant_id)`.execute(db);
  await db.schema
    .createTable('exchange_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('subscription_id', 'uuid', (c) =>
      c.notNull().references('exchange_subscriptions.id').onDelete('cascade'),
    )
    .addColumn('event', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await sql`create index exchange_deliveries_subscription_idx on exchange_deliveries (subscription_id, created_at desc)`.execute(
    db,
  );

  await db.schema
    .createTable('exchange_extracts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('grant_id', 'uuid', (c) => c.notNull().references('exchange_grants.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('queued', 'running', 'ready', 'failed', 'expired')`),
    )
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('csv', 'json')`))
    .addColumn('storage_key', 'text')
    .addColumn('row_count', 'integer')
    .addColumn('size_bytes', 'bigint')
    .addColumn('checksum', 'text')
    .addColumn('error', 'text')
    .addColumn('job_id', 'uuid')
    .addColumn('requested_by', 'uuid', (c) => c.references('people.id'))
    .addColumn('requested_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`create index exchange_extracts_grant_idx on exchange_extracts (grant_id, created_at desc)`.execute(
    db,
  );
}
