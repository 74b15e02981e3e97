import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types for Kysely. Keep in step with src/server/migrations/.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// Kysely 0.29's Generated<T> wraps rather than unwraps a ColumnType (selecting would yield the wrapper
// type), so columns with a default use this instead: optional on insert, Date on select.
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type PersonKind = 'citizen' | 'business' | 'staff';
export type DepartmentRole = 'dept_admin' | 'data_steward' | 'case_handler' | 'reviewer' | 'auditor';

export interface DepartmentsTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  parent_id: string | null;
  path: string;
  region_code: string | null;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PeopleTable {
  id: string;
  username: string;
  kind: PersonKind;
  display_name: string;
  email: string | null;
  password_hash: string;
  resident_id_enc: string | null;
  resident_id_bidx: string | null;
  resident_id_masked: string | null;
  uscc_enc: string | null;
  uscc_bidx: string | null;
  uscc_masked: string | null;
  company_name: string | null;
  is_platform_admin: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  totp_secret_enc: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: number | null;
  recovery_code_hashes: ColumnType<string[], string | undefined, string>;
  locale: string | null;
  last_login_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface RoleAssignmentsTable {
  id: string;
  person_id: string;
  department_id: string;
  role: DepartmentRole;
  granted_by: string | null;
  created_at: GeneratedTimestamp;
}

export interface SessionsTable {
  id: string;
  person_id: string;
  csrf_token: string;
  mfa_pending: Generated<boolean>;
  ip: string | null;
  user_agent: string | null;
  created_at: GeneratedTimestamp;
  last_seen_at: GeneratedTimestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  person_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  entry_id: Generated<number>;
  /** Null until the sequencer has chained the entry. */
  seq: number | null;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  department_id: string | null;
  /** Canonical (RFC 8785) JSON text: hashed exactly as stored. */
  details: string;
  ip: string | null;
  request_id: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  at: Timestamp;
  key_id: string;
  signature: string;
}

export interface Database {
  departments: DepartmentsTable;
  people: PeopleTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
}

export type Department = Selectable<DepartmentsTable>;
export type NewDepartment = Insertable<DepartmentsTable>;
export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type RoleAssignment = Selectable<RoleAssignmentsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type AuditEntryRow = Selectable<AuditLogTable>;
