// The DataStore's type system: which types staged text values fit (classify), what a column becomes
// (inference), total casts into that type and later re-casts (cast), masked views (masking), and
// column ids from header labels.

export {
  type CastOptions,
  castExpression,
  disagreementsQuery,
  type RecastCheck,
  recastCheckQuery,
  recastExpression,
  trimmedStaging,
} from './cast.ts';
export {
  COLUMN_TYPES,
  type ColumnType,
  classifyValue,
  DEFAULT_NULL_TOKENS,
  normalizeNullTokens,
  pgTypeOf,
  trimValue,
  type ValueClass,
} from './classify.ts';
export { maskSql } from './classify-sql.ts';
export { MAX_ID_BYTES, makeColumnIds } from './column-ids.ts';
export {
  type ColumnDecision,
  type DecideOptions,
  decideColumnTypes,
  type InferenceRow,
  inferenceQuery,
  jitOff,
  type TextReason,
} from './inference.ts';
export { hasBooleanHint, hasIdentifierHint } from './label-hints.ts';
export { FULL_MASK, MASK_RULES, type MaskRule, maskExpression, maskValue } from './masking.ts';
export { BIT, FALSE_WORDS, TRIM_CHARS, TRUE_WORDS } from './patterns.ts';
