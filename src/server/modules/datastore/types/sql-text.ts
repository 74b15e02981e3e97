import { type RawBuilder, sql } from 'kysely';
import { normalizeNullTokens } from './classify.ts';
import { TRIM_CHARS } from './patterns.ts';

// Building blocks for SQL text. Labels and null tokens come from users, so every literal goes
// through textLiteral and every name through sql.id.

/**
 * A string constant as an escape string (E'…') with every backslash and quote doubled: its meaning
 * does not depend on standard_conforming_strings. PostgreSQL text cannot hold NUL, so refuse it.
 */
export function textLiteral(value: string): RawBuilder<string> {
  if (value.includes('\u0000')) throw new Error('a SQL text constant cannot contain NUL');
  return sql.raw(`E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`);
}

const TRIM_LITERAL = textLiteral(TRIM_CHARS);

/** The value with TRIM_CHARS stripped from both ends (as trimValue does). */
export const trimmed = (value: RawBuilder<unknown>): RawBuilder<string> =>
  sql`btrim(${value}, ${TRIM_LITERAL})`;

// Code points 0–32 and those above 32 that TRIM_CHARS holds (no-break, ideographic space, BOM).
// One list, so that ascii(right(value, 1)) — which walks a multibyte value — is computed once per
// test: PostgreSQL hashes a list this long (about 0.1 µs less per cell, on every cell of a load).
const EDGE_CODES = sql.raw(
  [
    ...Array.from({ length: 33 }, (_, n) => n),
    ...[...TRIM_CHARS].map((c) => c.codePointAt(0)!).filter((n) => n > 32),
  ].join(', '),
);
const isEdge = (code: RawBuilder<unknown>) => sql`(${code} in (${EDGE_CODES}))`;

/**
 * `build(value)` when the value has nothing to trim — almost always — else `build(trimmed value)`.
 * `build` may mention its argument many times: a column reference costs nothing to repeat, where a
 * btrim call would run again at each mention, and no subquery is needed to name the trimmed value
 * (subqueries would keep PostgreSQL from computing the expression in parallel workers, and ALTER
 * TABLE … USING refuses them). Every TRIM_CHARS character is in EDGE_CODES.
 */
export function onTrimmed<T>(
  value: RawBuilder<unknown>,
  build: (t: RawBuilder<unknown>) => RawBuilder<T>,
): RawBuilder<T> {
  return sql<T>`case when not ${isEdge(sql`ascii(${value})`)} and not ${isEdge(sql`ascii(right(${value}, 1))`)}
    then ${build(value)} else ${build(trimmed(value))} end`;
}

/**
 * A text column's value, or NULL when it is a null token once trimmed. Only a value starting with a
 * trim character or with a token's first character can be one, so the rest — nearly every value —
 * is kept after one look at its first character: no trim, and no walk to the end of the value (on
 * long Chinese text, finding the last character was a sixth of a load's build).
 */
export function textOrNull(value: RawBuilder<unknown>, nullTokens: readonly string[]): RawBuilder<unknown> {
  const tokens = normalizeNullTokens(nullTokens);
  if (tokens.length === 0) return value;
  const firsts = [...new Set(tokens.filter((t) => t !== '').map((t) => t.codePointAt(0)!))];
  const codes = sql.join([EDGE_CODES, ...firsts.map((c) => sql.lit(c))]);
  return sql`case when ascii(${value}) in (${codes}) and ${isNullToken(trimmed(value), tokens)} then null else ${value} end`;
}

/** `t in (tokens…)`, or false when there are none. */
export function isNullToken(t: RawBuilder<unknown>, nullTokens: readonly string[]): RawBuilder<boolean> {
  const tokens = normalizeNullTokens(nullTokens);
  if (tokens.length === 0) return sql`false`;
  // Tokens are short and most values are not: one length test spares them the list of comparisons.
  const longest = Math.max(...tokens.map((token) => Buffer.byteLength(token)));
  return sql`(octet_length(${t}) <= ${sql.lit(longest)} and ${t} in (${sql.join(tokens.map(textLiteral))}))`;
}

/** `t in (words…)` for constant word lists. */
export const inList = (t: RawBuilder<unknown>, words: readonly string[]): RawBuilder<boolean> =>
  sql`${t} in (${sql.join(words.map(textLiteral))})`;

/**
 * A relation given as a builder (sql.id/sql.table), or as text in SQL syntax — `name`,
 * `schema.name`, with "double-quoted" parts — which is parsed and re-quoted, never pasted.
 */
export function relation(name: string | RawBuilder<unknown>): RawBuilder<unknown> {
  if (typeof name !== 'string') return name;
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*))\s*(\.|$)/y;
  let at = 0;
  let separator = '.';
  while (separator === '.') {
    re.lastIndex = at;
    const m = re.exec(name);
    if (!m || m[0].length === 0) throw new Error(`not a relation name: ${name}`);
    // Unquoted names fold to lower case, as PostgreSQL folds them.
    parts.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]!.toLowerCase());
    at = re.lastIndex;
    separator = m[3]!;
  }
  if (at < name.length) throw new Error(`not a relation name: ${name}`);
  if (parts.length === 0 || parts.length > 2) throw new Error(`not a relation name: ${name}`);
  return sql.id(...parts);
}

/** A column given as a builder, or as a plain column name (quoted as one identifier). */
export const columnRef = (column: string | RawBuilder<unknown>): RawBuilder<unknown> =>
  typeof column === 'string' ? sql.id(column) : column;
