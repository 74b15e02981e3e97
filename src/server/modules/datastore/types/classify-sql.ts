import { type RawBuilder, sql } from 'kysely';
import {
  BIT,
  DATE_SEPARATORS,
  FALSE_WORDS,
  INT4_MAX_DIGITS,
  INT4_MIN_DIGITS,
  MAX_BOOLEAN_WORD_BYTES,
  MAX_INTEGER_DIGITS,
  MAX_NUMERIC_LENGTH,
  MAX_SEPARATED_INT8_DIGITS,
  PATTERN,
  TRUE_WORDS,
} from './patterns.ts';
import { inList, isNullToken, textLiteral } from './sql-text.ts';

// The SQL classifier: the decision tree of classify.ts, as one CASE expression over a trimmed
// value. It runs on every cell of a staging table, so cheap tests come first: ascii() of the first
// character and octet_length() pick the one or two patterns worth trying, and most values meet a
// single regular expression. The value expression is repeated, so give it a column of a subquery
// (trimmed once, behind OFFSET 0) rather than a function call.

const re = (t: RawBuilder<unknown>, pattern: keyof typeof PATTERN) =>
  sql<boolean>`${t} ~ ${textLiteral(PATTERN[pattern])}`;
const bits = (n: number) => sql.raw(String(n));
const BOOLEAN_WORDS = [...TRUE_WORDS, ...FALSE_WORDS];

/** int4 range bits of an unsigned digit string `u` of `n` digits; `negative` picks the bound. */
function int4Bit(n: RawBuilder<unknown>, u: RawBuilder<unknown>, negative: RawBuilder<unknown>) {
  return sql`case when ${n} < 10 or (${n} = 10 and (${u} collate "C") <= (case when ${negative} then ${textLiteral(INT4_MIN_DIGITS)} else ${textLiteral(INT4_MAX_DIGITS)} end)) then ${bits(BIT.integer)} else 0 end`;
}

function plainInteger(t: RawBuilder<unknown>) {
  const signed = sql`(ascii(${t}) in (43, 45))`;
  const n = sql`(octet_length(${t}) - ${signed}::int)`;
  const u = sql`ltrim(${t}, '+-')`;
  return sql`case
    when ${n} > 1 and ascii(${u}) = 48 then ${bits(BIT.leadingZeros)}
    when ${n} > ${bits(MAX_INTEGER_DIGITS)} then ${bits(BIT.identifier)}
    else ${bits(BIT.numeric | BIT.bigint)}
      | ${int4Bit(n, u, sql`ascii(${t}) = 45`)}
      | case when not ${signed} and ((${n} = 11 and ${re(t, 'mobile')}) or (${n} = 15 and ${re(t, 'oldResidentId')}))
          then ${bits(BIT.identifier)} else 0 end
      | case when ${t} in ('0', '1') then ${bits(BIT.boolean)} else 0 end
    end`;
}

function separatedInteger(t: RawBuilder<unknown>) {
  const u = sql`translate(${t}, '+-,', '')`;
  const n = sql`octet_length(${u})`;
  return sql`${bits(BIT.numeric)}
    | case when ${n} <= ${bits(MAX_SEPARATED_INT8_DIGITS)} then ${bits(BIT.bigint)} else 0 end
    | ${int4Bit(n, u, sql`ascii(${t}) = 45`)}`;
}

const leadingZero = (t: RawBuilder<unknown>) => sql`case
    when ascii(${t}) = 48 then ascii(substr(${t}, 2, 1)) between 48 and 57
    when ascii(${t}) in (43, 45) then ascii(substr(${t}, 2, 1)) = 48 and ascii(substr(${t}, 3, 1)) between 48 and 57
    else false end`;

function numberLike(t: RawBuilder<unknown>) {
  const dateShaped = sql`octet_length(${t}) >= 8 and ${inList(sql`substr(${t}, 5, 1)`, DATE_SEPARATORS)}`;
  return sql`case
    when ${re(t, 'integer')} then ${plainInteger(t)}
    when ${dateShaped} and ${re(t, 'date')} then ${bits(BIT.date | BIT.timestamp)}
    when ${dateShaped} and ${re(t, 'timestamp')} then ${bits(BIT.timestamp)}
    when strpos(${t}, ':') > 0 then case when ${re(t, 'time')} then ${bits(BIT.time)} else 0 end
    when octet_length(${t}) <= ${bits(MAX_NUMERIC_LENGTH)} and ${re(t, 'numeric')} then case
      when ${leadingZero(t)} then ${bits(BIT.leadingZeros)}
      when strpos(${t}, ',') > 0 and ${re(t, 'separatedInteger')} then ${separatedInteger(t)}
      else ${bits(BIT.numeric)} end
    when octet_length(${t}) = 18 and (${re(t, 'residentId')} or ${re(t, 'creditCode')}) then ${bits(BIT.identifier)}
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
