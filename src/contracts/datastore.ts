import { type Static, Type } from 'typebox';
import { literalUnion, Nullable, Uuid } from './common.ts';
import {
  COLUMN_SENSITIVITIES,
  DATASTORE_TYPES,
  DUMP_FORMATS,
  LOAD_MODES,
  LOAD_STATUSES,
  MASK_RULES,
  SUBJECT_KINDS,
} from './datastore-values.ts';

// API shapes of the DataStore: loads and their reports, the data dictionary, versions. The CKAN
// datastore_* actions map the same data onto CKAN's field names.

export * from './datastore-values.ts';

const Text = (max: number) => Type.String({ maxLength: max });

/** One column of the data dictionary. `id` is the column's name in the table and in the API. */
export const DictionaryColumnSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 63 }),
    /** The header as it was in the file (Chinese kept). */
    label: Text(200),
    labelEn: Type.Optional(Text(200)),
    description: Type.Optional(Text(1000)),
    type: literalUnion(DATASTORE_TYPES),
    unit: Type.Optional(Text(50)),
    example: Type.Optional(Text(200)),
    sensitivity: literalUnion(COLUMN_SENSITIVITIES),
    mask: literalUnion(MASK_RULES),
    /** An index on the column, for filters and sorts on large tables (kept across loads). */
    indexed: Type.Optional(Type.Boolean()),
    /** The column identifies a data subject: accesses through the exchange are shown to that person or business. */
    subject: Type.Optional(literalUnion(SUBJECT_KINDS)),
  },
  { additionalProperties: false },
);
export type DictionaryColumn = Static<typeof DictionaryColumnSchema>;

/** What a steward may change of a column; the type change re-casts the table in place. */
export const DictionaryColumnUpdateSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 63 }),
    label: Type.Optional(Text(200)),
    labelEn: Type.Optional(Text(200)),
    description: Type.Optional(Text(1000)),
    type: Type.Optional(literalUnion(DATASTORE_TYPES)),
    unit: Type.Optional(Text(50)),
    example: Type.Optional(Text(200)),
    sensitivity: Type.Optional(literalUnion(COLUMN_SENSITIVITIES)),
    mask: Type.Optional(literalUnion(MASK_RULES)),
    indexed: Type.Optional(Type.Boolean()),
    subject: Type.Optional(Type.Union([literalUnion(SUBJECT_KINDS), Type.Null()])),
  },
  { additionalProperties: false },
);

export const DictionaryUpdateBody = Type.Object(
  {
    columns: Type.Array(DictionaryColumnUpdateSchema, { maxItems: 1600 }),
    /** When a type change meets values that do not cast: refuse (default) or set them to NULL. */
    onCastFailure: Type.Optional(literalUnion(['cancel', 'null'] as const)),
  },
  { additionalProperties: false },
);
export type DictionaryUpdate = Static<typeof DictionaryUpdateBody>;

export const LoadOptionsBody = Type.Object(
  {
    mode: Type.Optional(literalUnion(LOAD_MODES)),
    /** Key columns (ids or original labels) for upserts and version summaries. */
    key: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 10 })),
    sheet: Type.Optional(Text(200)),
    encoding: Type.Optional(literalUnion(['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const)),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
    nullTokens: Type.Optional(Type.Array(Text(50), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type LoadOptions = Static<typeof LoadOptionsBody>;

export const LoadProgressSchema = Type.Object({
  stage: Type.String(),
  rows: Type.Number(),
  bytes: Type.Number(),
  totalBytes: Type.Number(),
  percent: Type.Number(),
});
export type LoadProgress = Static<typeof LoadProgressSchema>;

export const ReportColumnSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  type: literalUnion(DATASTORE_TYPES),
  /** The type most values had when disagreeing values made the column text. */
  candidate: Nullable(literalUnion(DATASTORE_TYPES)),
  reason: Type.Optional(Type.String()),
  nonNull: Type.Number(),
  nulls: Type.Number(),
  disagreeing: Type.Number(),
  /**
   * Disagreeing values with their row number: with `headerRow` in the report, the row of the file as
   * an editor or a spreadsheet numbers it (the first line is 1); else the data row (1 = first after the header).
   */
  examples: Type.Array(Type.Object({ row: Type.Number(), value: Type.String() })),
});

export const ReportIssueSchema = Type.Object({
  kind: Type.String(),
  /** The row the issue is on, counted as the examples' rows are (see LoadReport.headerRow). */
  row: Type.Optional(Type.Number()),
  column: Type.Optional(Type.String()),
  /** English text; the console renders kind and params in the reader's language, this only for kinds it does not know. */
  message: Type.String(),
  /** The figures the message quotes, and `variant` when a kind has several messages. */
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  sample: Type.Optional(Type.String()),
});

/** What a load found and did, shown to the steward. */
export const LoadReportSchema = Type.Object({
  format: Type.String(),
  encoding: Type.Optional(Type.String()),
  delimiter: Type.Optional(Type.String()),
  sheet: Type.Optional(Type.String()),
  sheets: Type.Optional(Type.Array(Type.String())),
  titleRows: Type.Array(Type.String()),
  /**
   * Delimited and XLSX files: the header's row in the file. Its presence says that every row number in
   * the report (issues, examples) is the file's own (the first line is row 1); reports without it
   * count data rows from the header.
   */
  headerRow: Type.Optional(Type.Number()),
  /** How the rows reached the database: PostgreSQL parsed the file itself, or Civitas did. */
  path: literalUnion(['copy', 'typed', 'parsed'] as const),
  /** Types from every value, or from a sample proven on every row by the build. */
  inference: Type.Optional(literalUnion(['full', 'sample'] as const)),
  rowsRead: Type.Number(),
  rows: Type.Number(),
  bytes: Type.Number(),
  columns: Type.Array(ReportColumnSchema),
  droppedColumns: Type.Array(Type.String()),
  issues: Type.Array(ReportIssueSchema),
  issueCount: Type.Number(),
  summary: Type.Optional(
    Type.Object({
      added: Type.Number(),
      removed: Type.Number(),
      changed: Type.Number(),
      /** Columns an append or upsert widened (integer → text…), with the values that did not fit. */
      typeChanges: Type.Optional(
        Type.Array(
          Type.Object({
            column: Type.String(),
            from: Type.String(),
            to: Type.String(),
            count: Type.Number(),
            /** By the new version's _id; `row` is the value's row in the loaded file (not after an upsert). */
            examples: Type.Array(
              Type.Object({ id: Type.Number(), value: Type.String(), row: Type.Optional(Type.Number()) }),
            ),
          }),
        ),
      ),
    }),
  ),
  timings: Type.Record(Type.String(), Type.Number()),
});
export type LoadReport = Static<typeof LoadReportSchema>;

export const LoadErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const LoadDtoSchema = Type.Object({
  id: Uuid,
  distributionId: Uuid,
  status: literalUnion(LOAD_STATUSES),
  mode: literalUnion(LOAD_MODES),
  key: Type.Array(Type.String()),
  sourceName: Type.String(),
  progress: LoadProgressSchema,
  report: Nullable(LoadReportSchema),
  error: Nullable(LoadErrorSchema),
  version: Nullable(Type.Number()),
  requestedBy: Type.String(),
  createdAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});
export type LoadDto = Static<typeof LoadDtoSchema>;

export const VersionDtoSchema = Type.Object({
  version: Type.Number(),
  mode: Type.String(),
  rows: Type.Number(),
  checksum: Nullable(Type.String()),
  sourceName: Nullable(Type.String()),
  summary: Type.Record(Type.String(), Type.Unknown()),
  kept: Type.Boolean(),
  actor: Type.String(),
  createdAt: Type.String(),
});
export type VersionDto = Static<typeof VersionDtoSchema>;

export const DatastoreInfoSchema = Type.Object({
  distributionId: Uuid,
  datasetId: Uuid,
  rows: Type.Number(),
  currentVersion: Nullable(Type.Number()),
  columns: Type.Array(DictionaryColumnSchema),
  key: Type.Array(Type.String()),
  /** Whether the caller sees every column in clear. */
  masked: Type.Boolean(),
  canEdit: Type.Boolean(),
  versions: Type.Array(VersionDtoSchema),
  lastLoad: Nullable(LoadDtoSchema),
});
export type DatastoreInfo = Static<typeof DatastoreInfoSchema>;

// CKAN's boolean words (True/False, yes/no, 1/0), in any case.
const CKAN_BOOLEAN = '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)$';

/**
 * The dump's parameters, as CKAN's /datastore/dump: the format, then datastore_search's filters, q,
 * fields, sort, offset and limit (text, read and checked as datastore_search reads them); without
 * limit, every matching row.
 */
export const DumpQuery = Type.Object(
  {
    format: Type.Optional(literalUnion(DUMP_FORMATS)),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    /** CKAN's byte-order mark switch (True/False, 1/0); CSV has one unless bom is false, TSV only when true. */
    bom: Type.Optional(Type.String({ pattern: CKAN_BOOLEAN, maxLength: 5 })),
    filters: Type.Optional(Type.String({ maxLength: 20000 })),
    q: Type.Optional(Type.String({ maxLength: 2000 })),
    fields: Type.Optional(Type.String({ maxLength: 20000 })),
    sort: Type.Optional(Type.String({ maxLength: 2000 })),
    offset: Type.Optional(Type.String({ maxLength: 24 })),
    limit: Type.Optional(Type.String({ maxLength: 24 })),
    /** CKAN's full-text switches; accepted and ignored (q is a substring match). */
    plain: Type.Optional(Type.String({ pattern: CKAN_BOOLEAN, maxLength: 5 })),
    language: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
