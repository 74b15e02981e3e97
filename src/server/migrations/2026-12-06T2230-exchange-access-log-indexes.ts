import { type Kysely, sql } from 'kysely';

// Fewer indexes on the access log, which every gateway call writes a row into: each index is
// written at every insert (8 µs of PostgreSQL CPU per row for these two, bench/exchange-gateway.ts).
// No query reads the log by distribution, and none by requesting department alone — staff lists and
// usage figures ask for owner or requester, which the requester index cannot answer (those ran as
// sequential scans with it). Usage figures do ask for a time window, which a BRIN index on `at`
// (rows arrive in time order) narrows at almost no cost per insert; autosummarize keeps its ranges
// current without waiting for a vacuum. Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index exchange_access_log_distribution_idx`.execute(db);
  await sql`drop index exchange_access_log_requester_idx`.execute(db);
  await sql`create index exchange_access_log_at_idx on exchange_access_log using brin (at)
    with (autosummarize = on)`.execute(db);
}
