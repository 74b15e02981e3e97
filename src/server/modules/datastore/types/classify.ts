import {
  DATASTORE_TYPES,
  type DatastoreType,
  DEFAULT_NULL_TOKEN_LIST,
} from '../../../../contracts/datastore-values.ts';
import {
  BIT,
  DATE_FORMS,
  DATE_SHAPE,
  type DateSeparator,
  FALSE_WORDS,
  INT4_MAX_DIGITS,
  INT4_MIN_DIGITS,
  MAX_INTEGER_DIGITS,
  MAX_NUMERIC_LENGTH,
  MAX_SEPARATED_INT8_DIGITS,
  PATTERN,
  TIMESTAMP_SHAPE,
  TRIM_CHARS,
  TRUE_WORDS,
  validDay,
} from './patterns.ts';

// The reference classifier. The SQL classifier (classify-sql.ts) follows the same decision tree
// branch for branch; property tests run both on the same values and require equal class bits.

/** The column types, as the API names them (one list, in the contracts). */
export type ColumnType = DatastoreType;
export const COLUMN_TYPES: readonly ColumnType[] = DATASTORE_TYPES;

const PG_TYPES: Record<ColumnType, string> = {
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  time: 'time',
  text: 'text',
};

/** The PostgreSQL type name of a column type. */
export const pgTypeOf = (type: ColumnType): string => PG_TYPES[type];

/** Cells read as missing unless the load says otherwise (compared after trimming). */
export const DEFAULT_NULL_TOKENS: readonly string[] = DEFAULT_NULL_TOKEN_LIST;

/** The class bit of a non-text type. */
export const typeBit = (type: Exclude<ColumnType, 'text'>): number => BIT[type];

export interface ValueClass {
  /** Missing, or one of the null tokens. */
  isNull: boolean;
  /** The class bits (BIT), equal to what the SQL classifier computes. */
  mask: number;
  /** The types the value fits, narrowest first; text always fits. */
  types: ColumnType[];
  leadingZeros: boolean;
  identifier: boolean;
}

const RE = Object.fromEntries(Object.entries(PATTERN).map(([k, v]) => [k, new RegExp(v)])) as Record<
  keyof typeof PATTERN,
  RegExp
>;
const TRIM_SET = new Set(TRIM_CHARS);
const BOOLEAN_WORDS = new Set<string>([...TRUE_WORDS, ...FALSE_WORDS]);
const compile = (sources: Record<DateSeparator, string>) =>
  Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, new RegExp(v)])) as Record<
    DateSeparator,
    RegExp
  >;
const DATE_RE = compile(DATE_SHAPE);
const TIMESTAMP_RE = compile(TIMESTAMP_SHAPE);
const isDateSeparator = (c: string | undefined): c is DateSeparator => c !== undefined && c in DATE_FORMS;

/** Year, month and day of a value of date or timestamp shape. */
function dateParts(t: string): [number, number, number] {
  const [, y, m, d] = /^([0-9]{4})[^0-9]([0-9]+)[^0-9]([0-9]+)/.exec(t)!;
  return [Number(y), Number(m), Number(d)];
}

/** A date shape is a date when month and day have one or two digits and the day exists. */
function dateFits(t: string): boolean {
  // 10-0-00000 has the shape (the fifth character is its second separator) but no four-digit year.
  const parts = /^[0-9]{4}[^0-9]([0-9]+)[^0-9]([0-9]+)/.exec(t);
  if (!parts) return false;
  const [, m, d] = parts;
  if (m!.length > 2 || d!.length > 2) return false;
  const [y, month, day] = dateParts(t);
  return month >= 1 && month <= 12 && day >= 1 && validDay(y, month, day);
}

/** Strips TRIM_CHARS from both ends, as btrim(value, TRIM_CHARS) does. */
export function trimValue(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && TRIM_SET.has(value[start]!)) start++;
  while (end > start && TRIM_SET.has(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/** The null tokens as compared: trimmed, without those PostgreSQL text cannot hold. */
export function normalizeNullTokens(tokens: readonly string[]): string[] {
  return [...new Set(tokens.map(trimValue))].filter((t) => !t.includes('\u0000'));
}

const isDigit = (code: number) => code >= 48 && code <= 57;

function integerBits(digits: number, unsigned: string, negative: boolean): number {
  let bits = BIT.numeric;
  if (digits <= MAX_SEPARATED_INT8_DIGITS) bits |= BIT.bigint;
  if (digits < 10 || (digits === 10 && unsigned <= (negative ? INT4_MIN_DIGITS : INT4_MAX_DIGITS))) {
    bits |= BIT.integer;
  }
  return bits;
}

function plainIntegerMask(t: string): number {
  const signed = t[0] === '+' || t[0] === '-';
  const digits = signed ? t.slice(1) : t;
  const n = digits.length;
  if (n > 1 && digits[0] === '0') return BIT.leadingZeros;
  if (n > MAX_INTEGER_DIGITS) return BIT.identifier;
  let bits = integerBits(n, digits, t[0] === '-');
  if (!signed && ((n === 11 && RE.mobile.test(t)) || (n === 15 && isOldResidentId(t))))
    bits |= BIT.identifier;
  if (t === '0' || t === '1') bits |= BIT.boolean;
  return bits;
}

/** A 15-digit resident ID issued before 1999: region, YYMMDD, sequence (digits already checked). */
const isOldResidentId = (t: string) =>
  t.slice(8, 10) >= '01' && t.slice(8, 10) <= '12' && t.slice(10, 12) >= '01' && t.slice(10, 12) <= '31';

function dateMask(t: string): number {
  const sep = t[4];
  if (!isDateSeparator(sep)) return 0;
  if (DATE_RE[sep].test(t) && dateFits(t)) return BIT.date | BIT.timestamp;
  if (TIMESTAMP_RE[sep].test(t) && validDay(...dateParts(t))) return BIT.timestamp;
  return 0;
}

function numberLikeMask(t: string): number {
  if (RE.integer.test(t)) return plainIntegerMask(t);
  const date = dateMask(t);
  if (date) return date;
  if (t.includes(':')) return RE.time.test(t) ? BIT.time : 0;
  if (t.length <= MAX_NUMERIC_LENGTH && RE.numeric.test(t)) {
    if (RE.leadingZeros.test(t)) return BIT.leadingZeros;
    if (t.includes(',') && RE.separatedInteger.test(t)) {
      const unsigned = t.replace(/[-+,]/g, '');
      return integerBits(unsigned.length, unsigned, t[0] === '-');
    }
    return BIT.numeric;
  }
  if (t.length === 18 && (RE.residentIdX.test(t) || RE.creditCode.test(t))) return BIT.identifier;
  return 0;
}

/** The class bits of one trimmed, non-null value. */
export function maskOfTrimmed(t: string, nullTokens: ReadonlySet<string>): number {
  if (nullTokens.has(t)) return BIT.null;
  const first = t.charCodeAt(0);
  // + , - . / 0-9 minus , and /: the first characters of numbers, dates and times.
  if (isDigit(first) || first === 43 || first === 45 || first === 46) return numberLikeMask(t);
  if (BOOLEAN_WORDS.has(t.toLowerCase())) return BIT.boolean;
  if (t.length === 18 && RE.creditCode.test(t)) return BIT.identifier;
  return 0;
}

const TYPE_ORDER: Exclude<ColumnType, 'text'>[] = [
  'boolean',
  'integer',
  'bigint',
  'numeric',
  'date',
  'timestamp',
  'time',
];

/** Which types a staged value fits (JS reference of the SQL classifier). */
export function classifyValue(
  value: string | null,
  nullTokens: readonly string[] = DEFAULT_NULL_TOKENS,
): ValueClass {
  const mask =
    value === null ? BIT.null : maskOfTrimmed(trimValue(value), new Set(normalizeNullTokens(nullTokens)));
  return {
    isNull: mask === BIT.null,
    mask,
    types: [...TYPE_ORDER.filter((t) => (mask & BIT[t]) !== 0), 'text'],
    leadingZeros: (mask & BIT.leadingZeros) !== 0,
    identifier: (mask & BIT.identifier) !== 0,
  };
}
