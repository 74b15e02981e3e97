// The value lists of the DataStore's contracts, free of TypeBox so that the web bundle can import
// them without the schema library. datastore.ts builds its schemas from them and re-exports them.

/** Column types a DataStore table can have (inferred from the whole file, correctable by stewards). */
export const DATASTORE_TYPES = [
  'integer',
  'bigint',
  'numeric',
  'boolean',
  'date',
  'timestamp',
  'time',
  'text',
] as const;

/**
 * Who sees a column in clear: public — everyone who may read the resource; internal — staff;
 * personal — the provider department (others see the mask); secret — the provider's stewards and
 * admins (others see nothing).
 */
export const COLUMN_SENSITIVITIES = ['public', 'internal', 'personal', 'secret'] as const;

/** How a column is masked for callers who may not see it in clear. */
export const MASK_RULES = ['none', 'full', 'id_number', 'phone', 'name', 'email', 'partial'] as const;
/** Kinds of data-subject identifier a column can hold (a person's resident ID, a business's credit code). */
export const SUBJECT_KINDS = ['resident_id', 'uscc'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const LOAD_MODES = ['replace', 'append', 'upsert'] as const;
export const LOAD_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
/** Formats the DataStore loads (a distribution's format, upper-case as the catalog keeps it). */
export const LOADABLE_FORMATS = [
  'CSV',
  'TSV',
  'TXT',
  'XLSX',
  'JSON',
  'NDJSON',
  'GEOJSON',
  'PARQUET',
] as const;
export const DUMP_FORMATS = ['csv', 'tsv', 'json', 'xlsx'] as const;

/** Null tokens recognised by default: cells holding these are missing values. */
export const DEFAULT_NULL_TOKEN_LIST = [
  '',
  'NA',
  'N/A',
  'n/a',
  'null',
  'NULL',
  '-',
  '--',
  '无',
  '空',
] as const;

export type DatastoreType = (typeof DATASTORE_TYPES)[number];
export type ColumnSensitivity = (typeof COLUMN_SENSITIVITIES)[number];
export type MaskRule = (typeof MASK_RULES)[number];
export type LoadMode = (typeof LOAD_MODES)[number];
export type DumpFormat = (typeof DUMP_FORMATS)[number];
