import { type RawBuilder, sql } from 'kysely';
import {
  BIT,
  DATE_FORMS,
  DATE_SHAPE,
  type DateSeparator,
  FALSE_WORDS,
  INT4_MAX_DIGITS,
  INT4_MIN_DIGITS,
  MAX_BOOLEAN_WORD_BYTES,
  MAX_INTEGER_DIGITS,
  MAX_NUMERIC_LENGTH,
  MAX_SEPARATED_INT8_DIGITS,
  MONTH_DAYS,
  PATTERN,
  TIMESTAMP_SHAPE,
  TRUE_WORDS,
} from './patterns.ts';
import { inList, isNullToken, textLiteral } from './sql-text.ts';

// The SQL classifier: the decision tree of classify.ts, as one CASE expression over a trimmed
// value. It runs on every cell of a staging table, so cheap tests come first: ascii() of the first
// character and octet_length() pick the one or two patterns worth trying, and most values meet a
// single regular expression. The value expression is repeated, so give it a column reference (see
// onTrimmed in sql-text.ts) rather than a function call.

const matches = (t: RawBuilder<unknown>, source: string) => sql<boolean>`${t} ~ ${textLiteral(source)}`;
const re = (t: RawBuilder<unknown>, pattern: keyof typeof PATTERN) => matches(t, PATTERN[pattern]);
const bits = (n: number) => sql.raw(String(n));
const BOOLEAN_WORDS = [...TRUE_WORDS, ...FALSE_WORDS];

const INT4_MAX = textLiteral(INT4_MAX_DIGITS);
const INT4_MIN = textLiteral(INT4_MIN_DIGITS);

/** Bits of an unsigned digit string `u` of `n` digits, no leading zero; `negative` picks the int4 bound. */
function integerBits(
  n: RawBuilder<unknown>,
  u: RawBuilder<unknown>,
  negative: RawBuilder<unknown>,
  maxInt8: number,
) {
  return sql`case
    when ${n} < 10 then ${bits(BIT.numeric | BIT.bigint | BIT.integer)}
    when ${n} = 10 and (${u} collate "C") <= (case when ${negative} then ${INT4_MIN} else ${INT4_MAX} end)
      then ${bits(BIT.numeric | BIT.bigint | BIT.integer)}
    when ${n} <= ${bits(maxInt8)} then ${bits(BIT.numeric | BIT.bigint)}
    else ${bits(BIT.numeric)} end`;
}

// Unsigned integers come first and cheapest: most numbers in a file are short and unsigned.
function unsignedInteger(t: RawBuilder<unknown>) {
  const n = sql`octet_length(${t})`;
  return sql`case
    when ${n} > 1 and ascii(${t}) = 48 then ${bits(BIT.leadingZeros)}
    when ${n} < 10 then ${bits(BIT.numeric | BIT.bigint | BIT.integer)}
      | case when ${t} in ('0', '1') then ${bits(BIT.boolean)} else 0 end
    when ${n} > ${bits(MAX_INTEGER_DIGITS)} then ${bits(BIT.identifier)}
    else ${integerBits(n, t, sql`false`, MAX_INTEGER_DIGITS)}
      | case when (${n} = 11 and ${re(t, 'mobile')}) or (${n} = 15 and ${oldResidentId(t)})
          then ${bits(BIT.identifier)} else 0 end
    end`;
}

function signedInteger(t: RawBuilder<unknown>) {
  const n = sql`(octet_length(${t}) - 1)`;
  return sql`case
    when ${n} > 1 and ascii(substr(${t}, 2, 1)) = 48 then ${bits(BIT.leadingZeros)}
    when ${n} > ${bits(MAX_INTEGER_DIGITS)} then ${bits(BIT.identifier)}
    else ${integerBits(n, sql`substr(${t}, 2)`, sql`ascii(${t}) = 45`, MAX_INTEGER_DIGITS)} end`;
}

const plainInteger = (t: RawBuilder<unknown>) =>
  sql`case when ascii(${t}) in (43, 45) then ${signedInteger(t)} else ${unsignedInteger(t)} end`;

function separatedInteger(t: RawBuilder<unknown>) {
  const signed = sql`(ascii(${t}) in (43, 45))`;
  const n = sql`(octet_length(replace(${t}, ',', '')) - ${signed}::int)`;
  const u = sql`ltrim(replace(${t}, ',', ''), '+-')`;
  return integerBits(n, u, sql`ascii(${t}) = 45`, MAX_SEPARATED_INT8_DIGITS);
}

const leadingZero = (t: RawBuilder<unknown>) => sql`case
    when ascii(${t}) = 48 then ascii(substr(${t}, 2, 1)) between 48 and 57
    when ascii(${t}) in (43, 45) then ascii(substr(${t}, 2, 1)) = 48 and ascii(substr(${t}, 3, 1)) between 48 and 57
    else false end`;

const C = (v: RawBuilder<unknown>) => sql`(${v} collate "C")`;
const oldResidentId = (t: RawBuilder<unknown>) =>
  sql`${C(sql`substr(${t}, 9, 2)`)} between '01' and '12' and ${C(sql`substr(${t}, 11, 2)`)} between '01' and '31'`;

const MONTH_DAYS_SQL = sql.raw(`'{${MONTH_DAYS.join(',')}}'::int[]`);

/** Month and day (text) of a value of date or timestamp shape with separator `sep`. */
function monthDay(t: RawBuilder<unknown>, sep: DateSeparator, timestamp: boolean) {
  if (sep === '年') {
    return [
      sql`split_part(split_part(${t}, '年', 2), '月', 1)`,
      sql`split_part(split_part(${t}, '月', 2), '日', 1)`,
    ];
  }
  const third = sql`split_part(${t}, ${textLiteral(sep)}, 3)`;
  // In a timestamp the day runs into T or a space: keep its one or two digits.
  return [
    sql`split_part(${t}, ${textLiteral(sep)}, 2)`,
    timestamp ? sql`rtrim(left(${third}, 2), 'T ')` : third,
  ];
}

/** validDay of patterns.ts, for month and day given as one or two digits (month 1–12 unless `loose`). */
function validDay(t: RawBuilder<unknown>, [ms, ds]: RawBuilder<unknown>[], loose: boolean) {
  const [m, d] = [sql`${ms}::int`, sql`${ds}::int`];
  const y = sql`left(${t}, 4)::int`;
  const day = sql`(${MONTH_DAYS_SQL})[${m}] >= ${d}
    and (${d} <> 29 or ${m} <> 2 or (${y} % 4 = 0 and (${y} % 100 <> 0 or ${y} % 400 = 0)))`;
  if (!loose) return day;
  // The shape only promised digits: bound their length before casting, in a CASE so it comes first.
  return sql`case when octet_length(${ms}) <= 2 and octet_length(${ds}) <= 2
    then ${m} between 1 and 12 and ${d} >= 1 and ${day} else false end`;
}

/** True when a value whose fifth character is a date separator is a valid date or timestamp. */
function dateOrTimestamp(t: RawBuilder<unknown>) {
  const arms = (Object.keys(DATE_FORMS) as DateSeparator[]).map(
    (sep) => sql`when ${textLiteral(sep)} then case
        when strpos(${t}, ':') = 0 then case when ${matches(t, DATE_SHAPE[sep])}
          then ${validDay(t, monthDay(t, sep, false), true)} else false end
        when ${matches(t, TIMESTAMP_SHAPE[sep])} then ${validDay(t, monthDay(t, sep, true), false)}
        else false end`,
  );
  return sql`case substr(${t}, 5, 1) ${sql.join(arms, sql` `)} else false end`;
}

function numberLike(t: RawBuilder<unknown>) {
  const numberBits = sql`case
      when ${leadingZero(t)} then ${bits(BIT.leadingZeros)}
      when strpos(${t}, ',') > 0 and ${re(t, 'separatedInteger')} then ${separatedInteger(t)}
      else ${bits(BIT.numeric)} end`;
  // The full numeric pattern is the costly one: it only meets values with a separator, a point or
  // an exponent that are not plain decimals.
  return sql`case
    when ${re(t, 'integer')} then ${plainInteger(t)}
    when octet_length(${t}) >= 8 and ${dateOrTimestamp(t)}
      then case when strpos(${t}, ':') = 0 then ${bits(BIT.date | BIT.timestamp)} else ${bits(BIT.timestamp)} end
    when strpos(${t}, ':') > 0 then case when ${re(t, 'time')} then ${bits(BIT.time)} else 0 end
    when octet_length(${t}) > ${bits(MAX_NUMERIC_LENGTH)} then 0
    when ${re(t, 'decimal')} then ${numberBits}
    when strpos(${t}, ',') > 0 and ${re(t, 'separatedInteger')} then ${separatedInteger(t)}
    when (strpos(${t}, '.') > 0 or strpos(${t}, ',') > 0 or strpos(${t}, 'e') > 0 or strpos(${t}, 'E') > 0)
      and ${re(t, 'numeric')} then ${numberBits}
    when octet_length(${t}) = 18 and (${re(t, 'residentIdX')} or ${re(t, 'creditCode')}) then ${bits(BIT.identifier)}
    else 0 end`;
}

/**
 * The class bits (BIT) of a value already trimmed, or NULL-bit when it is missing or a null token;
 * the same number classify.ts computes.
 */
export function maskSql(t: RawBuilder<unknown>, nullTokens: readonly string[]): RawBuilder<number> {
  return sql<number>`case
    when ${t} is null or ${isNullToken(t, nullTokens)} then ${bits(BIT.null)}
    when ascii(${t}) between 48 and 57 or ascii(${t}) in (43, 45, 46) then ${numberLike(t)}
    when octet_length(${t}) <= ${bits(MAX_BOOLEAN_WORD_BYTES)} and ${inList(sql`lower(${t})`, BOOLEAN_WORDS)}
      then ${bits(BIT.boolean)}
    when octet_length(${t}) = 18 and ${re(t, 'creditCode')} then ${bits(BIT.identifier)}
    else 0 end`;
}
