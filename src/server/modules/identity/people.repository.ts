import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { NewPerson, Person, PersonKind, PersonUpdate } from '../../platform/db-schema.ts';
import { pathWithin } from '../../platform/sql-helpers.ts';

/** Columns views need; secrets (password hash, TOTP secret, recovery codes, ciphertexts) stay out. */
export const PERSON_VIEW_COLUMNS = [
  'people.id',
  'people.username',
  'people.kind',
  'people.display_name',
  'people.email',
  'people.resident_id_masked',
  'people.uscc_masked',
  'people.company_name',
  'people.is_platform_admin',
  'people.status',
  'people.locked_until',
  'people.totp_enabled',
  'people.last_login_at',
  'people.created_at',
  'people.locale',
  'people.identity_verified_at',
  'people.identifier_release_due_at',
] as const;

export type PersonView = Pick<
  Person,
  | 'id'
  | 'username'
  | 'kind'
  | 'display_name'
  | 'email'
  | 'resident_id_masked'
  | 'uscc_masked'
  | 'company_name'
  | 'is_platform_admin'
  | 'status'
  | 'locked_until'
  | 'totp_enabled'
  | 'last_login_at'
  | 'created_at'
  | 'locale'
  | 'identity_verified_at'
  | 'identifier_release_due_at'
>;

/** The full row, secrets included: for sign-in and credential changes only. */
export const findPersonRowById = (db: Db, id: string) =>
  db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();

export const findPersonRowByUsername = (db: Db, username: string) =>
  db.selectFrom('people').selectAll().where('username', '=', username).executeTakeFirst();

/** Locks the person's row for the rest of the transaction (sign-in counters, one-time codes). */
export const lockPersonRow = (db: Db, id: string) =>
  db.selectFrom('people').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const findPersonView = (db: Db, id: string): Promise<PersonView | undefined> =>
  db.selectFrom('people').select(PERSON_VIEW_COLUMNS).where('id', '=', id).executeTakeFirst();

export const findPersonViewByUsername = (db: Db, username: string): Promise<PersonView | undefined> =>
  db.selectFrom('people').select(PERSON_VIEW_COLUMNS).where('username', '=', username).executeTakeFirst();

export async function usernameExists(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('people').select('id').where('username', '=', username).executeTakeFirst();
  return !!row;
}

export async function residentIdIndexExists(db: Db, blindIndex: string): Promise<boolean> {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('resident_id_bidx', '=', blindIndex)
    .executeTakeFirst();
  return !!row;
}

export async function insertPerson(db: Db, row: NewPerson): Promise<void> {
  await db.insertInto('people').values(row).execute();
}

export async function updatePersonRow(db: Db, id: string, changes: PersonUpdate): Promise<void> {
  await db
    .updateTable('people')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Adds one failed sign-in and returns the new count. */
export async function incrementFailedLogins(db: Db, id: string): Promise<number> {
  const row = await db
    .updateTable('people')
    .set({ failed_logins: sql`failed_logins + 1` })
    .where('id', '=', id)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  return row.failed_logins;
}

/**
 * Records the TOTP time step just used, only if it is later than the last one: zero rows means the
 * code was already spent (a replay, or a concurrent request with the same code).
 */
export async function claimTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface PeopleFilter {
  q?: string | undefined;
  kind?: PersonKind | undefined;
  /** People holding a role in this department or below it. */
  departmentId?: string | undefined;
  /** Limits the result to people holding a role inside these subtrees (department admins); undefined = everyone. */
  withinSubtreesOf?: readonly string[] | undefined;
  limit: number;
  offset: number;
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listPeopleRows(
  db: Db,
  f: PeopleFilter,
): Promise<{ rows: PersonView[]; total: number }> {
  let q = db.selectFrom('people');
  if (f.q) {
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['people.username']), 'like', pattern),
        eb(eb.fn('lower', ['people.display_name']), 'like', pattern),
      ]),
    );
  }
  if (f.kind) q = q.where('people.kind', '=', f.kind);
  const roleIn = (roots: readonly string[]) =>
    q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('role_assignments as r')
          .innerJoin('departments as d', 'd.id', 'r.department_id')
          .select('r.id')
          .whereRef('r.person_id', '=', 'people.id')
          .where((eb) => pathWithin(eb, 'd.path', roots)),
      ),
    );
  if (f.departmentId) q = roleIn([f.departmentId]);
  if (f.withinSubtreesOf) q = roleIn(f.withinSubtreesOf);

  const [rows, count] = await Promise.all([
    q.select(PERSON_VIEW_COLUMNS).orderBy('people.username').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/**
 * Marks a citizen or business as identity-verified, only if they are not already: false means someone
 * verified them first (the caller answers 409 rather than overwrite who did it).
 */
export async function markIdentityVerified(
  db: Db,
  id: string,
  by: string | null,
  note: string,
  departmentId: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({
      identity_verified_at: sql`now()`,
      identity_verified_by: by,
      identity_verification_note: note,
      identity_verified_department_id: departmentId,
      // A pending counter release ends here: the holder proved control of the account with card and code.
      identifier_release_requested_at: null,
      identifier_release_due_at: null,
      identifier_release_requested_by: null,
      identifier_release_department_id: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('identity_verified_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Withdraws a verification; false when there was none. */
export async function clearIdentityVerified(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({
      identity_verified_at: null,
      identity_verified_by: null,
      identity_verification_note: null,
      identity_verified_department_id: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('identity_verified_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
