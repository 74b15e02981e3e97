import { type Kysely, sql } from 'kysely';

// Releasing an ID number from an unverified account takes effect only after a notice period. The card
// shown at the counter may be stolen, and then the account it would take the number from is the
// real holder's: during the period the holder is warned at every sign-in and can stop the release by
// verifying at a counter (card and counter code, which a thief cannot show). When the release takes
// effect, the time is kept so that the account's next sign-in attempt can say what happened and what
// to do, instead of a bare "disabled". Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table people
    add column identifier_release_requested_at timestamptz,
    add column identifier_release_due_at timestamptz,
    add column identifier_release_requested_by uuid references people(id) on delete set null,
    add column identifier_release_department_id uuid references departments(id) on delete set null,
    add column identifier_released_at timestamptz`.execute(db);
  await sql`create index people_identifier_release_due_idx on people (identifier_release_due_at)
    where identifier_release_due_at is not null`.execute(db);
}
