import { type Kysely, sql } from 'kysely';

// Real-name verification of citizen and business accounts. Registration checks only an identifier's
// checksum and that no other account holds it, so anyone could register with someone else's ID; what
// is shown about "the person behind this ID" (who read their records) waits until staff have checked
// the person's documents. Existing accounts stay unverified; staff accounts never need it.
// Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table people
    add column identity_verified_at timestamptz,
    add column identity_verified_by uuid references people(id) on delete set null,
    add column identity_verification_note text
      check (identity_verification_note is null or char_length(identity_verification_note) between 1 and 200)`.execute(
    db,
  );
}
