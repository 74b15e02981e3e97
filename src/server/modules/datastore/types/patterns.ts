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

const YEAR = '[1-9][0-9]{3}';
// Leap years from 1000 on: divisible by 4, and centuries only when divisible by 400.
const LEAP_YEAR = '([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)';
const MONTH_31 = '(0?[13578]|1[02])';
const MONTH_30 = '(0?[469]|11)';
const DAY_31 = '(0?[1-9]|[12][0-9]|3[01])';
const DAY_30 = '(0?[1-9]|[12][0-9]|30)';
const DAY_28 = '(0?[1-9]|1[0-9]|2[0-8])';

const datePart = (first: string, second: string, end: string) =>
  `(${YEAR}${first}(${MONTH_31}${second}${DAY_31}|${MONTH_30}${second}${DAY_30}|0?2${second}${DAY_28})` +
  `|${LEAP_YEAR}${first}0?2${second}29)${end}`;

const DATE_BODY = `(${[
  datePart('-', '-', ''),
  datePart('/', '/', ''),
  datePart('\\.', '\\.', ''),
  datePart('年', '月', '日'),
].join('|')})`;

// 24:00 and leap seconds are left out: timestamp input would roll them into the next day or reject them.
const TIME_BODY = '([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?';

/** Pattern sources, anchored. */
export const PATTERN = {
  integer: '^[+-]?[0-9]+$',
  separatedInteger: '^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+$',
  numeric: '^[+-]?(([0-9]+|[1-9][0-9]{0,2}(,[0-9]{3})+)(\\.[0-9]+)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?$',
  leadingZeros: '^[+-]?0[0-9]',
  date: `^${DATE_BODY}$`,
  timestamp: `^${DATE_BODY}(T| )${TIME_BODY}$`,
  time: `^${TIME_BODY}$`,
  mobile: '^1[3-9][0-9]{9}$',
  // The 15-digit resident ID issued before 1999: region, YYMMDD, sequence.
  oldResidentId: '^[1-9][0-9]{7}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}$',
  residentId: '^[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]$',
  creditCode: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$',
} as const;

/** Fifth characters that send a digit-led value to the date patterns. */
export const DATE_SEPARATORS = ['-', '/', '.', '年'] as const;
/** Values this short or shorter may be a boolean word (bytes of `false`). */
export const MAX_BOOLEAN_WORD_BYTES = 5;
