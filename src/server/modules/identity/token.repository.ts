import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { ApiToken } from '../../platform/db-schema.ts';

export type TokenRow = ApiToken & { username: string };

const tokenQuery = (db: Db) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .selectAll('t')
    .select('p.username');

export async function insertToken(
  db: Db,
  row: {
    id: string;
    personId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    expiresAt: Date | null;
  },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: row.id,
      person_id: row.personId,
      name: row.name,
      token_hash: row.tokenHash,
      prefix: row.prefix,
      expires_at: row.expiresAt,
    })
    .execute();
}

export const findTokenRow = (db: Db, id: string): Promise<TokenRow | undefined> =>
  tokenQuery(db).where('t.id', '=', id).executeTakeFirst();

export const listTokensOf = (db: Db, personId: string): Promise<TokenRow[]> =>
  tokenQuery(db).where('t.person_id', '=', personId).orderBy('t.created_at', 'desc').execute();

export const listAllTokens = (db: Db): Promise<TokenRow[]> =>
  tokenQuery(db).orderBy('t.created_at', 'desc').limit(1000).execute();

/** Tokens a person holds that still work (not revoked, not expired). */
export async function countLiveTokens(db: Db, personId: string): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function revokeTokenRow(db: Db, id: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every token of a person that is not revoked yet; returns how many. */
export async function revokeTokensOf(db: Db, personId: string): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
