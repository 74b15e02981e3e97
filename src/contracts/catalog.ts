import { type Static, Type } from 'typebox';
import { DatasetName } from './catalog-requests.ts';
import {
  CATALOG_KINDS,
  DATA_ITEM_TYPES,
  DATASET_STATUSES,
  DISTRIBUTION_KINDS,
  FORMAT_CLASSES,
  OPEN_TYPES,
  SEARCH_SORTS,
  SENSITIVITY_LEVELS,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from './catalog-values.ts';
import { literalUnion, Nullable, Uuid } from './common.ts';

// API shapes of the data-resource catalog, shared by server routes, the web app, the demo loader and
// the CKAN compatibility layer (which maps them to CKAN's own field names).

export * from './catalog-values.ts';

/** Resource code: classification code + '-' + sequence, e.g. `339900-LS-MSA-00012`. */
export const ResourceCode = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Z0-9][A-Z0-9_-]*$' });
/** GB/T 2260 administrative division code. */
export const RegionCode = Type.String({ pattern: '^\\d{6}$' });
const IsoDate = Type.String({ format: 'date' });
const Text = (max: number) => Type.String({ maxLength: max });

export const DataItemSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    type: literalUnion(DATA_ITEM_TYPES),
    description: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);
export type DataItem = Static<typeof DataItemSchema>;

export const ContactSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  },
  { additionalProperties: false },
);
export type Contact = Static<typeof ContactSchema>;

/** The metadata a steward edits. Rules beyond the schema are checked by the service (see catalog-rules.ts). */
export const DatasetFieldsSchema = Type.Object(
  {
    name: DatasetName,
    /** Generated from the department and a sequence when absent. */
    resourceCode: Type.Optional(ResourceCode),
    titleZh: Type.String({ minLength: 1, maxLength: 300 }),
    titleEn: Type.Optional(Text(300)),
    descriptionZh: Type.Optional(Text(20_000)),
    descriptionEn: Type.Optional(Text(20_000)),
    catalogKind: Type.Optional(literalUnion(CATALOG_KINDS)),
    themeId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
    formatClass: Type.Optional(literalUnion(FORMAT_CLASSES)),
    dataItems: Type.Optional(Type.Array(DataItemSchema, { maxItems: 500 })),
    shareType: Type.Optional(literalUnion(SHARE_TYPES)),
    shareCondition: Type.Optional(Nullable(Text(2000))),
    shareLegalBasis: Type.Optional(Nullable(Text(2000))),
    openType: Type.Optional(literalUnion(OPEN_TYPES)),
    openCondition: Type.Optional(Nullable(Text(2000))),
    updateCycle: Type.Optional(literalUnion(UPDATE_CYCLES)),
    related: Type.Optional(Type.Array(DatasetName, { maxItems: 50 })),
    licenseId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    temporalStart: Type.Optional(Nullable(IsoDate)),
    temporalEnd: Type.Optional(Nullable(IsoDate)),
    spatialCodes: Type.Optional(Type.Array(RegionCode, { maxItems: 100 })),
    contact: Type.Optional(Nullable(ContactSchema)),
    sensitivity: Type.Optional(literalUnion(SENSITIVITY_LEVELS)),
    /** Free key/value pairs (CKAN `extras`). */
    extras: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

export const CreateDatasetBody = Type.Object(
  { ...DatasetFieldsSchema.properties, departmentId: Uuid },
  { additionalProperties: false },
);
export type CreateDatasetInput = Static<typeof CreateDatasetBody>;
/** A partial change; `name` and the provider department cannot change once created. */
export const UpdateDatasetBody = Type.Partial(Type.Omit(DatasetFieldsSchema, ['name']), {
  additionalProperties: false,
});
export type UpdateDatasetInput = Static<typeof UpdateDatasetBody>;

export const DistributionSchema = Type.Object({
  id: Uuid,
  datasetId: Uuid,
  name: Type.String(),
  description: Type.String(),
  kind: literalUnion(DISTRIBUTION_KINDS),
  /** Download URL (files are served by the platform) or the external link / API endpoint. */
  url: Type.String(),
  format: Type.String(),
  mediaType: Nullable(Type.String()),
  sizeBytes: Nullable(Type.Number()),
  /** sha256 hex of the file's bytes. */
  checksum: Nullable(Type.String()),
  downloadCount: Type.Number(),
  position: Type.Number(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** Its rows are in the DataStore (queryable with datastore_search). */
  datastoreActive: Type.Optional(Type.Boolean()),
});
export type DistributionDto = Static<typeof DistributionSchema>;

export const LinkDistributionBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Text(5000)),
    kind: Type.Optional(literalUnion(['link', 'api'] as const)),
    url: Type.String({ minLength: 1, maxLength: 2000, pattern: '^https?://' }),
    format: Type.Optional(Type.String({ maxLength: 40 })),
    mediaType: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);
export type LinkDistributionInput = Static<typeof LinkDistributionBody>;
export const UpdateDistributionBody = Type.Partial(
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 300 }),
      description: Text(5000),
      url: Type.String({ minLength: 1, maxLength: 2000, pattern: '^https?://' }),
      format: Type.String({ maxLength: 40 }),
    },
    { additionalProperties: false },
  ),
);
export type UpdateDistributionInput = Static<typeof UpdateDistributionBody>;

export const DatasetSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  resourceCode: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  department: Type.Object({ id: Uuid, code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  catalogKind: literalUnion(CATALOG_KINDS),
  theme: Nullable(Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  keywords: Type.Array(Type.String()),
  formatClass: literalUnion(FORMAT_CLASSES),
  dataItems: Type.Array(DataItemSchema),
  shareType: literalUnion(SHARE_TYPES),
  shareCondition: Nullable(Type.String()),
  shareLegalBasis: Nullable(Type.String()),
  openType: literalUnion(OPEN_TYPES),
  openCondition: Nullable(Type.String()),
  updateCycle: literalUnion(UPDATE_CYCLES),
  related: Type.Array(Type.String()),
  licenseId: Nullable(Type.String()),
  temporalStart: Nullable(Type.String()),
  temporalEnd: Nullable(Type.String()),
  spatialCodes: Type.Array(Type.String()),
  contact: Nullable(ContactSchema),
  sensitivity: literalUnion(SENSITIVITY_LEVELS),
  extras: Type.Record(Type.String(), Type.String()),
  status: literalUnion(DATASET_STATUSES),
  reviewNote: Nullable(Type.String()),
  version: Type.Number(),
  /** When it was first published (发布日期). */
  publishedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  /** Last metadata or distribution change (CKAN metadata_modified). */
  modifiedAt: Type.String(),
  /** Published, and its update cycle has passed since the last new version. */
  overdue: Type.Boolean(),
  /** When the next update is due by its cycle (null for real-time and irregular resources). */
  nextUpdateDue: Nullable(Type.String()),
  downloadCount: Type.Number(),
  /** DataStore quality score 0–100 (metadata and loaded tables); null until a table is profiled. */
  qualityScore: Nullable(Type.Number()),
  harvestSourceId: Nullable(Uuid),
  distributions: Type.Array(DistributionSchema),
});
export type DatasetDto = Static<typeof DatasetSchema>;

/** A row of a list or a search result. */
export const DatasetSummarySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  resourceCode: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  department: Type.Object({ id: Uuid, code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  theme: Nullable(Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  keywords: Type.Array(Type.String()),
  formats: Type.Array(Type.String()),
  shareType: literalUnion(SHARE_TYPES),
  openType: literalUnion(OPEN_TYPES),
  updateCycle: literalUnion(UPDATE_CYCLES),
  licenseId: Nullable(Type.String()),
  status: literalUnion(DATASET_STATUSES),
  version: Type.Number(),
  publishedAt: Nullable(Type.String()),
  modifiedAt: Type.String(),
  overdue: Type.Boolean(),
  downloadCount: Type.Number(),
  /** DataStore quality score 0–100; null until a table is profiled. */
  qualityScore: Nullable(Type.Number()),
});
export type DatasetSummaryDto = Static<typeof DatasetSummarySchema>;

export const ThemeSchema = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  nameZh: Type.String(),
  nameEn: Type.String(),
  /** EU data-theme code (DCAT-AP dcat:theme), e.g. ECON. */
  euTheme: Nullable(Type.String()),
});
export type ThemeDto = Static<typeof ThemeSchema>;

export const LicenseSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  url: Type.String(),
  /** Whether the licence meets the Open Definition (CKAN od_conformance). */
  open: Type.Boolean(),
});
export type LicenseDto = Static<typeof LicenseSchema>;

// ---- lifecycle ----------------------------------------------------------------------------------
export const ReviewBody = Type.Object(
  {
    decision: literalUnion(['publish', 'reject'] as const),
    note: Type.Optional(Text(2000)),
  },
  { additionalProperties: false },
);
export type ReviewInput = Static<typeof ReviewBody>;
export const WithdrawBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  {
    additionalProperties: false,
  },
);

export const VersionSchema = Type.Object({
  version: Type.Number(),
  /** created, updated, submitted, published, rejected, withdrawn, distribution_added, … */
  change: Type.String(),
  actorLabel: Type.String(),
  at: Type.String(),
  note: Nullable(Type.String()),
  /** Field-level differences from the previous version. */
  diff: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
});
export type VersionDto = Static<typeof VersionSchema>;

// ---- search --------------------------------------------------------------------------------------
export const FACET_FIELDS = [
  'department',
  'theme',
  'format',
  'tags',
  'license',
  'open_type',
  'share_type',
  'update_cycle',
] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    department: Type.Optional(Type.String({ maxLength: 64 })),
    theme: Type.Optional(Type.String({ maxLength: 64 })),
    format: Type.Optional(Type.String({ maxLength: 40 })),
    tags: Type.Optional(Type.String({ maxLength: 100 })),
    license: Type.Optional(Type.String({ maxLength: 100 })),
    open_type: Type.Optional(literalUnion(OPEN_TYPES)),
    share_type: Type.Optional(literalUnion(SHARE_TYPES)),
    update_cycle: Type.Optional(literalUnion(UPDATE_CYCLES)),
    status: Type.Optional(literalUnion(DATASET_STATUSES)),
    sort: Type.Optional(literalUnion(SEARCH_SORTS)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type SearchQueryInput = Static<typeof SearchQuery>;
/** The REST search also takes includePrivate: what a signed-in caller may see beyond the public catalog. */
export const RestSearchQuery = Type.Object(
  { ...SearchQuery.properties, includePrivate: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

/** A piece of a highlighted text: matched pieces are rendered marked. */
export const HighlightSchema = Type.Array(Type.Object({ text: Type.String(), match: Type.Boolean() }));

export const FacetCountSchema = Type.Object({
  value: Type.String(),
  label: Type.String(),
  labelEn: Type.String(),
  count: Type.Number(),
});

export const SearchResultSchema = Type.Object({
  total: Type.Number(),
  page: Type.Number(),
  pageSize: Type.Number(),
  results: Type.Array(
    Type.Evaluate(
      Type.Intersect([
        DatasetSummarySchema,
        Type.Object({
          highlight: Type.Object({
            title: HighlightSchema,
            titleEn: HighlightSchema,
            description: HighlightSchema,
            descriptionEn: HighlightSchema,
          }),
        }),
      ]),
    ),
  ),
  facets: Type.Record(Type.String(), Type.Array(FacetCountSchema)),
  /** How the query matched: full text, or trigram similarity for typos and very short queries. */
  matchedBy: literalUnion(['all', 'fulltext', 'trigram'] as const),
});
export type SearchResultDto = Static<typeof SearchResultSchema>;

export const PortalOverviewSchema = Type.Object({
  total: Type.Number(),
  byTheme: Type.Array(FacetCountSchema),
  byDepartment: Type.Array(FacetCountSchema),
  newest: Type.Array(DatasetSummarySchema),
  mostUsed: Type.Array(DatasetSummarySchema),
});
export type PortalOverviewDto = Static<typeof PortalOverviewSchema>;

export * from './catalog-requests.ts';
