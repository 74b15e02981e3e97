import { type Static, Type } from 'typebox';
import { literalUnion, Nullable, Uuid } from './common.ts';
import { DATASTORE_TYPES } from './datastore-values.ts';

// API shapes of DataStore quality: the rules a steward sets per column, the profile and rule results
// computed after every load, and the score (uData's model: criteria with weights, 0–100, each
// criterion's own result shown so the score explains itself).

export const QUALITY_RULE_KINDS = [
  'pattern',
  'range',
  'enum',
  'resident_id',
  'uscc',
  'phone',
  'date_range',
  'not_null',
  'unique',
] as const;
export type QualityRuleKind = (typeof QUALITY_RULE_KINDS)[number];

const Column = Type.String({ minLength: 1, maxLength: 63 });
const IsoDate = Type.String({ format: 'date' });
const closed = { additionalProperties: false } as const;
const kindOf = <K extends QualityRuleKind>(kind: K) => ({ column: Column, kind: Type.Literal(kind) });

/** One rule on one column. Regular expressions are PostgreSQL's (ARE) and are always bound, never pasted. */
export const QualityRuleSchema = Type.Union([
  Type.Object({ ...kindOf('pattern'), regex: Type.String({ minLength: 1, maxLength: 500 }) }, closed),
  Type.Object(
    { ...kindOf('range'), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) },
    closed,
  ),
  Type.Object(
    {
      ...kindOf('enum'),
      values: Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 200 }),
    },
    closed,
  ),
  Type.Object(kindOf('resident_id'), closed),
  Type.Object(kindOf('uscc'), closed),
  Type.Object(kindOf('phone'), closed),
  Type.Object({ ...kindOf('date_range'), from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }, closed),
  Type.Object(kindOf('not_null'), closed),
  Type.Object(kindOf('unique'), closed),
]);
export type QualityRule = Static<typeof QualityRuleSchema>;

/** PUT body: the table's whole rule set (replaces the previous one). */
export const QualityRulesBody = Type.Object(
  { rules: Type.Array(QualityRuleSchema, { maxItems: 200 }) },
  { additionalProperties: false },
);
export type QualityRulesInput = Static<typeof QualityRulesBody>;

const ValueCount = Type.Object({ value: Type.String(), count: Type.Number() });

/** What one aggregate pass found in a column. Percentages are 0–100. */
export const ColumnProfileSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  type: literalUnion(DATASTORE_TYPES),
  nonNull: Type.Number(),
  nulls: Type.Number(),
  completeness: Type.Number(),
  /** Smallest and largest value as text (numbers, dates, times, booleans); null for text. */
  min: Nullable(Type.String()),
  max: Nullable(Type.String()),
  /** Shortest and longest value in characters (text columns). */
  minLength: Nullable(Type.Number()),
  maxLength: Nullable(Type.Number()),
  distinct: Nullable(Type.Number()),
  mostCommon: Type.Array(ValueCount),
  /** Large tables: distinct count and most common values from the planner's statistics, conformity from a sample. */
  estimated: Type.Boolean(),
  /** The type the values would fit (text columns with mostly typed values), and the share that do. */
  candidate: Nullable(literalUnion(DATASTORE_TYPES)),
  conformity: Nullable(Type.Number()),
  /** How the caller sees the column: values of masked ones (min/max, most common) are left out. */
  access: literalUnion(['clear', 'masked'] as const),
});
export type ColumnProfile = Static<typeof ColumnProfileSchema>;

export const RuleResultSchema = Type.Object({
  rule: QualityRuleSchema,
  /** skipped: the column is gone, or its type no longer suits the rule. */
  status: literalUnion(['checked', 'skipped'] as const),
  reason: Type.Optional(literalUnion(['unknown_column', 'type_mismatch'] as const)),
  /** Values examined (non-null values; every row for not_null). */
  checked: Type.Number(),
  violations: Type.Number(),
  /** Share of examined values that keep the rule, 0–100. */
  conformity: Nullable(Type.Number()),
  /** The first violating rows by _id (values masked as the caller's view masks them). */
  examples: Type.Array(Type.Object({ id: Type.Number(), value: Nullable(Type.String()) })),
});
export type RuleResult = Static<typeof RuleResultSchema>;

export const QUALITY_CRITERIA = [
  'licence',
  'description_zh',
  'description_en',
  'temporal_coverage',
  'spatial_coverage',
  'update_cycle_kept',
  'open_format',
  'documentation',
  'contact',
  'completeness',
  'rule_conformity',
  'type_conformity',
  'timeliness',
] as const;
export type QualityCriterionId = (typeof QUALITY_CRITERIA)[number];

export const QualityCriterionSchema = Type.Object({
  id: literalUnion(QUALITY_CRITERIA),
  group: literalUnion(['metadata', 'data'] as const),
  weight: Type.Number(),
  /** 0–1; null when the criterion does not apply (then it counts neither way). */
  value: Nullable(Type.Number()),
  status: literalUnion(['pass', 'partial', 'fail', 'not_applicable'] as const),
  /** Points earned out of `weight`. */
  points: Type.Number(),
  /** The figures the value came from, for the UI to explain it. */
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
});
export type QualityCriterion = Static<typeof QualityCriterionSchema>;

export const QualityScoreSchema = Type.Object({
  /** 0–100: points earned over the weights of the criteria that apply. */
  total: Type.Number(),
  criteria: Type.Array(QualityCriterionSchema),
});
export type QualityScore = Static<typeof QualityScoreSchema>;

export const DatastoreQualitySchema = Type.Object({
  distributionId: Uuid,
  datasetId: Uuid,
  /** The version profiled; null until the first computation. */
  version: Nullable(Type.Number()),
  computedAt: Nullable(Type.String()),
  durationMs: Nullable(Type.Number()),
  rows: Type.Number(),
  columns: Type.Array(ColumnProfileSchema),
  rules: Type.Array(RuleResultSchema),
  /** This table's score (the resource's metadata and this table's data). */
  score: Nullable(QualityScoreSchema),
  /** The resource's score over all its tables, as catalog search shows it. */
  datasetScore: Nullable(Type.Number()),
  /** Why the last computation failed, if it did (the load itself succeeded). */
  error: Nullable(Type.String()),
  canEdit: Type.Boolean(),
});
export type DatastoreQuality = Static<typeof DatastoreQualitySchema>;
