import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { GeneratedTimestamp, Json, TextArray, Timestamp } from './db-column-types.ts';
import type { CatalogTables } from './db-schema-catalog.ts';
import type { ExchangeTables } from './db-schema-exchange.ts';

// Table types for Kysely. Keep in step with src/server/migrations/.

export type PersonKind = 'citizen' | 'business' | 'staff';
export type DepartmentRole =
  | 'dept_admin'
  | 'data_steward'
  | 'case_handler'
  | 'reviewer'
  | 'auditor'
  | 'identity_verifier';

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
  /** Real-name verification by staff (citizens and businesses); null until checked. */
  identity_verified_at: Timestamp | null;
  identity_verified_by: string | null;
  identity_verification_note: string | null;
  /** The department in whose name a counter clerk verified the account (its admins may withdraw it). */
  identity_verified_department_id: string | null;
  /** The holder's one-time counter code (keyed hash), its expiry and wrong tries so far; null when none is in force. */
  counter_code_hash: string | null;
  counter_code_expires_at: Timestamp | null;
  counter_code_failures: Generated<number>;
  /** A counter release of the identifier waiting out its notice period: asked when, effective when, by whom, for which department. */
  identifier_release_requested_at: Timestamp | null;
  identifier_release_due_at: Timestamp | null;
  identifier_release_requested_by: string | null;
  identifier_release_department_id: string | null;
  /** When a counter release took the identifier from this (disabled) account; its sign-in says so. */
  identifier_released_at: Timestamp | null;
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

// ---- catalog: in db-schema-catalog.ts ------------------------------------------------------------
export type * from './db-schema-catalog.ts';

// ---- jobs ---------------------------------------------------------------------------------------
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobsTable {
  id: string;
  kind: string;
  payload: Json<unknown>;
  status: JobStatus;
  run_at: GeneratedTimestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  dedupe_key: string | null;
  locked_by: string | null;
  locked_until: Timestamp | null;
  progress: Json<unknown> | null;
  result: Json<unknown> | null;
  last_error: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
}

// ---- datastore ----------------------------------------------------------------------------------
export type LoadStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type LoadMode = 'replace' | 'append' | 'upsert';

export interface DatastoreTablesTable {
  distribution_id: string;
  dataset_id: string;
  current_version: number | null;
  row_count: Generated<number>;
  columns: Json<unknown[]>;
  key_columns: TextArray;
  quality: Json<unknown> | null;
  /** Quality rules per column (contracts/datastore-quality.ts QualityRule[]). */
  rules: Json<unknown[]>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface DatastoreLoadsTable {
  id: string;
  distribution_id: string;
  job_id: string | null;
  status: LoadStatus;
  mode: LoadMode;
  key_columns: TextArray;
  options: Json<Record<string, unknown>>;
  source: Json<Record<string, unknown>>;
  progress: Json<Record<string, unknown>>;
  report: Json<unknown> | null;
  error: Json<unknown> | null;
  version: number | null;
  requested_by: string;
  requested_by_id: string | null;
  created_at: GeneratedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface DatastoreVersionsTable {
  distribution_id: string;
  version: number;
  load_id: string | null;
  mode: string;
  row_count: number;
  checksum: string | null;
  source_name: string | null;
  columns: Json<unknown[]>;
  summary: Json<Record<string, unknown>>;
  kept: Generated<boolean>;
  actor_id: string | null;
  actor_label: string;
  created_at: GeneratedTimestamp;
}

export interface Database extends ExchangeTables, CatalogTables {
  departments: DepartmentsTable;
  people: PeopleTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  jobs: JobsTable;
  datastore_tables: DatastoreTablesTable;
  datastore_loads: DatastoreLoadsTable;
  datastore_versions: DatastoreVersionsTable;
}

export type Department = Selectable<DepartmentsTable>;
export type NewDepartment = Insertable<DepartmentsTable>;
export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type RoleAssignment = Selectable<RoleAssignmentsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type AuditEntryRow = Selectable<AuditLogTable>;
export type JobRow = Selectable<JobsTable>;
