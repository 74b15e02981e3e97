import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { DepartmentRole, PersonKind } from '../db-schema.ts';
import { compiledOnce, positional } from '../sql-helpers.ts';
import type { ActorRole } from './actor.ts';

export interface CredentialRow {
  person_id: string;
  username: string;
  display_name: string;
  kind: PersonKind;
  is_platform_admin: boolean;
  status: 'active' | 'disabled';
  /** Whether a second factor is enrolled (the staff-MFA requirement gates on it). */
  totp_enabled: boolean;
  roles: ActorRole[];
  // session fields
  csrf_token?: string;
  mfa_pending?: boolean;
  last_seen_at?: Date;
  // token fields
  token_id?: string;
  last_used_at?: Date | null;
}

// What every request needs to know about its caller, and each role with where it reaches. The
// roles come as extra rows of one LEFT JOIN (cheaper than an aggregate subquery), folded below.
const PERSON_COLUMNS = [
  'p.id as person_id',
  'p.username',
  'p.display_name',
  'p.kind',
  'p.is_platform_admin',
  'p.status',
  'p.totp_enabled',
  'r.department_id as role_department_id',
  'd.path as role_department_path',
  'r.role as role_name',
] as const;

type RoleColumns = {
  role_department_id: string | null;
  role_department_path: string | null;
  role_name: DepartmentRole | null;
};

/** Folds the one-row-per-role result into one credential (roles of inactive departments dropped). */
function fold<T extends Omit<CredentialRow, 'roles'> & RoleColumns>(rows: T[]): CredentialRow | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const { role_department_id: _d, role_department_path: _p, role_name: _r, ...credential } = first;
  const roles: ActorRole[] = [];
  for (const row of rows) {
    if (row.role_department_id && row.role_department_path && row.role_name) {
      roles.push({
        departmentId: row.role_department_id,
        departmentPath: row.role_department_path,
        role: row.role_name,
      });
    }
  }
  return { ...credential, roles };
}

// Both run on every authenticated request: compiled once and, on PostgreSQL, prepared by name, so
// neither Kysely nor the planner redoes a four-table join per request.
const sessionById = compiledOnce((db) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .leftJoin('role_assignments as r', 'r.person_id', 'p.id')
    .leftJoin('departments as d', (join) =>
      join.onRef('d.id', '=', 'r.department_id').on(sql<boolean>`d.active`),
    )
    .select([...PERSON_COLUMNS, 's.csrf_token', 's.mfa_pending', 's.last_seen_at'])
    .where(sql<boolean>`s.id = ${positional(1)}`)
    .where('s.expires_at', '>', sql<Date>`now()`),
);

const tokenByHash = compiledOnce((db) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .leftJoin('role_assignments as r', 'r.person_id', 'p.id')
    .leftJoin('departments as d', (join) =>
      join.onRef('d.id', '=', 'r.department_id').on(sql<boolean>`d.active`),
    )
    .select([...PERSON_COLUMNS, 't.id as token_id', 't.last_used_at'])
    .where(sql<boolean>`t.token_hash = ${positional(1)}`)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)])),
);

/** Person and roles behind a live session, in one round trip (this runs on every request). */
export async function findSession(db: Db, sessionId: string): Promise<CredentialRow | undefined> {
  return fold(await sessionById(db, [sessionId]));
}

/** Person and roles behind a valid (unrevoked, unexpired) API token. */
export async function findToken(db: Db, tokenHash: string): Promise<CredentialRow | undefined> {
  return fold(await tokenByHash(db, [tokenHash]));
}

export async function touchSession(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', sessionId).execute();
}

export async function touchToken(db: Db, tokenId: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', tokenId).execute();
}

export interface NewSession {
  id: string;
  personId: string;
  csrfToken: string;
  mfaPending: boolean;
  ip: string | null;
  userAgent: string | null;
  expiresAt: Date;
}

export async function insertSession(db: Db, s: NewSession): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      person_id: s.personId,
      csrf_token: s.csrfToken,
      mfa_pending: s.mfaPending,
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 500) ?? null,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteSessionsOf(db: Db, personId: string): Promise<void> {
  await db.deleteFrom('sessions').where('person_id', '=', personId).execute();
}

export async function findPendingMfaSession(db: Db, sessionId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'person_id', 'mfa_pending'])
    .where('id', '=', sessionId)
    .where('mfa_pending', '=', true)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export type { DepartmentRole };
