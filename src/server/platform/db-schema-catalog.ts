import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DateText, GeneratedTimestamp, Json, TextArray, Timestamp } from './db-column-types.ts';

// Table types of the catalog (themes, datasets, distributions, versions, data requests, harvesting),
// kept apart from db-schema.ts to keep files small; db-schema.ts re-exports them and composes
// CatalogTables into Database. Keep in step with src/server/migrations/.

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

export interface CatalogTables {
  catalog_themes: CatalogThemesTable;
  catalog_generation: CatalogGenerationTable;
  catalog_code_sequences: CatalogCodeSequencesTable;
  catalog_datasets: CatalogDatasetsTable;
  catalog_distributions: CatalogDistributionsTable;
  catalog_versions: CatalogVersionsTable;
  catalog_data_requests: CatalogDataRequestsTable;
  catalog_harvest_sources: CatalogHarvestSourcesTable;
  catalog_harvest_runs: CatalogHarvestRunsTable;
}

export type CatalogDatasetRow = Selectable<CatalogDatasetsTable>;
export type NewCatalogDataset = Insertable<CatalogDatasetsTable>;
export type CatalogDistributionRow = Selectable<CatalogDistributionsTable>;
