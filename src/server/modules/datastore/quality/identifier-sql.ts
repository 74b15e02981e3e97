import { type RawBuilder, sql } from 'kysely';
import { textLiteral } from '../types/sql-text.ts';

// The national identifier and phone checks of contracts/identifiers.ts, as SQL over a text value.
// They run inside the one aggregate pass that profiles a table, so a million IDs are checked where
// they are stored instead of being streamed to Node in pages and back; property tests hold them
// equal to the JS validators on both engines. Every CASE arm guards the casts after it (CASE
// evaluates its arms in order), so no value can make the pass raise.
//
// Shapes are checked with translate() and byte lengths rather than regular expressions: PostgreSQL
// rebuilds a DFA per value for patterns with counted repetitions, which costs more than the whole
// checksum. The phone patterns use only constructs that mean the same in JS and PostgreSQL's ARE
// (ASCII classes, literals, groups, alternation, ? and {m,n}): the JS twin compiles the same sources.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Mainland telephone numbers: mobiles (optionally +86, optionally grouped 3-4-4 by a space or
 * hyphen), landlines (optional area code 0xx/0xxx, bare or in parentheses, 7–8 digit local number
 * not starting with 0 or 1, optional -extension), 400/800 service numbers, and short public service
 * numbers (110, 12345, 95598 …).
 */
export const PHONE_PATTERNS = [
  '^(\\+?86[ -]?)?1[3-9][0-9]([ -]?[0-9]{4}){2}$',
  '^(0[1-9][0-9]{1,2}[ -]?|\\(0[1-9][0-9]{1,2}\\) ?)?[2-9][0-9]{6,7}(-[0-9]{1,6})?$',
  '^[48]00[ -]?[0-9]{3}[ -]?[0-9]{4}$',
  '^(1[0-2][0-9]|1[0-2][0-9]{3}|95[0-9]{3,4})$',
] as const;

const PHONE_RE = PHONE_PATTERNS.map((p) => new RegExp(p));
/** JS twin of phoneValidSql. */
export const isValidPhone = (value: string) => PHONE_RE.some((re) => re.test(value));

const digit = (v: RawBuilder<unknown>, position: number) => sql`substr(${v}, ${sql.lit(position)}, 1)::int`;

/** Weighted sum of the first 17 characters, each mapped to a number by `value`. */
function weightedSum(weights: number[], value: (position: number) => RawBuilder<unknown>) {
  return sql.join(
    weights.map((w, i) => sql`${value(i + 1)} * ${sql.lit(w)}`),
    sql` + `,
  );
}

const DIGITS = '0123456789';
const MONTH_DAYS = sql.raw(`'{31,29,31,30,31,30,31,31,30,31,30,31}'::int[]`);
/** True when `part` holds only characters of `allowed` (translate is cheaper than a regex per value). */
const only = (part: RawBuilder<unknown>, allowed: string) =>
  sql`translate(${part}, ${textLiteral(allowed)}, '') = ''`;
/** Today as YYYYMMDD in UTC, as the JS validator compares birth dates (Date.UTC against Date.now()). */
const todayUtc = () => new Date().toISOString().slice(0, 10).replaceAll('-', '');

/** GB 11643 as residentIdProblem() judges it: shape, a real birth date from 1800 to today, check character. */
export function residentIdValidSql(v: RawBuilder<unknown>): RawBuilder<boolean> {
  const year = sql`substr(${v}, 7, 4)::int`;
  const month = sql`substr(${v}, 11, 2)::int`;
  const day = sql`substr(${v}, 13, 2)::int`;
  const leap = sql`(${year} % 4 = 0 and (${year} % 100 <> 0 or ${year} % 400 = 0))`;
  const sum = weightedSum(ID_WEIGHTS, (p) => digit(v, p));
  // 18 bytes of which the first 17 are ASCII digits: 18 characters.
  return sql<boolean>`case
    when ${v} is null then null
    when octet_length(${v}) <> 18 or ascii(${v}) not between 49 and 57
      or not ${only(sql`left(${v}, 17)`, DIGITS)} or not ${only(sql`right(${v}, 1)`, `${DIGITS}X`)} then false
    when ${year} < 1800 or ${month} not between 1 and 12 then false
    when ${day} < 1 or ${day} > (${MONTH_DAYS})[${month}] or (${month} = 2 and ${day} = 29 and not ${leap}) then false
    when (substr(${v}, 7, 8) collate "C") > ${todayUtc()} then false
    else substr(${textLiteral(ID_CHECK)}, (${sum}) % 11 + 1, 1) = substr(${v}, 18, 1)
  end`;
}

/** GB 32100 as usccProblem() judges it: alphabet and shape, check character. */
export function usccValidSql(v: RawBuilder<unknown>): RawBuilder<boolean> {
  const code = (p: number) => sql`(strpos(${textLiteral(USCC_CHARS)}, substr(${v}, ${sql.lit(p)}, 1)) - 1)`;
  const sum = weightedSum(USCC_WEIGHTS, code);
  // Only alphabet characters (all ASCII), 18 of them, the third to eighth digits.
  return sql<boolean>`case
    when ${v} is null then null
    when octet_length(${v}) <> 18 or not ${only(v, USCC_CHARS)} or not ${only(sql`substr(${v}, 3, 6)`, DIGITS)} then false
    else substr(${textLiteral(USCC_CHARS)}, (31 - (${sum}) % 31) % 31 + 1, 1) = substr(${v}, 18, 1)
  end`;
}

/** Whether a value is a telephone number of one of PHONE_PATTERNS. */
export function phoneValidSql(v: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    PHONE_PATTERNS.map((p) => sql`${v} ~ ${textLiteral(p)}`),
    sql` or `,
  )})`;
}
