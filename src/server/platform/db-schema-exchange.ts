import type { Generated, Selectable } from 'kysely';
import type { DateText, Json, TextArray, Timestamp } from './db-column-types.ts';

// Table types of the data-sharing exchange (migration 2026-12-06T1700-exchange), kept apart from
// db-schema.ts to keep files small. Keep in step with the migration.

export type ExchangeRequestState = 'pending' | 'approved' | 'refused' | 'withdrawn';
export type ExchangeGrantState = 'active' | 'suspended' | 'revoked';
export type ExchangeDelivery = 'api' | 'file';

export interface WorkingDayOverridesTable {
  day: DateText;
  working: boolean;
  note: Generated<string>;
}

export interface ExchangeRequestsTable {
  id: string;
  dataset_id: string;
  distribution_id: string;
  owner_department_id: string;
  requester_department_id: string;
  requested_by: string | null;
  requested_by_label: string;
  purpose: string;
  legal_basis: string;
  fields: TextArray;
  row_filter: Json<Record<string, string>>;
  duration_days: number;
  expected_calls_per_day: number | null;
  system_name: string;
  delivery: ExchangeDelivery;
  confidential: Generated<boolean>;
  state: ExchangeRequestState;
  auto_approved: Generated<boolean>;
  due_at: Timestamp | null;
  /** Working days given for the decision at submission (null: automatic, or submitted before they were kept). */
  decision_days: Generated<number | null>;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  decided_by: string | null;
  decided_by_label: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  grant_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ExchangeGrantsTable {
  id: string;
  request_id: string;
  dataset_id: string;
  distribution_id: string;
  owner_department_id: string;
  grantee_department_id: string;
  system_name: string;
  purpose: string;
  legal_basis: string;
  fields: TextArray;
  clear_fields: TextArray;
  row_filter: Json<Record<string, string>>;
  rate_limit_per_minute: number;
  delivery: ExchangeDelivery;
  confidential: Generated<boolean>;
  state: ExchangeGrantState;
  state_reason: string | null;
  expires_at: Timestamp;
  credential_hash: string | null;
  credential_prefix: string | null;
  credential_issued_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ExchangeEventsTable {
  id: Generated<number>;
  request_id: string | null;
  grant_id: string | null;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  note: string | null;
  details: Json<Record<string, unknown>>;
}

export interface ExchangeNoticesTable {
  id: Generated<number>;
  request_id: string;
  department_id: string;
  kind: 'reminder' | 'escalation';
  created_at: Timestamp;
}

export interface ExchangeAccessLogTable {
  entry_id: Generated<number>;
  /** Null until the sequencer has chained the entry. */
  seq: number | null;
  at: Timestamp;
  call_id: string;
  grant_id: string | null;
  requester_department_id: string | null;
  owner_department_id: string | null;
  dataset_id: string | null;
  distribution_id: string | null;
  system_name: string | null;
  user_ref: string | null;
  operation: string;
  fields: TextArray;
  row_count: Generated<number>;
  subjects: TextArray;
  purpose: string | null;
  case_ref: string | null;
  withheld_until: DateText | null;
  latency_ms: number;
  outcome: string;
  status: number;
  prev_hash: string | null;
  hash: string | null;
}

export interface ExchangeLogHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface ExchangeSubscriptionsTable {
  id: string;
  grant_id: string;
  url: string;
  secret_enc: string;
  state: 'active' | 'cancelled';
  created_by: string | null;
  created_at: Timestamp;
}

export interface ExchangeDeliveriesTable {
  id: string;
  subscription_id: string;
  event: Json<Record<string, unknown>>;
  state: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface ExchangeExtractsTable {
  id: string;
  grant_id: string;
  state: 'queued' | 'running' | 'ready' | 'failed' | 'expired';
  format: 'csv' | 'json';
  storage_key: string | null;
  row_count: number | null;
  size_bytes: number | null;
  checksum: string | null;
  error: string | null;
  job_id: string | null;
  requested_by: string | null;
  requested_by_label: string;
  created_at: Timestamp;
  finished_at: Timestamp | null;
  // Migration 2026-12-06T1800-exchange-extracts: what the access log records at each download.
  fields: TextArray;
  /** File-store key of the extract's data subjects (blind indexes, one a line). */
  subjects_key: string | null;
  subject_count: number | null;
}

/** The exchange's tables, merged into the Database interface. */
export interface ExchangeTables {
  working_day_overrides: WorkingDayOverridesTable;
  exchange_requests: ExchangeRequestsTable;
  exchange_grants: ExchangeGrantsTable;
  exchange_events: ExchangeEventsTable;
  exchange_notices: ExchangeNoticesTable;
  exchange_access_log: ExchangeAccessLogTable;
  exchange_log_head: ExchangeLogHeadTable;
  exchange_subscriptions: ExchangeSubscriptionsTable;
  exchange_deliveries: ExchangeDeliveriesTable;
  exchange_extracts: ExchangeExtractsTable;
}

export type ExchangeRequestRow = Selectable<ExchangeRequestsTable>;
export type ExchangeGrantRow = Selectable<ExchangeGrantsTable>;
export type ExchangeAccessLogRow = Selectable<ExchangeAccessLogTable>;
