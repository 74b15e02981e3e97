import { type Kysely, sql } from 'kysely';

// Proof of account control at the counter. The clerk checks the ID card of the person in front of
// them, but a card says nothing about who holds the account registered with its number: a squatter
// who registered first with someone else's number would be verified along with it. So the account
// holder makes a short one-time code on their account page and shows it with the card. One code per
// account at a time, kept only as a keyed hash with its expiry and the count of wrong tries (a few
// wrong tries void it, so it cannot be guessed at the counter). Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table people
    add column counter_code_hash text,
    add column counter_code_expires_at timestamptz,
    add column counter_code_failures integer not null default 0`.execute(db);
}
