import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { DepartmentRole, PersonKind } from '../db-schema.ts';
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

const rolesOf = sql<ActorRole[]>`coalesce((
  select json_agg(json_build_object('departmentId', r.department_id, 'departmentPath', d.path, 'role', r.role))
  from role_assignments r join departments d on d.id = r.department_id
  where r.person_id = p.id and d.active), '[]'::json)`;

// What every request needs to know about its caller.
const PERSON_COLUMNS = [
  'p.id as person_id',
  'p.username',
  'p.display_name',
  'p.kind',
  'p.is_platform_admin',
  'p.status',
  'p.totp_enabled',
] as const;

/** Person and roles behind a live session, in one round trip (this runs on every request). */
export async function findSession(db: Db, sessionId: string): Promise<CredentialRow | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select([...PERSON_COLUMNS, 's.csrf_token', 's.mfa_pending', 's.last_seen_at', rolesOf.as('roles')])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/** Person and roles behind a valid (unrevoked, unexpired) API token. */
export async function findToken(db: Db, tokenHash: string): Promise<CredentialRow | undefined> {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .select([...PERSON_COLUMNS, 't.id as token_id', 't.last_used_at', rolesOf.as('roles')])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
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
