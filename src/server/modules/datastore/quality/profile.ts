import { type RawBuilder, sql } from 'kysely';
import type { DatastoreType } from '../../../../contracts/datastore.ts';
import type { ColumnProfile, QualityRule } from '../../../../contracts/datastore-quality.ts';
import type { Db } from '../../../platform/db.ts';
import { DATASTORE_SCHEMA, versionName, versionTable } from '../table-names.ts';
import type { ColumnExtremes } from '../typed-load/value-extremes.ts';
import { type ColumnDecision, decideColumnTypes, hasIdentifierHint, inferenceQuery } from '../types/index.ts';
import { isRowRule, violationSql } from './rules.ts';

// What a table holds, column by column. One plain aggregate pass gives non-null counts, min/max
// (lengths for text) and the violations of every row rule; it classifies nothing, so PostgreSQL
// runs it in parallel at close to the speed of reading. Type conformity of text columns comes from
// the load's own inference pass (inferenceQuery + decideColumnTypes, the maskSql classifier),
// run over the text columns only (of a sample of about EXACT_ROWS rows above that): "would fit integer"
// means exactly what it meant when the file was loaded. Distinct counts and most common values come from a grouped pass on tables up to
// EXACT_ROWS rows and from the planner's statistics (gathered by the ANALYZE every load runs) above
// that, marked estimated.

/** Up to this many rows, distinct counts, most common values and type conformity are exact. */
export const EXACT_ROWS = 100_000;
const TOP_VALUES = 5;
/** Values longer than this are cut in most-common lists and examples. */
export const VALUE_CHARS = 200;
/** Columns per aggregate statement: PostgreSQL allows 1,664 entries in a select list. */
const COLUMNS_PER_PASS = 60;

/** A column as profiling needs it (a dictionary entry will do). */
export interface ProfiledColumn {
  id: string;
  label: string;
  type: DatastoreType;
}

export type ColumnFacts = Omit<ColumnProfile, 'access'>;

export interface TableProfile {
  rows: number;
  columns: ColumnFacts[];
  /** Violations of each row rule (index into the rules given), from the same pass. */
  violations: Map<number, number>;
}

const alias = (prefix: string, i: number) => sql.id(`${prefix}${i}`);
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

/** Min and max as text, typed comparison (booleans: false < true; text: lengths, separately). */
function extremes(v: RawBuilder<unknown>, type: DatastoreType, i: number) {
  if (type === 'text')
    return sql`min(length(${v})) as ${alias('ln', i)}, max(length(${v})) as ${alias('hn', i)}`;
  if (type === 'boolean')
    return sql`bool_and(${v})::text as ${alias('lo', i)}, bool_or(${v})::text as ${alias('hi', i)}`;
  const t =
    type === 'numeric' ? (x: RawBuilder<unknown>) => sql`trim_scale(${x})` : (x: RawBuilder<unknown>) => x;
  return sql`${t(sql`min(${v})`)}::text as ${alias('lo', i)}, ${t(sql`max(${v})`)}::text as ${alias('hi', i)}`;
}

interface PassRow {
  [key: string]: unknown;
}

/** One aggregate statement over a slice of the columns and the row rules on them. */
async function aggregatePass(
  db: Db,
  table: RawBuilder<unknown>,
  slice: { column: ProfiledColumn; index: number }[],
  rules: { rule: QualityRule; index: number; column: ProfiledColumn }[],
): Promise<PassRow> {
  const aggregates = [
    sql`count(*) as rows`,
    ...slice.flatMap(({ column, index }) => [
      sql`count(${sql.id(column.id)}) as ${alias('n', index)}`,
      extremes(sql.id(column.id), column.type, index),
    ]),
    ...rules.map(
      (r) =>
        sql`count(*) filter (where ${violationSql(r.rule, sql.id(r.column.id))}) as ${alias('r', r.index)}`,
    ),
  ];
  const result = await sql<PassRow>`select ${sql.join(aggregates)} from ${table}`.execute(db);
  return result.rows[0] ?? {};
}

/**
 * Per text column, the type most of its values fit and the share that do, as the load would decide
 * it now. Null candidate, 100%: text by nature (free text) or on purpose (codes, ID and phone
 * numbers, a header naming a code, a steward's choice of text).
 */
async function textConformity(db: Db, table: RawBuilder<unknown>, columns: readonly ProfiledColumn[]) {
  // Null tokens became NULL when the table was built: what is left is a value.
  const rows = (
    await inferenceQuery(
      table,
      columns.map((c) => c.id),
      [],
    ).execute(db)
  ).rows;
  return decideColumnTypes(
    rows,
    columns.map((c) => c.label),
  ).map((d, i) => fitOf(d, columns[i]!.label));
}

/** A text column's candidate type and conformity from the inference's decision on its values. */
function fitOf(
  d: Pick<ColumnDecision, 'type' | 'candidate' | 'nonNull' | 'disagreeing'>,
  label: string,
): TextFit {
  if (d.nonNull === 0) return { candidate: null, conformity: null };
  const codeLabel = (d.candidate === 'integer' || d.candidate === 'bigint') && hasIdentifierHint(label);
  if (d.type !== 'text' || !d.candidate || codeLabel) return { candidate: null, conformity: 100 };
  return { candidate: d.candidate, conformity: pct(d.nonNull - d.disagreeing, d.nonNull) };
}

type TextFit = { candidate: DatastoreType | null; conformity: number | null };

/**
 * What the load that built a version decided about each column from every one of its values: the
 * profile of that version takes text columns' conformity from it (exact) instead of classifying a
 * sample again.
 */
export interface LoadDecisions {
  version: number;
  columns: readonly (Pick<ColumnDecision, 'type' | 'candidate' | 'nonNull' | 'disagreeing'> & {
    id: string;
    label: string;
  })[];
  /** The version's rows and, per column id, the extremes the typed load saw it write (typed-load/). */
  rows?: number;
  extremes?: Readonly<Record<string, ColumnExtremes>>;
}

/** A column's non-null count and extremes as the load that wrote the version saw them. */
type LoadedFacts = ColumnExtremes & { nonNull: number };

/** The columns whose figures the load already has (same version, same type), by position. */
function loadedFacts(columns: readonly ProfiledColumn[], version: number, known?: LoadDecisions) {
  const facts = new Map<number, LoadedFacts>();
  if (known?.version !== version || known.rows === undefined || !known.extremes) return facts;
  for (const [i, c] of columns.entries()) {
    const decided = known.columns.find((d) => d.id === c.id);
    const extremes = known.extremes[c.id];
    if (decided && extremes && decided.type === c.type)
      facts.set(i, { ...extremes, nonNull: decided.nonNull });
  }
  return facts;
}

/** Distinct counts and the most common values, exactly, in one grouped pass (small tables). */
async function exactValues(db: Db, table: RawBuilder<unknown>, columns: readonly ProfiledColumn[]) {
  // Each column is grouped by its own typed values (hashing numbers and dates, not their text; and
  // 1.0 and 1.00 are one numeric value); only the five kept per column are turned into text.
  const shown = (c: ProfiledColumn) => (c.type === 'numeric' ? sql`trim_scale(v)::text` : sql`v::text`);
  const branches = columns.map(
    (
      c,
      i,
    ) => sql`(select ${sql.lit(i)} as i, left(${shown(c)}, ${sql.lit(VALUE_CHARS)}) as v, n, groups from (
      select ${sql.id(c.id)} as v, count(*) as n, count(*) over () as groups,
             row_number() over (order by count(*) desc, ${sql.id(c.id)}${c.type === 'text' ? sql` collate "C"` : sql``}) as rank
      from ${table} where ${sql.id(c.id)} is not null group by ${sql.id(c.id)}
    ) g where rank <= ${sql.lit(TOP_VALUES)} order by rank)`,
  );
  const result = await sql<{ i: number; v: string; n: number; groups: number }>`${sql.join(
    branches,
    sql` union all `,
  )}`.execute(db);
  const out = columns.map(() => ({ distinct: 0, mostCommon: [] as { value: string; count: number }[] }));
  for (const r of result.rows) {
    const o = out[Number(r.i)]!;
    o.distinct = Number(r.groups);
    // A value seen once is not "common": unique columns list none.
    if (Number(r.n) > 1) o.mostCommon.push({ value: r.v, count: Number(r.n) });
  }
  return out;
}

interface StatsRow {
  attname: string;
  n_distinct: number | null;
  vals: string[] | null;
  freqs: number[] | null;
}

/** Distinct counts and most common values from pg_stats (ANALYZE samples 30,000 rows whatever the size). */
async function estimatedValues(
  db: Db,
  distributionId: string,
  version: number,
  columns: readonly ProfiledColumn[],
  rows: number,
) {
  const read = () =>
    sql<StatsRow>`select attname::text as attname, n_distinct::float8 as n_distinct,
        array_to_json(most_common_vals::text::text[]) as vals, array_to_json(most_common_freqs) as freqs
      from pg_stats where schemaname = ${DATASTORE_SCHEMA} and tablename = ${versionName(distributionId, version)}`.execute(
      db,
    );
  let stats = (await read()).rows;
  // A re-cast column (dictionary type change) loses its statistics until the next ANALYZE.
  if (columns.some((c) => !stats.some((s) => s.attname === c.id))) {
    await sql`analyze ${versionTable(distributionId, version)}`.execute(db);
    stats = (await read()).rows;
  }
  return columns.map((c) => {
    const s = stats.find((x) => x.attname === c.id);
    if (!s) return { distinct: null, mostCommon: [] };
    const nd = Number(s.n_distinct ?? 0);
    const values = (s.vals ?? []).map((value, k) => ({
      value: Array.from(value).slice(0, VALUE_CHARS).join(''),
      count: Math.round(Number(s.freqs?.[k] ?? 0) * rows),
    }));
    return {
      distinct: Math.round(nd >= 0 ? nd : -nd * rows),
      mostCommon: values.filter((x) => x.count > 1).slice(0, TOP_VALUES),
    };
  });
}

/** Columns in groups of at most COLUMNS_PER_PASS (none: no groups). */
function slicesOf<T>(columns: readonly T[]): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < columns.length; start += COLUMNS_PER_PASS)
    slices.push(columns.slice(start, start + COLUMNS_PER_PASS));
  return slices;
}

/**
 * Profiles version `version` of a distribution's table and counts the violations of the row rules
 * among `rules` (those that suit their column; the caller decides which).
 */
export async function profileTable(
  db: Db,
  distributionId: string,
  version: number,
  columns: readonly ProfiledColumn[],
  rules: readonly { rule: QualityRule; index: number }[] = [],
  known?: LoadDecisions,
): Promise<TableProfile> {
  const table = versionTable(distributionId, version);
  const indexed = columns.map((column, index) => ({ column, index }));
  const rowRules = rules
    .filter((r) => isRowRule(r.rule))
    .map((r) => ({ ...r, position: columns.findIndex((c) => c.id === r.rule.column) }))
    .filter((r) => r.position >= 0)
    .map((r) => ({ ...r, column: columns[r.position]! }));
  const slices = slicesOf(indexed);
  // Figures the load saw as it wrote the rows need no reading; rules and other columns do.
  const loaded = loadedFacts(columns, version, known);
  const pending = slicesOf(indexed.filter((c) => !loaded.has(c.index)));
  const passes: PassRow[] = [];
  for (const [n, slice] of pending.entries()) {
    const inSlice = rowRules.filter(
      (r) => slice.some((c) => c.index === r.position) || (n === 0 && loaded.has(r.position)),
    );
    passes.push(await aggregatePass(db, table, slice, inSlice));
  }
  if (pending.length === 0 && (rowRules.length > 0 || loaded.size === 0))
    passes.push(await aggregatePass(db, table, [], rowRules));
  const merged: PassRow = Object.assign(loaded.size > 0 ? { rows: known?.rows } : {}, ...passes);
  const rows = num(merged.rows);
  const estimated = rows > EXACT_ROWS;
  // Classifying is what costs (identifiers try several patterns): above EXACT_ROWS a sample of about
  // that many rows is classified, so the cost stops growing with the table. The rows are picked by a
  // hash of _id — as random as TABLESAMPLE BERNOULLI and as repeatable, but a plain filter, which
  // PostgreSQL runs in parallel workers (a sample scan it does not).
  const classified = estimated
    ? sql`(select * from ${table} where (hashint8(_id::bigint) & 2147483647) < ${sql.lit(Math.round((2 ** 31 * EXACT_ROWS) / rows))}) as sample`
    : table;
  const fits = new Map<number, TextFit>();
  const byLoad = known?.version === version ? new Map(known.columns.map((c) => [c.id, c])) : undefined;
  for (const slice of slices) {
    const text = slice.filter((c) => c.column.type === 'text');
    if (!text.length) continue;
    const fromLoad = text.map((c) => byLoad?.get(c.column.id));
    if (fromLoad.every((d, k) => d?.type === 'text' && d.label === text[k]!.column.label)) {
      for (const [k, c] of text.entries()) fits.set(c.index, fitOf(fromLoad[k]!, c.column.label));
      continue;
    }
    const decided = await textConformity(
      db,
      classified,
      text.map((c) => c.column),
    );
    for (const [k, c] of text.entries()) fits.set(c.index, decided[k]!);
  }
  const values = !estimated
    ? columns.length
      ? await exactValues(db, table, columns)
      : []
    : await estimatedValues(db, distributionId, version, columns, rows);
  const profiles = columns.map((c, i): ColumnFacts => {
    const load = loaded.get(i);
    const nonNull = load ? load.nonNull : num(merged[`n${i}`]);
    const text = c.type === 'text';
    const fit = (text && fits.get(i)) || { candidate: null, conformity: nonNull ? 100 : null };
    const val = values[i] ?? { distinct: null, mostCommon: [] };
    return {
      id: c.id,
      label: c.label,
      type: c.type,
      nonNull,
      nulls: rows - nonNull,
      completeness: pct(nonNull, rows),
      ...(load
        ? { min: load.min, max: load.max, minLength: load.minLength, maxLength: load.maxLength }
        : {
            min: text ? null : ((merged[`lo${i}`] as string | null) ?? null),
            max: text ? null : ((merged[`hi${i}`] as string | null) ?? null),
            minLength: text && nonNull ? num(merged[`ln${i}`]) : null,
            maxLength: text && nonNull ? num(merged[`hn${i}`]) : null,
          }),
      distinct: val.distinct,
      mostCommon: val.mostCommon,
      estimated,
      ...fit,
    };
  });
  return {
    rows,
    columns: profiles,
    violations: new Map(rowRules.map((r) => [r.index, num(merged[`r${r.index}`])])),
  };
}
