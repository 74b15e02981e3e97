import { type RawBuilder, sql } from 'kysely';
import type { ColumnType } from './classify.ts';
import { maskSql } from './classify-sql.ts';
import { BIT, TRUE_WORDS } from './patterns.ts';
import { columnRef, inList, onTrimmed, relation, textOrNull, trimmed } from './sql-text.ts';

// Casts from staged text to a column type. Every cast is guarded by the classifier itself: a value
// is converted only when its class has the type's bit, so a cast never meets input it could reject
// (2023-02-30, 24:00:01, an int4 overflow, 1e400 in an integer column, NaN…) — it yields NULL
// instead. Null tokens become NULL. Text keeps the value as the file had it, untrimmed.

export interface CastOptions {
  /** The column is already trimmed (a column of trimmedStaging), so the cast skips its own check. Ignored for text. */
  trimmed?: boolean;
}

/** `t` (trimmed, repeatable) converted to `type`, for a value whose class has the type's bit. */
function convert(t: RawBuilder<unknown>, type: Exclude<ColumnType, 'text'>): RawBuilder<unknown> {
  switch (type) {
    case 'integer':
      return sql`replace(${t}, ',', '')::integer`;
    case 'bigint':
      return sql`replace(${t}, ',', '')::bigint`;
    case 'numeric':
      return sql`replace(${t}, ',', '')::numeric`;
    case 'boolean':
      return inList(sql`lower(${t})`, TRUE_WORDS);
    case 'date':
      return dateOf(t);
    case 'timestamp': {
      // The date and the time are read apart: PostgreSQL's timestamp input has opinions about
      // 2023.5.21 10:30 that its date and time inputs do not.
      const spaced = sql`replace(${t}, 'T', ' ')`;
      return sql`case when substr(${t}, 5, 1) = '-' then ${t}::timestamp
        else ${dateOf(sql`split_part(${spaced}, ' ', 1)`)} + coalesce(nullif(split_part(${spaced}, ' ', 2), '')::time, '00:00') end`;
    }
    case 'time':
      return sql`${t}::time`;
  }
}

// A year of four digits first is read as year-month-day whatever DateStyle says.
const dateOf = (t: RawBuilder<unknown>) =>
  sql`(case when substr(${t}, 5, 1) = '-' then ${t} else translate(${t}, '/.年月日', '----') end)::date`;

/** Total cast of a trimmed value expression: NULL unless the value has the type's class bit. */
function castTrimmed(
  t: RawBuilder<unknown>,
  type: Exclude<ColumnType, 'text'>,
  nullTokens: readonly string[],
) {
  return sql`case when (${maskSql(t, nullTokens)} & ${sql.raw(String(BIT[type]))}) <> 0 then ${convert(t, type)} end`;
}

/** Total cast of a staged text column to `type`: never raises; NULL for null tokens and misfits. */
export function castExpression(
  stagingColumn: string | RawBuilder<unknown>,
  type: ColumnType,
  nullTokens: readonly string[],
  options: CastOptions = {},
): RawBuilder<unknown> {
  const value = columnRef(stagingColumn);
  if (type === 'text') return textOrNull(value, nullTokens);
  if (options.trimmed) return castTrimmed(value, type, nullTokens);
  return onTrimmed(value, (t) => castTrimmed(t, type, nullTokens));
}

/**
 * The staging table as a subquery with `_row` and every column trimmed once — except text columns
 * (per `types`), which keep their value. Cast its columns with `{ trimmed: true }`. Faster on PGlite
 * (measured 6.1 s against 9.8 s for 100,000 × 20); slower on PostgreSQL, where the OFFSET 0 fence
 * keeps the casts out of parallel workers (45.8 s against 21.0 s for 1,000,000 × 20).
 */
export function trimmedStaging(
  stagingTable: string | RawBuilder<unknown>,
  stagingColumns: readonly string[],
  types?: readonly ColumnType[],
): RawBuilder<unknown> {
  const cols = stagingColumns.map((c, i) =>
    types?.[i] === 'text' ? sql.id(c) : sql`${trimmed(sql.id(c))} as ${sql.id(c)}`,
  );
  return sql`(select _row, ${sql.join(cols)} from ${relation(stagingTable)} offset 0)`;
}

/** Rows (`_row`, `value`) whose value is not null and does not fit `candidate`, by row number. */
export function disagreementsQuery(
  stagingTable: string | RawBuilder<unknown>,
  stagingColumn: string,
  candidate: ColumnType,
  nullTokens: readonly string[],
  limit: number,
): RawBuilder<{ _row: number | string; value: string }> {
  const col = sql.id(stagingColumn);
  // No subquery to trim the value once: onTrimmed needs none, and a plain filter lets PostgreSQL
  // classify the rows in parallel workers (this pass reads every row of a large file).
  const fits =
    candidate === 'text'
      ? sql`true`
      : onTrimmed(
          col,
          (t) => sql`(${maskSql(t, nullTokens)} & ${sql.raw(String(BIT.null | BIT[candidate]))}) <> 0`,
        );
  return sql`select _row, ${col} as value
    from ${relation(stagingTable)}
    where not ${fits}
    order by _row
    limit ${sql.lit(Math.max(0, Math.floor(limit)))}`;
}

/** A typed column converted to `toType` through its text form; NULL where the value does not fit. */
export function recastExpression(
  column: string | RawBuilder<unknown>,
  toType: ColumnType,
  nullTokens: readonly string[],
): RawBuilder<unknown> {
  const asText = sql`(${columnRef(column)})::text`;
  if (toType === 'text') return asText;
  return castExpression(asText, toType, nullTokens);
}

export interface RecastCheck {
  /** Values that would become NULL. */
  count: number;
  /** The first of them by key. */
  examples: { key: string | number; value: string }[];
}

/** Counts the values of `column` that would not survive recasting to `toType`, with examples. */
export function recastCheckQuery(
  table: string | RawBuilder<unknown>,
  column: string,
  toType: ColumnType,
  nullTokens: readonly string[],
  limit: number,
  keyColumn = '_id',
): RawBuilder<RecastCheck> {
  const col = sql.id(column);
  const fits =
    toType === 'text'
      ? sql`true`
      : sql`(${maskSql(sql.ref('s.t'), nullTokens)} & ${sql.raw(String(BIT.null | BIT[toType]))}) <> 0`;
  return sql`with bad as (
      select s.key, s.value
      from (
        select ${sql.id(keyColumn)} as key, ${col}::text as value, ${trimmed(sql`${col}::text`)} as t
        from ${relation(table)} where ${col} is not null offset 0
      ) s
      where not ${fits}
    )
    select (select count(*) from bad)::int as count,
      coalesce((select json_agg(x) from (select key, value from bad order by key limit ${sql.lit(Math.max(0, Math.floor(limit)))}) x), '[]'::json) as examples`;
}
