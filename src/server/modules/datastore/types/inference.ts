import { type RawBuilder, sql } from 'kysely';
import type { ColumnType } from './classify.ts';
import { maskSql } from './classify-sql.ts';
import { hasBooleanHint, hasIdentifierHint } from './label-hints.ts';
import { BIT } from './patterns.ts';
import { columnRef, onTrimmed, relation } from './sql-text.ts';

// One pass over the staging table decides every column's type from all of its values. Each cell is
// classified into a small bit mask, and the rows of each (column, mask) pair are counted — a few
// groups per column whatever the row count. The decision is made in JS from those counts, so
// changing a rule never needs another pass.

/** One group of the inference: `n` cells of column `col` (0-based) had class bits `mask`. */
export interface InferenceRow {
  col: number;
  mask: number;
  n: number | string | bigint;
}

export type TextReason = 'empty' | 'leading_zeros' | 'identifier' | 'label_hint' | 'mixed';

export interface ColumnDecision {
  type: ColumnType;
  /** The type most values had when the column fell back to text because others disagreed. */
  candidate: ColumnType | null;
  nonNull: number;
  nulls: number;
  /** Non-null values that do not fit `candidate`. */
  disagreeing: number;
  reason?: TextReason;
}

export interface DecideOptions {
  /** Let header labels keep integer columns text and make 1/0 columns boolean (default true). */
  labelHints?: boolean;
  /** Share of non-null values the candidate of a mixed column must reach (default 0.5). */
  majority?: number;
}

/**
 * `set local jit = off`, to run first in the transaction of an inference or cast on PostgreSQL:
 * LLVM takes longer to compile these large CASE expressions than they take to run (measured: 19 s
 * with JIT against 6 s without on 200,000 rows × 20 columns). PGlite has no JIT; the setting is harmless.
 */
export const jitOff = () => sql`set local jit = off`;

/** The inference pass: per staging column, the number of cells of each class (InferenceRow). */
export function inferenceQuery(
  stagingTable: string | RawBuilder<unknown>,
  stagingColumns: readonly string[],
  nullTokens: readonly string[],
): RawBuilder<InferenceRow> {
  if (stagingColumns.length === 0) return sql<InferenceRow>`select 0 as col, 0 as mask, 0 as n where false`;
  const k = stagingColumns.map((_, i) => sql.id(`k${i}`));
  const masks = stagingColumns.map(
    (c, i) => sql`${onTrimmed(columnRef(c), (t) => maskSql(t, nullTokens))} as ${k[i]}`,
  );
  // Rows are first grouped by their whole tuple of masks — a plain aggregate, which PostgreSQL
  // splits across parallel workers (the masks computed there too), and which yields few groups
  // since most columns hold one or two classes — and the groups are then unpivoted into
  // (column, mask) counts.
  return sql<InferenceRow>`select v.col, v.mask, sum(g.n)::bigint as n
    from (
      select ${sql.join(k)}, count(*) as n
      from (select ${sql.join(masks)} from ${relation(stagingTable)}) m
      group by ${sql.join(k)}
    ) g
    cross join lateral (values ${sql.join(k.map((x, i) => sql`(${sql.lit(i)}, g.${x})`))}) v(col, mask)
    group by v.col, v.mask
    order by 1, 2`;
}

const NUMBER_TYPES = ['integer', 'bigint', 'numeric'] as const;
const OTHER_TYPES = ['date', 'timestamp', 'time'] as const;
/** Candidate order of a mixed column: on equal counts the narrower type wins. */
const CANDIDATES = ['integer', 'bigint', 'numeric', 'boolean', 'date', 'timestamp', 'time'] as const;

function decideOne(
  histogram: Map<number, number>,
  label: string,
  options: Required<DecideOptions>,
): ColumnDecision {
  let total = 0;
  for (const n of histogram.values()) total += n;
  const nulls = histogram.get(BIT.null) ?? 0;
  const nonNull = total - nulls;
  const count = (pick: (mask: number) => boolean) => {
    let n = 0;
    for (const [mask, c] of histogram) if (mask !== BIT.null && pick(mask)) n += c;
    return n;
  };
  const fits = (bit: number) => count((m) => (m & bit) !== 0);
  const base = { nonNull, nulls, disagreeing: 0 };
  const text = (reason?: TextReason): ColumnDecision => ({
    type: 'text',
    candidate: null,
    ...base,
    ...(reason ? { reason } : {}),
  });
  if (nonNull === 0) return text('empty');

  // 1/0 alone is more often a count or a code than a yes/no: boolean needs a word or the label.
  const words = count((m) => (m & BIT.boolean) !== 0 && (m & BIT.integer) === 0);
  if (fits(BIT.boolean) === nonNull && (words > 0 || (options.labelHints && hasBooleanHint(label)))) {
    return { type: 'boolean', candidate: null, ...base };
  }
  for (const type of NUMBER_TYPES) {
    if (fits(BIT[type]) !== nonNull) continue;
    if (type !== 'numeric') {
      if (options.labelHints && hasIdentifierHint(label)) return text('label_hint');
      if (fits(BIT.identifier) === nonNull) return text('identifier');
    }
    return { type, candidate: null, ...base };
  }
  for (const type of OTHER_TYPES) if (fits(BIT[type]) === nonNull) return { type, candidate: null, ...base };

  const integerLike = fits(BIT.bigint | BIT.leadingZeros | BIT.identifier);
  if (integerLike === nonNull && fits(BIT.leadingZeros) > 0) return text('leading_zeros');
  if (integerLike === nonNull && fits(BIT.identifier) > 0) return text('identifier');

  let best: { type: ColumnType; n: number } | null = null;
  for (const type of CANDIDATES) {
    const n = fits(BIT[type]);
    if (!best || n > best.n) best = { type, n };
  }
  if (best && best.n > 0 && best.n >= nonNull * options.majority) {
    return { type: 'text', candidate: best.type, ...base, disagreeing: nonNull - best.n, reason: 'mixed' };
  }
  return text();
}

/** The type of each column (one per label) from the rows of inferenceQuery. */
export function decideColumnTypes(
  rows: readonly InferenceRow[],
  labels: readonly string[],
  opts: DecideOptions = {},
): ColumnDecision[] {
  const options: Required<DecideOptions> = {
    labelHints: opts.labelHints ?? true,
    majority: opts.majority ?? 0.5,
  };
  const histograms = labels.map(() => new Map<number, number>());
  for (const row of rows) {
    const h = histograms[Number(row.col)];
    if (!h) throw new Error(`inference row for column ${row.col}, but only ${labels.length} labels`);
    const mask = Number(row.mask);
    h.set(mask, (h.get(mask) ?? 0) + Number(row.n));
  }
  return histograms.map((h, i) => decideOne(h, labels[i] ?? '', options));
}
