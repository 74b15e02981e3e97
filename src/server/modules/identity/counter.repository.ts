import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { pathWithin } from '../../platform/sql-helpers.ts';

// Queries of counter verification. Accounts are found only by the keyed blind index of their full
// identifier: there is no partial or fuzzy path from a counter to the people table.

const COUNTER_COLUMNS = [
  'people.id',
  'people.kind',
  'people.display_name',
  'people.resident_id_masked',
  'people.uscc_masked',
  'people.company_name',
  'people.status',
  'people.created_at',
  'people.identity_verified_at',
  'people.identifier_release_due_at',
] as const;

export type CounterRow = Awaited<ReturnType<typeof findAccountsByIdentifier>>[number];

/** Resident and business accounts holding the identifier whose blind index is given, oldest first. */
export const findAccountsByIdentifier = (db: Db, column: 'resident_id_bidx' | 'uscc_bidx', bidx: string) =>
  db
    .selectFrom('people')
    .select(COUNTER_COLUMNS)
    .where(column, '=', bidx)
    .where('people.kind', 'in', ['citizen', 'business'])
    .orderBy('people.created_at')
    .orderBy('people.id')
    .limit(50)
    .execute();

/**
 * The account with this id, only if it holds the identifier (the clerk's document must match),
 * locked for the rest of the transaction, with the state of its counter code: verifying
 * and releasing decide on it, and concurrent wrong codes must each count.
 */
export const lockAccountByIdAndIdentifier = (
  db: Db,
  id: string,
  column: 'resident_id_bidx' | 'uscc_bidx',
  bidx: string,
) =>
  db
    .selectFrom('people')
    .select(COUNTER_COLUMNS)
    .select(['people.counter_code_hash', 'people.counter_code_expires_at', 'people.counter_code_failures'])
    .where('people.id', '=', id)
    .where(column, '=', bidx)
    .where('people.kind', 'in', ['citizen', 'business'])
    .forUpdate()
    .executeTakeFirst();

/** Puts a new counter code in force, replacing any earlier one and its count of wrong tries. */
export async function setCounterCode(db: Db, id: string, hash: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('people')
    .set({ counter_code_hash: hash, counter_code_expires_at: expiresAt, counter_code_failures: 0 })
    .where('id', '=', id)
    .execute();
}

/** Ends the counter code in force (used, voided by wrong tries, or the account released). */
export async function clearCounterCode(db: Db, id: string): Promise<void> {
  await db
    .updateTable('people')
    .set({ counter_code_hash: null, counter_code_expires_at: null, counter_code_failures: 0 })
    .where('id', '=', id)
    .execute();
}

/** Counts one wrong counter code and returns the count. */
export async function countCounterCodeFailure(db: Db, id: string): Promise<number> {
  const row = await db
    .updateTable('people')
    .set({ counter_code_failures: sql`counter_code_failures + 1` })
    .where('id', '=', id)
    .returning('counter_code_failures')
    .executeTakeFirstOrThrow();
  return row.counter_code_failures;
}

/**
 * Starts the notice period of a release asked for at a counter; false when the account is verified
 * or a release is already pending (the row is locked by the caller, so this only guards).
 */
export async function scheduleReleaseRow(
  db: Db,
  id: string,
  by: string | null,
  departmentId: string | null,
  dueAt: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({
      identifier_release_requested_at: sql`now()`,
      identifier_release_due_at: dueAt,
      identifier_release_requested_by: by,
      identifier_release_department_id: departmentId,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('identity_verified_at', 'is', null)
    .where('identifier_release_due_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Unverified accounts whose release notice period is over, locked; rows another node is releasing
 * are skipped, so every node may run the release tick.
 */
export const lockDueReleases = (db: Db, limit: number) =>
  db
    .selectFrom('people')
    .select([
      'id',
      'kind',
      'identifier_release_requested_at',
      'identifier_release_requested_by',
      'identifier_release_department_id',
    ])
    .where('identifier_release_due_at', '<=', sql<Date>`now()`)
    .where('identity_verified_at', 'is', null)
    .orderBy('identifier_release_due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();

/**
 * Frees an unverified account's identifier: every form of it (ciphertext, blind index, mask) goes,
 * the account is disabled, its counter code ended, and the release recorded for its next sign-in.
 * False when the account is verified meanwhile.
 */
export async function releaseIdentifierRow(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({
      resident_id_enc: null,
      resident_id_bidx: null,
      resident_id_masked: null,
      uscc_enc: null,
      uscc_bidx: null,
      uscc_masked: null,
      status: 'disabled',
      counter_code_hash: null,
      counter_code_expires_at: null,
      counter_code_failures: 0,
      identifier_release_due_at: null,
      identifier_released_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('identity_verified_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** One account's counter view by id. */
export const findCounterAccount = (db: Db, id: string) =>
  db.selectFrom('people').select(COUNTER_COLUMNS).where('people.id', '=', id).executeTakeFirst();

/** Who verified an account and for which department (the path decides who may withdraw it). */
export const findVerificationOf = (db: Db, id: string) =>
  db
    .selectFrom('people')
    .leftJoin('departments as d', 'd.id', 'people.identity_verified_department_id')
    .select([
      'people.kind',
      'people.identity_verified_at',
      'people.identity_verified_department_id',
      'd.path as department_path',
    ])
    .where('people.id', '=', id)
    .executeTakeFirst();

/** Verified accounts, newest verification first; limited to departments within `roots` unless undefined. */
export async function listVerificationRows(
  db: Db,
  roots: readonly string[] | undefined,
  limit: number,
  offset: number,
) {
  let q = db
    .selectFrom('people')
    .leftJoin('departments as d', 'd.id', 'people.identity_verified_department_id')
    .leftJoin('people as v', 'v.id', 'people.identity_verified_by')
    .where('people.identity_verified_at', 'is not', null);
  if (roots) q = q.where((eb) => pathWithin(eb, 'd.path', roots));
  const [rows, count] = await Promise.all([
    q
      .select(COUNTER_COLUMNS)
      .select([
        'v.username as verified_by_username',
        'people.identity_verified_department_id',
        'people.identity_verification_note',
      ])
      .orderBy('people.identity_verified_at', 'desc')
      .orderBy('people.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The account's row with its pending release, if any, locked: stopping a release decides on it. */
export const lockReleaseOf = (db: Db, id: string) =>
  db
    .selectFrom('people')
    .select(COUNTER_COLUMNS)
    .select([
      'people.identifier_release_requested_at',
      'people.identifier_release_requested_by',
      'people.identifier_release_department_id',
    ])
    .where('people.id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/** Ends a pending release without effect; false when none was pending. */
export async function clearReleaseRow(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({
      identifier_release_requested_at: null,
      identifier_release_due_at: null,
      identifier_release_requested_by: null,
      identifier_release_department_id: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('identifier_release_due_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Unverified accounts with a release in its notice period, soonest due first; limited to releases
 * asked by counters of departments within `roots` unless undefined, and to `departmentId`'s subtree.
 */
export async function listPendingReleaseRows(
  db: Db,
  f: {
    roots: readonly string[] | undefined;
    departmentId: string | undefined;
    limit: number;
    offset: number;
  },
) {
  let q = db
    .selectFrom('people')
    .leftJoin('departments as d', 'd.id', 'people.identifier_release_department_id')
    .leftJoin('people as r', 'r.id', 'people.identifier_release_requested_by')
    .where('people.identifier_release_due_at', 'is not', null)
    .where('people.identity_verified_at', 'is', null);
  const { roots, departmentId } = f;
  if (roots) q = q.where((eb) => pathWithin(eb, 'd.path', roots));
  if (departmentId) q = q.where((eb) => pathWithin(eb, 'd.path', [departmentId]));
  const [rows, count] = await Promise.all([
    q
      .select(COUNTER_COLUMNS)
      .select([
        'people.identifier_release_requested_at',
        'people.identifier_release_department_id',
        'r.username as requested_by_username',
        'd.name_zh as department_name_zh',
        'd.name_en as department_name_en',
      ])
      .orderBy('people.identifier_release_due_at')
      .orderBy('people.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
