import { type RawBuilder, sql } from 'kysely';
import type { DatastoreType } from '../../../contracts/datastore.ts';
import { FALSE_WORDS, TRUE_WORDS } from './types/patterns.ts';
import { inList, isNullToken, onTrimmed, textLiteral } from './types/sql-text.ts';

// The fast build: casts that trust types inferred from a sample and let PostgreSQL check every value
// of the whole file while converting it. Each one converts exactly what the classifier would have
// accepted for its type and raises a data exception (SQLSTATE 22…) for anything else — including
// values PostgreSQL's own input would accept but the classifier would not (leading zeros, NaN,
// month-first dates) — so a build that succeeds proves the types for every row, and one that fails
// sends the load to the full inference and guarded casts. No regular expression runs on the common
// path: first characters and lengths are enough to reject what the input functions would accept.

/** An expression that raises 22P02 naming the value (evaluated only on a misfit). */
const misfit = (t: RawBuilder<unknown>, type: string) =>
  sql`(${t} || ${textLiteral(` is not ${type}`)})::${sql.raw(type)}`;

// A digit string of more than one character starting with 0, after an optional sign.
const leadingZero = (t: RawBuilder<unknown>) =>
  sql`(ascii(ltrim(${t}, '+-')) = 48 and ascii(substr(ltrim(${t}, '+-'), 2, 1)) between 48 and 57)`;

// Thousands separators only in their places: 1,234,567.5 (checked only when a comma is present).
const badSeparators = (t: RawBuilder<unknown>) =>
  sql`(strpos(${t}, ',') > 0 and ${t} !~ '^[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?$')`;

// PostgreSQL 15 reads a 60th second as the next minute (PostgreSQL 18 refuses it, as the classifier does).
// PostgreSQL also reads 24:00 as midnight; the classifier keeps such values text.
const leapSecond = (clock: RawBuilder<unknown>) =>
  sql`(left(split_part(${clock}, ':', 3), 2) >= '60' or split_part(${clock}, ':', 1) = '24')`;

// One separator throughout (2023/5/21, not 2023/5-21), or 年月(日).
const oneSeparator = (t: RawBuilder<unknown>) =>
  sql`(case when substr(${t}, 5, 1) = '年' then strpos(${t}, '月') > 0
    else length(${t}) - length(replace(${t}, substr(${t}, 5, 1), '')) = 2 end)`;

// Exactly year, month and day: PostgreSQL would also read 1001-001 (a day of the year).
const threeParts = (dashed: RawBuilder<unknown>) =>
  sql`(split_part(${dashed}, '-', 3) <> '' and split_part(${dashed}, '-', 4) = ''
    and length(split_part(${dashed}, '-', 2)) <= 2 and length(split_part(${dashed}, '-', 3)) <= 2)`;

function convert(t: RawBuilder<unknown>, type: Exclude<DatastoreType, 'text'>): RawBuilder<unknown> {
  switch (type) {
    case 'integer':
    case 'bigint':
    case 'numeric': {
      const special =
        type === 'numeric'
          ? // The classifier wants digits after a point and at most three in an exponent.
            sql` or lower(${t}) in ('nan', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf')
              or right(${t}, 1) = '.' or (strpos(lower(${t}), 'e') > 0 and ${t} !~ '[0-9][eE][+-]?[0-9]{1,3}$')`
          : sql``;
      // A number with more than 15 digits stays an identifier (text) in the classifier.
      const tooLong = type === 'numeric' ? sql`false` : sql`length(translate(${t}, '+-,', '')) > 15`;
      // The common case first, in three calls: starts with 1–9, no comma, no exponent (numeric), at
      // most 15 characters (integers) — PostgreSQL's input then accepts exactly what the classifier does.
      const plain =
        type === 'numeric'
          ? sql`ascii(${t}) between 49 and 57 and strpos(${t}, ',') = 0 and strpos(lower(${t}), 'e') = 0 and right(${t}, 1) <> '.'`
          : sql`ascii(${t}) between 49 and 57 and strpos(${t}, ',') = 0 and length(${t}) <= 15`;
      return sql`case when ${plain} then ${t}::${sql.raw(type)}
        when ${leadingZero(t)} or ${badSeparators(t)} or ${tooLong}${special}
        then ${misfit(t, type)} else replace(${t}, ',', '')::${sql.raw(type)} end`;
    }
    case 'boolean':
      return sql`case when ${inList(sql`lower(${t})`, TRUE_WORDS)} then true
        when ${inList(sql`lower(${t})`, FALSE_WORDS)} then false else ${misfit(t, 'boolean')} end`;
    case 'date':
      // Year first, separated by - / . or 年月日; PostgreSQL checks the month and day.
      return sql`case when length(${t}) = 10 and substr(${t}, 5, 1) = '-' and substr(${t}, 8, 1) = '-' and ascii(${t}) between 49 and 57
        then ${t}::date
        when substr(${t}, 5, 1) in ('/', '.') and length(${t}) between 8 and 10 and ascii(${t}) between 49 and 57
          and length(${t}) - length(replace(${t}, substr(${t}, 5, 1), '')) = 2
          and length(split_part(${t}, substr(${t}, 5, 1), 2)) between 1 and 2
          and length(split_part(${t}, substr(${t}, 5, 1), 3)) between 1 and 2
        then translate(${t}, '/.', '--')::date
        when length(${t}) between 8 and 11 and substr(${t}, 5, 1) in ('-', '/', '.', '年')
          and ascii(${t}) between 49 and 57 and ${oneSeparator(t)}
          and ${threeParts(sql`rtrim(translate(${t}, '/.年月日', '----'), '-')`)}
        then (case when substr(${t}, 5, 1) = '-' then ${t} else rtrim(translate(${t}, '/.年月日', '----'), '-') end)::date
        else ${misfit(t, 'date')} end`;
    case 'timestamp':
      // A date alone is a timestamp at midnight, as the classifier has it.
      return sql`case when length(${t}) = 19 and substr(${t}, 5, 1) = '-' and substr(${t}, 8, 1) = '-'
          and substr(${t}, 11, 1) in (' ', 'T') and substr(${t}, 14, 1) = ':' and substr(${t}, 17, 1) = ':'
          and ascii(${t}) between 49 and 57 and substr(${t}, 12, 2) <> '24' and substr(${t}, 18, 2) < '60'
        then ${t}::timestamp
        when strpos(replace(${t}, 'T', ' '), ' ') = 0 then (${convert(t, 'date')})::timestamp
        when length(${t}) between 12 and 32 and substr(${t}, 5, 1) in ('-', '/', '.')
          and ${oneSeparator(sql`split_part(replace(${t}, 'T', ' '), ' ', 1)`)}
          and ascii(${t}) between 49 and 57 and not ${leapSecond(sql`split_part(replace(${t}, 'T', ' '), ' ', 2)`)}
          and ${threeParts(sql`translate(split_part(replace(${t}, 'T', ' '), ' ', 1), '/.', '--')`)}
        then (case when substr(${t}, 5, 1) = '-' then ${t}
          else translate(split_part(${t}, ' ', 1), '/.', '--') || ' ' || split_part(${t}, ' ', 2) end)::timestamp
        else ${misfit(t, 'timestamp')} end`;
    case 'time':
      return sql`case when length(${t}) between 4 and 15 and (substr(${t}, 2, 1) = ':' or substr(${t}, 3, 1) = ':')
          and not ${leapSecond(t)}
        then ${t}::time else ${misfit(t, 'time')} end`;
  }
}

/** A staged value cast to `type`, NULL for null tokens, raising for a value that does not fit. */
export function verifiedCast(value: RawBuilder<unknown>, type: DatastoreType, nullTokens: readonly string[]) {
  if (type === 'text') {
    return onTrimmed(value, (t) => sql`case when ${isNullToken(t, nullTokens)} then null else ${value} end`);
  }
  return onTrimmed(
    value,
    (t) => sql`case when ${isNullToken(t, nullTokens)} then null else ${convert(t, type)} end`,
  );
}
