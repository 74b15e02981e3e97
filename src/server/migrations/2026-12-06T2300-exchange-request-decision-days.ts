import { type Kysely, sql } from 'kysely';

// The number of working days a conditional access request was given for its decision, kept with the
// request: a later working-day override recomputes its deadline from submission with the figure it
// was submitted under, not with whatever CIVITAS_EXCHANGE_DECISION_DAYS says by then. Requests from
// before this migration have none and are recomputed with the current setting, as they were.
// Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table exchange_requests add column decision_days integer
    check (decision_days between 1 and 60)`.execute(db);
}
