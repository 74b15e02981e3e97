import { type Static, Type } from 'typebox';
import { literalUnion, Nullable, Uuid } from './common.ts';
import {
  HARVEST_KINDS,
  HARVEST_RUN_STATUSES,
  HARVEST_SCHEDULES,
  HARVEST_TRIGGERS,
} from './harvest-values.ts';

// API shapes of catalog harvesting: sources (remote CKAN or DCAT catalogs whose datasets are
// imported and kept in step) and the log of each run.

export * from './harvest-values.ts';

export const HarvestLimitsSchema = Type.Object(
  {
    maxPages: Type.Integer({ minimum: 1, maximum: 10_000 }),
    maxResponseBytes: Type.Integer({ minimum: 1024, maximum: 200 * 1024 * 1024 }),
    maxSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
    maxDatasets: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);

/** A source's name: a slug, also the prefix of harvested names that clash with local ones. */
export const HarvestSourceName = Type.String({
  minLength: 2,
  maxLength: 50,
  pattern: '^[a-z0-9][a-z0-9_-]*$',
});
const HttpUrl = Type.String({ minLength: 8, maxLength: 2000, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' });

const SourceFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  kind: literalUnion(HARVEST_KINDS),
  /** CKAN: the portal's address (its /api/3/action is found from it). DCAT: the catalog document, or the portal's address (then /catalog.ttl). */
  url: HttpUrl,
  /** The department that owns the imported datasets. */
  departmentId: Uuid,
  schedule: literalUnion(HARVEST_SCHEDULES),
  limits: Type.Partial(HarvestLimitsSchema, { additionalProperties: false }),
};

export const CreateHarvestSourceBody = Type.Object(
  {
    name: HarvestSourceName,
    ...SourceFields,
    schedule: Type.Optional(SourceFields.schedule),
    limits: Type.Optional(SourceFields.limits),
  },
  { additionalProperties: false },
);
export type CreateHarvestSourceInput = Static<typeof CreateHarvestSourceBody>;

/** A partial change; `name` stays. `active: true` brings a deactivated source back. */
export const UpdateHarvestSourceBody = Type.Object(
  {
    title: Type.Optional(SourceFields.title),
    kind: Type.Optional(SourceFields.kind),
    url: Type.Optional(SourceFields.url),
    departmentId: Type.Optional(SourceFields.departmentId),
    schedule: Type.Optional(SourceFields.schedule),
    limits: Type.Optional(SourceFields.limits),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateHarvestSourceInput = Static<typeof UpdateHarvestSourceBody>;

export const HarvestCountsSchema = Type.Object({
  /** Datasets found at the source (after dropping duplicates across pages). */
  gathered: Type.Number(),
  pages: Type.Number(),
  created: Type.Number(),
  updated: Type.Number(),
  unchanged: Type.Number(),
  /** Withdrawn because the source no longer lists them. */
  withdrawn: Type.Number(),
  /** Listed again after having been withdrawn as removed at source: published again. */
  restored: Type.Number(),
  /** Listed at the source but withdrawn here by a person: left alone. */
  skipped: Type.Number(),
  errors: Type.Number(),
});
export type HarvestCounts = Static<typeof HarvestCountsSchema>;

export const HarvestErrorSchema = Type.Object({
  /** gather (reading the source), import (one dataset), withdraw, or run (the platform itself failed). */
  stage: Type.String(),
  /** The remote dataset concerned (CKAN id, DCAT dataset IRI), when it is about one. */
  remoteId: Type.Optional(Type.String()),
  message: Type.String(),
});
export type HarvestError = Static<typeof HarvestErrorSchema>;

export const HarvestRunSchema = Type.Object({
  id: Uuid,
  sourceId: Uuid,
  sourceName: Type.String(),
  status: literalUnion(HARVEST_RUN_STATUSES),
  trigger: literalUnion(HARVEST_TRIGGERS),
  requestedBy: Type.String(),
  jobId: Nullable(Uuid),
  queuedAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  counts: HarvestCountsSchema,
  /** The first 1000 errors; counts.errors has them all. */
  errors: Type.Array(HarvestErrorSchema),
  /** Milliseconds spent gathering, importing and in all. */
  timings: Type.Object({ gatherMs: Type.Number(), importMs: Type.Number(), totalMs: Type.Number() }),
});
export type HarvestRunDto = Static<typeof HarvestRunSchema>;

export const HarvestSourceSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  title: Type.String(),
  kind: literalUnion(HARVEST_KINDS),
  url: Type.String(),
  department: Type.Object({ id: Uuid, code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  schedule: literalUnion(HARVEST_SCHEDULES),
  /** Every limit, defaults filled in. */
  limits: HarvestLimitsSchema,
  active: Type.Boolean(),
  nextRunAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** Datasets imported from this source (any status). */
  datasetCount: Type.Number(),
  lastRun: Nullable(HarvestRunSchema),
});
export type HarvestSourceDto = Static<typeof HarvestSourceSchema>;

export const HarvestSourceListSchema = Type.Object({ sources: Type.Array(HarvestSourceSchema) });
export const HarvestRunListSchema = Type.Object({ runs: Type.Array(HarvestRunSchema) });
export const HarvestRunListQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
  { additionalProperties: false },
);

/** The answer to "run now": the run as queued (or the one already queued or running). */
export const HarvestRunRequestedSchema = Type.Object({
  run: HarvestRunSchema,
  jobId: Uuid,
  /** False when a run of this source was already queued or running; that one is returned. */
  created: Type.Boolean(),
});
export type HarvestRunRequestedDto = Static<typeof HarvestRunRequestedSchema>;
