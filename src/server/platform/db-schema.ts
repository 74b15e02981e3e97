import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ExchangeTables } from './db-schema-exchange.ts';

// Table types for Kysely. Keep in step with src/server/migrations/.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// Kysely 0.29's Generated<T> wraps rather than unwraps a ColumnType (selecting would yield the wrapper
// type), so columns with a default use this instead: optional on insert, Date on select.
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

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

// ---- catalog ------------------------------------------------------------------------------------
type Json<T> = ColumnType<T, string | undefined, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type DateText = ColumnType<string, string, string>;

export interface CatalogThemesTable {
  id: string;
  parent_id: string | null;
  name_zh: string;
  name_en: string;
  eu_theme: string | null;
  position: Generated<number>;
}

export interface CatalogGenerationTable {
  id: number;
  value: number;
}

export interface CatalogCodeSequencesTable {
  prefix: string;
  last_value: number;
}

export interface CatalogDatasetsTable {
  id: string;
  name: string;
  resource_code: string;
  title_zh: string;
  title_en: Generated<string>;
  description_zh: Generated<string>;
  description_en: Generated<string>;
  department_id: string;
  catalog_kind: string;
  theme_id: string | null;
  keywords: TextArray;
  format_class: string;
  data_items: Json<unknown[]>;
  share_type: string;
  share_condition: string | null;
  share_legal_basis: string | null;
  open_type: string;
  open_condition: string | null;
  update_cycle: string;
  related: TextArray;
  license_id: string | null;
  temporal_start: DateText | null;
  temporal_end: DateText | null;
  spatial_codes: TextArray;
  contact: Json<Record<string, unknown> | null> | null;
  sensitivity: string;
  extras: Json<Record<string, string>>;
  status: string;
  review_note: string | null;
  version: Generated<number>;
  published_at: Timestamp | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  modified_at: GeneratedTimestamp;
  last_version_at: GeneratedTimestamp;
  download_count: Generated<number>;
  formats: TextArray;
  harvest_source_id: string | null;
  harvest_remote_id: string | null;
  /** Written with a SQL expression (to_tsvector …); never selected. */
  search_vector: ColumnType<never, unknown, unknown>;
  search_text: string;
  /** 0–100, set by DataStore quality after loads and rule edits; null until then. */
  quality_score: number | null;
}

export interface CatalogDistributionsTable {
  id: string;
  dataset_id: string;
  position: number;
  name: string;
  description: Generated<string>;
  kind: 'file' | 'link' | 'api';
  url: string | null;
  storage_key: string | null;
  format: string;
  media_type: string | null;
  size_bytes: number | null;
  checksum: string | null;
  download_count: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface CatalogVersionsTable {
  dataset_id: string;
  version: number;
  change: string;
  snapshot: Json<Record<string, unknown>>;
  actor_id: string | null;
  actor_label: string;
  note: string | null;
  at: GeneratedTimestamp;
}

export interface CatalogDataRequestsTable {
  id: string;
  tracking_code: string;
  dataset_id: string | null;
  department_id: string;
  title: string;
  description: string;
  requester_name: string;
  requester_email_enc: string;
  requester_id: string | null;
  status: 'open' | 'answered' | 'fulfilled' | 'declined';
  answer: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
  created_at: GeneratedTimestamp;
}

export interface CatalogHarvestSourcesTable {
  id: string;
  name: string;
  title: string;
  kind: 'ckan' | 'dcat';
  url: string;
  department_id: string;
  schedule: 'manual' | 'hourly' | 'daily' | 'weekly';
  limits: Json<Record<string, number>>;
  active: Generated<boolean>;
  next_run_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  created_by: string | null;
}

export type HarvestRunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

export interface CatalogHarvestRunsTable {
  id: string;
  source_id: string;
  status: HarvestRunStatus;
  /** When the run was queued until it starts; then when it started. */
  started_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
  counts: Json<Record<string, number>>;
  errors: Json<{ remoteId?: string; stage?: string; message: string }[]>;
  job_id: string | null;
  trigger: Generated<'manual' | 'schedule' | 'cli'>;
  requested_by: Generated<string>;
  queued_at: GeneratedTimestamp;
  timings: Json<Record<string, number>>;
}

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

export interface Database extends ExchangeTables {
  departments: DepartmentsTable;
  people: PeopleTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  catalog_themes: CatalogThemesTable;
  catalog_generation: CatalogGenerationTable;
  catalog_code_sequences: CatalogCodeSequencesTable;
  catalog_datasets: CatalogDatasetsTable;
  catalog_distributions: CatalogDistributionsTable;
  catalog_versions: CatalogVersionsTable;
  catalog_data_requests: CatalogDataRequestsTable;
  catalog_harvest_sources: CatalogHarvestSourcesTable;
  catalog_harvest_runs: CatalogHarvestRunsTable;
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
export type CatalogDatasetRow = Selectable<CatalogDatasetsTable>;
export type NewCatalogDataset = Insertable<CatalogDatasetsTable>;
export type CatalogDistributionRow = Selectable<CatalogDistributionsTable>;
export type JobRow = Selectable<JobsTable>;
