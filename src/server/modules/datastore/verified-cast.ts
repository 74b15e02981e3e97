import { type RawBuilder, sql } from 'kysely';
import type { DatastoreType } from '../../../contracts/datastore.ts';
import { FALSE_WORDS, TRUE_WORDS } from './types/patterns.ts';
import { inList, isNullToken, onTrimmed, textLiteral, textOrNull } from './types/sql-text.ts';

// The fast build: casts that trust types inferred from a sample and let PostgreSQL check every value
// of the whole file while converting it. Each one converts exactly what the classifier would have
// accepted for its type and raises a data exception (SQLSTATE 22…) for anything else — including
// values PostgreSQL's own input would accept but the classifier would not (leading zeros, NaN,
// month-first dates, a trailing time zone letter) — so a build that succeeds proves the types for
// every row, and one that fails sends the load to the full inference and guarded casts. No regular
// expression runs on the common path (they cost microseconds per cell): first characters, lengths
// and a comparison with the canonical text of the converted value decide.

/**
 * An expression that raises 22P02 naming the value (evaluated only on a misfit). concat, being
 * stable, keeps the planner from evaluating it ahead of time when the value is a constant.
 */
const misfit = (t: RawBuilder<unknown>, type: string) =>
  sql`concat(${t}, ${textLiteral(` is not ${type}`)})::${sql.raw(type)}`;

// After an optional sign, 0 and more: a leading zero, or (PostgreSQL 16 and later, PGlite) a
// 0x, 0o or 0b integer — none of them a number to the classifier. A number may go on after its 0
// with a point or an exponent only.
const zeroFirst = (t: RawBuilder<unknown>, type: 'integer' | 'bigint' | 'numeric') =>
  type === 'numeric'
    ? sql`(ascii(ltrim(${t}, '+-')) = 48 and substr(ltrim(${t}, '+-'), 2, 1) not in ('', '.', 'e', 'E'))`
    : sql`(ascii(ltrim(${t}, '+-')) = 48 and octet_length(ltrim(${t}, '+-')) > 1)`;

// Thousands separators only in their places: 1,234,567.5 (checked only when a comma is present).
const badSeparators = (t: RawBuilder<unknown>) =>
  sql`(strpos(${t}, ',') > 0 and ${t} !~ '^[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?$')`;

// PostgreSQL 16 and later (PGlite) read 1_000 as a number; the classifier does not.
const underscore = (t: RawBuilder<unknown>) => sql`strpos(${t}, '_') > 0`;

// Most checks below convert the value and compare it with the canonical text of the result: a
// handful of cheap calls where a regular expression costs microseconds per cell, and exact —
// PostgreSQL's input functions accept much the classifier does not (2023-05-1z, a time zone letter;
// 10:30:+0; 1:2:3; 24:00), and none of that prints back as it came in. Every path that converts is
// one that no classifier-accepted value of the type misses, so a raise always means a misfit.
// Date output is read as DateStyle ISO (the build sets it, with YMD for the input).

/** An integer with thousands separators: exactly what to_char prints for its value. */
const SEPARATED = sql.raw(`'FM${'999,'.repeat(6)}999'`);

// A year-first date whose month and day have one or two digits, separated by `sep` throughout:
// the second separator at the 7th or 8th character, at most two characters after it; then its
// year-month-day form, leading zeros of month and day dropped, must read as the date prints.
function separatedDate(t: RawBuilder<unknown>, sep: '-' | '/' | '.'): RawBuilder<unknown> {
  const s = textLiteral(sep);
  const dashed = sep === '-' ? t : sql`replace(${t}, ${s}, '-')`;
  return sql`case when octet_length(${t}) between 8 and 10 and ascii(${t}) between 49 and 57
      and (case when substr(${t}, 7, 1) = ${s} then octet_length(${t}) <= 9 else substr(${t}, 8, 1) = ${s} end)
      and replace(${dashed}::date::text, '-0', '-') = replace(${dashed}, '-0', '-')
    then ${dashed}::date else ${misfit(t, 'date')} end`;
}

function convertDate(t: RawBuilder<unknown>): RawBuilder<unknown> {
  // 年月日 as year-month-day (the last character, 日, left out).
  const hanzi = sql`replace(replace(left(${t}, -1), '年', '-'), '月', '-')`;
  return sql`case substr(${t}, 5, 1)
    when '-' then case when octet_length(${t}) = 10 and ascii(${t}) between 49 and 57 and ${t}::date::text = ${t}
      then ${t}::date else ${separatedDate(t, '-')} end
    when '/' then ${separatedDate(t, '/')}
    when '.' then ${separatedDate(t, '.')}
    when '年' then case when right(${t}, 1) = '日' and ascii(${t}) between 49 and 57
        and strpos(${t}, '月') in (7, 8) and length(${t}) - strpos(${t}, '月') in (2, 3)
        and replace(${hanzi}::date::text, '-0', '-') = replace(${hanzi}, '-0', '-')
      then ${hanzi}::date else ${misfit(t, 'date')} end
    else ${misfit(t, 'date')} end`;
}

function convertTime(t: RawBuilder<unknown>): RawBuilder<unknown> {
  // The canonical text has two-digit hours and seconds, and a fraction without trailing zeros.
  const padded = sql`(case when substr(${t}, 2, 1) = ':' then '0' || ${t} else ${t} end)`;
  return sql`case when ascii(${t}) between 48 and 57 and octet_length(${t}) between 4 and 15
      and (strpos(${t}, ':') = 2 or left(${t}, 2) < '24')
      and ${t}::time::text = (case octet_length(${t}) when 5 then ${t} || ':00' when 4 then '0' || ${t} || ':00'
        when 8 then ${t} when 7 then '0' || ${t}
        else (case when octet_length(${padded}) between 10 and 15 and right(${t}, 1) <> '.'
          then rtrim(rtrim(${padded}, '0'), '.') end) end)
    then ${t}::time else ${misfit(t, 'time')} end`;
}

function convertTimestamp(t: RawBuilder<unknown>): RawBuilder<unknown> {
  const spaced = sql`replace(${t}, 'T', ' ')`;
  // Otherwise at most one T or space splits a date and a time of day, each checked as its own type;
  // a date alone is a timestamp at midnight, as the classifier has it.
  return sql`case when octet_length(${t}) = 19 and substr(${t}, 5, 1) = '-' and ascii(${t}) between 49 and 57
      and ${spaced}::timestamp::text = ${spaced} then ${spaced}::timestamp
    when octet_length(${t}) - octet_length(replace(${spaced}, ' ', '')) <= 1
      then ${convertDate(sql`split_part(${spaced}, ' ', 1)`)} + (case when strpos(${spaced}, ' ') = 0 then time '00:00'
        else ${convertTime(sql`split_part(${spaced}, ' ', 2)`)} end)
    else ${misfit(t, 'timestamp')} end`;
}

function convertNumber(t: RawBuilder<unknown>, type: 'integer' | 'bigint' | 'numeric'): RawBuilder<unknown> {
  const target = sql.raw(type);
  if (type === 'numeric') {
    // The classifier wants digits after a point and at most three in an exponent.
    const special = sql`lower(${t}) in ('nan', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf')
      or right(${t}, 1) = '.' or (strpos(lower(${t}), 'e') > 0 and ${t} !~ '[0-9][eE][+-]?[0-9]{1,3}$')`;
    // The common case first: starts with 1–9, no comma, no exponent — numeric input then accepts
    // exactly what the classifier does.
    return sql`case when ascii(${t}) between 49 and 57 and strpos(${t}, ',') = 0 and strpos(${t}, 'e') = 0
        and strpos(${t}, 'E') = 0 and right(${t}, 1) <> '.' and not ${underscore(t)} then ${t}::numeric
      when ${zeroFirst(t, type)} or ${badSeparators(t)} or ${underscore(t)} or ${special} then ${misfit(t, type)}
      else replace(${t}, ',', '')::numeric end`;
  }
  // Plain: starts with 1–9, no comma, at most 15 characters — integer input then accepts exactly
  // what the classifier does. A number with more than 15 digits stays an identifier (text) unless
  // it has separators (up to 18 digits are bigint).
  return sql`case when ascii(${t}) between 49 and 57 and strpos(${t}, ',') = 0 and octet_length(${t}) <= 15
      and not ${underscore(t)} then ${t}::${target}
    when strpos(${t}, ',') > 0 then (case
      when to_char(replace(${t}, ',', '')::bigint, ${SEPARATED}) = ltrim(${t}, '+') then replace(${t}, ',', '')::${target}
      else ${misfit(t, type)} end)
    when ${zeroFirst(t, type)} or ${underscore(t)} or length(ltrim(${t}, '+-')) > 15 then ${misfit(t, type)}
    else ${t}::${target} end`;
}

function convert(t: RawBuilder<unknown>, type: Exclude<DatastoreType, 'text'>): RawBuilder<unknown> {
  switch (type) {
    case 'integer':
    case 'bigint':
    case 'numeric':
      return convertNumber(t, type);
    case 'boolean':
      return sql`case when ${inList(sql`lower(${t})`, TRUE_WORDS)} then true
        when ${inList(sql`lower(${t})`, FALSE_WORDS)} then false else ${misfit(t, 'boolean')} end`;
    case 'date':
      return convertDate(t);
    case 'timestamp':
      return convertTimestamp(t);
    case 'time':
      return convertTime(t);
  }
}

/** A staged value cast to `type`, NULL for null tokens, raising for a value that does not fit. */
export function verifiedCast(value: RawBuilder<unknown>, type: DatastoreType, nullTokens: readonly string[]) {
  if (type === 'text') return textOrNull(value, nullTokens);
  return onTrimmed(
    value,
    (t) => sql`case when ${isNullToken(t, nullTokens)} then null else ${convert(t, type)} end`,
  );
}
