// The shapes a staged value is recognised by. Each pattern is written once and used twice: compiled
// as a JavaScript RegExp by the reference classifier and sent to PostgreSQL as an ARE by the SQL
// classifier. Only constructs with identical meaning in both engines appear: ASCII classes such as
// [0-9] (never \d, which PostgreSQL may extend to other scripts), literal characters, groups,
// alternation, ? and {m,n}, anchored with ^ and $ (no flags on either side).
//
// Validity is part of the shape, because PostgreSQL 15 has no pg_input_is_valid: a value the
// patterns accept must cast without error, so calendar days, leap years, hours and the int4 range
// are all decided here or by plain length and string comparisons.

/** Bits of a value's class: which types it fits, and why an integer-looking value is kept as text. */
export const BIT = {
  null: 1,
  integer: 2,
  bigint: 4,
  numeric: 8,
  boolean: 16,
  date: 32,
  timestamp: 64,
  time: 128,
  /** `007`, `0571`: an identifier whose zeros a number would lose. */
  leadingZeros: 256,
  /** A mobile number, a resident ID or credit code, or more than 15 digits. */
  identifier: 512,
} as const;

/** Characters trimmed around a value: ASCII whitespace, no-break, ideographic space and BOM. */
export const TRIM_CHARS = ' \t\n\r\f\v\u00a0\u3000\ufeff';

/** Words read as a boolean, compared in lower case; `1`/`0` also count (see decideColumnTypes). */
export const TRUE_WORDS = ['true', 't', 'yes', 'y', '1', '是'] as const;
export const FALSE_WORDS = ['false', 'f', 'no', 'n', '0', '否'] as const;

/** Integer-looking values with more digits stay text (identifiers; doubles lose digits past 15). */
export const MAX_INTEGER_DIGITS = 15;
/** Longer numeric strings stay text: nobody types such amounts, and the cast stays cheap. */
export const MAX_NUMERIC_LENGTH = 100;
/** Thousands-separated integers up to 18 digits always fit int8. */
export const MAX_SEPARATED_INT8_DIGITS = 18;
export const INT4_MAX_DIGITS = '2147483647';
export const INT4_MIN_DIGITS = '2147483648';

// PostgreSQL runs a regular expression on a lazily built DFA that it throws away after each value,
// so every new state costs again on the next value; beyond about 20 NFA states or 15 character
// classes it also allocates a large DFA per call. So the patterns stay small: dates are matched by
// shape and their month and day checked by arithmetic (dateFits, validDay), and the longer patterns
// are only tried after cheap tests have made a match likely.
const MONTH = '(0?[1-9]|1[0-2])';
const DAY = '(0?[1-9]|[1-3][0-9])';
// 24:00 and leap seconds are left out: timestamp input would roll them into the next day or reject them.
const TIME_BODY = '([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?';

/** The separators of a date, by the character after the year. */
export const DATE_FORMS = {
  '-': ['-', '-', ''],
  '/': ['/', '/', ''],
  '.': ['\\.', '\\.', ''],
  年: ['年', '月', '日'],
} as const;
export type DateSeparator = keyof typeof DATE_FORMS;

const dateShape = (sep: DateSeparator) => {
  const [a, b, c] = DATE_FORMS[sep];
  return `^[1-9][0-9]{3}${a}${MONTH}${b}${DAY}${c}`;
};

/**
 * Date shapes per separator: a four-digit year from 1000 (the separator is the fifth character),
 * then runs of digits, which dateFits bounds — runs, because PostgreSQL matches a loop of one
 * character class far faster than a row of fixed positions.
 */
export const DATE_SHAPE = Object.fromEntries(
  (Object.keys(DATE_FORMS) as DateSeparator[]).map((sep) => {
    const [a, b, c] = DATE_FORMS[sep];
    return [sep, `^[1-9][0-9]+${a}[0-9]+${b}[0-9]+${c}$`];
  }),
) as Record<DateSeparator, string>;
/** Timestamp shapes: year 1000–9999, month 1–12, day 1–39, T or one space, a time of day; then validDay. */
export const TIMESTAMP_SHAPE = Object.fromEntries(
  (Object.keys(DATE_FORMS) as DateSeparator[]).map((sep) => [sep, `${dateShape(sep)}[T ]${TIME_BODY}$`]),
) as Record<DateSeparator, string>;

/** Days in each month of a leap year; February 29 also needs validDay's leap test. */
export const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether day `d` (≥ 1) exists in month `m` (1–12) of year `y`. */
export const validDay = (y: number, m: number, d: number) =>
  MONTH_DAYS[m - 1]! >= d && (d !== 29 || m !== 2 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));

/** Pattern sources, anchored. */
export const PATTERN = {
  integer: '^[+-]?[0-9]+$',
  decimal: '^[+-]?[0-9]+\\.[0-9]+$',
  separatedInteger: '^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+$',
  numeric: '^[+-]?(([0-9]+|[1-9][0-9]{0,2}(,[0-9]{3})+)(\\.[0-9]+)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?$',
  leadingZeros: '^[+-]?0[0-9]',
  time: `^${TIME_BODY}$`,
  mobile: '^1[3-9][0-9]{9}$',
  // With the length checked apart (18): 17 digits and a check character X.
  residentIdX: '^[0-9]+[Xx]$',
  creditCode: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$',
} as const;

/** Values this short or shorter may be a boolean word (bytes of `false`). */
export const MAX_BOOLEAN_WORD_BYTES = 5;
