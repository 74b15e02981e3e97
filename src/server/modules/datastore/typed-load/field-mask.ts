import {
  BIT,
  FALSE_WORDS,
  INT4_MAX_DIGITS,
  INT4_MIN_DIGITS,
  MAX_BOOLEAN_WORD_BYTES,
  MAX_INTEGER_DIGITS,
  MAX_NUMERIC_LENGTH,
  MAX_SEPARATED_INT8_DIGITS,
  TRUE_WORDS,
  validDay,
} from '../types/patterns.ts';
import { type NullTokenBytes, trimEnd, trimStart } from './field-bytes.ts';

// The class bits of one field read straight from its UTF-8 bytes, without making a string.
//
// fieldMask returns exactly what maskOfTrimmed (types/classify.ts) returns for the decoded, trimmed
// value: the same checks in the same order, each regular expression of PATTERN, DATE_SHAPE and
// TIMESTAMP_SHAPE (types/patterns.ts) written out as a small scanner over the bytes. Every shape is
// decided here, so nothing falls back to the string classifier. The property tests in
// field-mask.test.ts compare the two on generated values.
//
// A field is a window [s, e) of a larger buffer: every look at buf[i] is guarded by i < e, because
// the byte at e belongs to the next field.

const ZERO = 0x30;
const ONE = 0x31;
const THREE = 0x33;
const FIVE = 0x35;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const COLON = 0x3a;
const SPACE = 0x20;
const UPPER_T = 0x54;
// b | 0x20 lower-cases an ASCII letter; only 'E'/'e' give 'e', only 'X'/'x' give 'x'.
const LOWER_E = 0x65;
const LOWER_X = 0x78;

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const NIAN = bytes('年');
const YUE = bytes('月');
const RI = bytes('日');
const INT4_MAX = bytes(INT4_MAX_DIGITS);
const INT4_MIN = bytes(INT4_MIN_DIGITS);

// The boolean words as bytes. The reference compares toLowerCase(value) with them: that maps 'A'-'Z'
// onto 'a'-'z', and no non-ASCII character lower-cases into any of these words (U+212A KELVIN SIGN
// gives 'k', U+0130 gives 'i̇'), so bytes compare exactly except ASCII letters, which ignore case.
// Grouped by byte length, so a value is only compared with the words as long as it is.
const BOOLEAN_WORDS_BY_LENGTH: Uint8Array[][] = [];
for (const word of [...TRUE_WORDS, ...FALSE_WORDS].map(bytes)) {
  const sameLength = BOOLEAN_WORDS_BY_LENGTH[word.length] ?? [];
  sameLength.push(word);
  BOOLEAN_WORDS_BY_LENGTH[word.length] = sameLength;
}

// PATTERN.creditCode as tables: per byte, CODE if in [0-9A-HJ-NPQRTUWXY] and DIGIT if in [0-9];
// per position, which of the two it needs (two code characters, six digits, ten code characters).
const CODE = 1;
const DIGIT = 2;
const CREDIT_CLASS = new Uint8Array(256);
for (const c of 'ABCDEFGHJKLMNPQRTUWXY') CREDIT_CLASS[c.charCodeAt(0)] = CODE;
for (const c of '0123456789') CREDIT_CLASS[c.charCodeAt(0)] = CODE | DIGIT;
const CREDIT_POSITION = new Uint8Array(18).fill(CODE).fill(DIGIT, 2, 8);

const isDigit = (c: number) => c >= ZERO && c <= 0x39;

/** End of the run of ASCII digits starting at i. */
function digitsEnd(buf: Uint8Array, i: number, e: number): number {
  while (i < e && isDigit(buf[i]!)) i++;
  return i;
}

/** Whether the bytes at i are `word` (all of it before e). */
function bytesAt(buf: Uint8Array, i: number, e: number, word: Uint8Array): boolean {
  if (i + word.length > e) return false;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word[k]) return false;
  return true;
}

/** The value of the one or two digits at [i, i + n). */
const twoDigits = (buf: Uint8Array, i: number, n: number) =>
  n === 1 ? buf[i]! - ZERO : (buf[i]! - ZERO) * 10 + buf[i + 1]! - ZERO;

/** Whether a field starting with byte c may start with one of TRIM_CHARS (trimStart decides). */
const mayStartTrim = (c: number) => c <= SPACE || c === 0xc2 || c === 0xe3 || c === 0xef;
/** Whether a field ending with byte c may end with one of TRIM_CHARS (trimEnd decides). */
const mayEndTrim = (c: number) => c <= SPACE || c === 0xa0 || c === 0x80 || c === 0xbf;

/** The class bits of one field's value, buf[start, end) in UTF-8: maskOfTrimmed of its trimmed text. */
export function fieldMask(buf: Uint8Array, start: number, end: number, nulls: NullTokenBytes): number {
  // Most fields have nothing to trim: look at the end bytes before calling the trimming loops.
  const s = start < end && mayStartTrim(buf[start]!) ? trimStart(buf, start, end) : start;
  const e = end > s && mayEndTrim(buf[end - 1]!) ? trimEnd(buf, s, end) : end;
  if (nulls.has(buf, s, e)) return BIT.null;
  if (s === e) return 0;
  const c = buf[s]!;
  // The first characters of numbers, dates and times, as in maskOfTrimmed.
  if (isDigit(c) || c === PLUS || c === MINUS || c === DOT) return numberLikeMask(buf, s, e);
  return wordMask(buf, s, e);
}

/** A value that does not start like a number: a boolean word, a credit code, or text. */
function wordMask(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n <= MAX_BOOLEAN_WORD_BYTES && isBooleanWord(buf, s, e)) return BIT.boolean;
  // Credit codes are ASCII, so 18 characters are 18 bytes.
  if (n === 18 && isCreditCode(buf, s)) return BIT.identifier;
  return 0;
}

function isBooleanWord(buf: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  const words = BOOLEAN_WORDS_BY_LENGTH[n];
  if (words === undefined) return false;
  for (const word of words) {
    let k = 0;
    while (k < n && sameLetter(buf[s + k]!, word[k]!)) k++;
    if (k === n) return true;
  }
  return false;
}

/** Byte b matches word byte w, ignoring case if w is 'a'-'z' (b | 0x20 is w only for w and its capital). */
const sameLetter = (b: number, w: number) => b === w || (w >= 0x61 && w <= 0x7a && (b | 0x20) === w);

/** PATTERN.creditCode on 18 bytes: two code characters, six digits, ten code characters. */
function isCreditCode(buf: Uint8Array, s: number): boolean {
  for (let k = 0; k < 18; k++) if ((CREDIT_CLASS[buf[s + k]!]! & CREDIT_POSITION[k]!) === 0) return false;
  return true;
}

/**
 * numberLikeMask of classify.ts: integer, date or timestamp, time, numeric, then an 18-character
 * identifier. One scan of the sign and first digit run tells which of them can apply.
 */
function numberLikeMask(buf: Uint8Array, s: number, e: number): number {
  const signed = buf[s] === PLUS || buf[s] === MINUS;
  const p = signed ? s + 1 : s;
  const q = digitsEnd(buf, p, e);
  if (q === e) return q > p ? plainIntegerMask(buf, s, p, e) : 0; // no digits: a lone sign
  // Every date or timestamp starts with an unsigned four-digit year followed by its separator.
  if (!signed && q - p === 4) {
    const date = dateMask(buf, s, e);
    if (date !== 0) return date;
  }
  // The reference tests a time whenever the value holds a ':'. A time has it right after its first
  // digits; a ':' anywhere else makes the value no time, and no number or identifier either (neither
  // pattern allows ':'), so those checks below return 0 for it just the same.
  const next = buf[q]!;
  if (next === COLON) return isTimeOfDay(buf, s, e) ? BIT.time : 0;
  // A number goes on after its first digits with a thousands comma, a point or an exponent.
  if (e - s <= MAX_NUMERIC_LENGTH && (next === COMMA || next === DOT || (next | 0x20) === LOWER_E)) {
    const numeric = numericMask(buf, s, p, q, e);
    if (numeric !== NOT_NUMERIC) return numeric;
  }
  if (e - s === 18 && ((!signed && q === e - 1 && (buf[q]! | 0x20) === LOWER_X) || isCreditCode(buf, s))) {
    return BIT.identifier; // 17 digits and X (PATTERN.residentIdX), or a credit code
  }
  return 0;
}

/** plainIntegerMask of classify.ts: buf[p, e) are all digits, after an optional sign at s. */
function plainIntegerMask(buf: Uint8Array, s: number, p: number, e: number): number {
  const n = e - p;
  if (n > 1 && buf[p] === ZERO) return BIT.leadingZeros;
  if (n > MAX_INTEGER_DIGITS) return BIT.identifier;
  let bits = integerBits(buf, p, e, n, buf[s] === MINUS);
  if (p === s) {
    // Unsigned only: a mobile number (PATTERN.mobile), an old resident ID, or the boolean 0/1.
    if (n === 11 && buf[s] === ONE && buf[s + 1]! >= THREE) bits |= BIT.identifier;
    else if (n === 15 && isOldResidentId(buf, s)) bits |= BIT.identifier;
    else if (n === 1 && buf[s]! <= ONE) bits |= BIT.boolean;
  }
  return bits;
}

/** Month 01–12 and day 01–31 at the positions of YYMMDD in a 15-digit resident ID. */
function isOldResidentId(buf: Uint8Array, s: number): boolean {
  const month = twoDigits(buf, s + 8, 2);
  const day = twoDigits(buf, s + 10, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** integerBits of classify.ts, for `digits` digits in buf[p, e) (thousands commas skipped). */
function integerBits(buf: Uint8Array, p: number, e: number, digits: number, negative: boolean): number {
  let bits: number = BIT.numeric;
  if (digits <= MAX_SEPARATED_INT8_DIGITS) bits |= BIT.bigint;
  if (digits < 10 || (digits === 10 && withinInt4(buf, p, e, negative))) bits |= BIT.integer;
  return bits;
}

/** Ten digits compared with the int4 bound digit by digit, as the reference compares strings. */
function withinInt4(buf: Uint8Array, p: number, e: number, negative: boolean): boolean {
  const bound = negative ? INT4_MIN : INT4_MAX;
  let k = 0;
  for (let i = p; i < e; i++) {
    const c = buf[i]!;
    if (c === COMMA) continue;
    const d = bound[k++]!;
    if (c !== d) return c < d;
  }
  return true;
}

/**
 * dateMask of classify.ts for a value starting with four digits and something after them:
 * DATE_SHAPE and dateFits give a date, TIMESTAMP_SHAPE and validDay a timestamp, else 0.
 * Both shapes need the year from 1000 and month and day of one or two digits; the month 1–12 and
 * day 1–39 that TIMESTAMP_SHAPE spells out are the same bounds dateFits checks (validDay caps the day).
 */
function dateMask(buf: Uint8Array, s: number, e: number): number {
  if (buf[s] === ZERO) return 0;
  const sep = buf[s + 4]!;
  const cjk = sep === NIAN[0] && bytesAt(buf, s + 4, e, NIAN);
  if (!cjk && sep !== MINUS && sep !== SLASH && sep !== DOT) return 0;
  const monthStart = cjk ? s + 4 + NIAN.length : s + 5;
  const monthDigits = shortDigitRun(buf, monthStart, e);
  if (monthDigits === 0) return 0;
  // The second separator: 月 after 年, else the first one again.
  let dayStart = monthStart + monthDigits;
  if (cjk ? !bytesAt(buf, dayStart, e, YUE) : dayStart >= e || buf[dayStart] !== sep) return 0;
  dayStart += cjk ? YUE.length : 1;
  const dayDigits = shortDigitRun(buf, dayStart, e);
  if (dayDigits === 0) return 0;
  let i = dayStart + dayDigits;
  if (cjk) {
    if (!bytesAt(buf, i, e, RI)) return 0;
    i += RI.length;
  }
  const month = twoDigits(buf, monthStart, monthDigits);
  const day = twoDigits(buf, dayStart, dayDigits);
  const year = (buf[s]! - ZERO) * 1000 + (buf[s + 1]! - ZERO) * 100 + twoDigits(buf, s + 2, 2);
  if (month < 1 || month > 12 || day < 1 || !validDay(year, month, day)) return 0;
  if (i === e) return BIT.date | BIT.timestamp;
  // A timestamp: one 'T' or space, then a time of day.
  if (buf[i] !== UPPER_T && buf[i] !== SPACE) return 0;
  return isTimeOfDay(buf, i + 1, e) ? BIT.timestamp : 0;
}

/**
 * Digits of a month or day at i: 0, 1 or 2. A longer run needs no check of its own: its third
 * digit stands where the next separator, the end, or the 'T' or space of a timestamp must be.
 */
function shortDigitRun(buf: Uint8Array, i: number, e: number): number {
  if (i >= e || !isDigit(buf[i]!)) return 0;
  return i + 1 < e && isDigit(buf[i + 1]!) ? 2 : 1;
}

/** PATTERN.time on buf[i, e): H or HH up to 23, :MM, then optionally :SS and .F up to 6 digits. */
function isTimeOfDay(buf: Uint8Array, i: number, e: number): boolean {
  const h = digitsEnd(buf, i, e);
  if (h - i < 1 || h - i > 2 || twoDigits(buf, i, h - i) > 23) return false;
  i = h;
  if (i >= e || buf[i] !== COLON || !isSexagesimal(buf, i + 1, e)) return false;
  i += 3;
  if (i === e) return true;
  if (buf[i] !== COLON || !isSexagesimal(buf, i + 1, e)) return false;
  i += 3;
  if (i === e) return true;
  if (buf[i] !== DOT) return false;
  const f = digitsEnd(buf, i + 1, e);
  return f === e && f - i - 1 >= 1 && f - i - 1 <= 6;
}

/** Minutes or seconds: [0-5][0-9]. */
const isSexagesimal = (buf: Uint8Array, i: number, e: number) =>
  i + 1 < e && buf[i]! >= ZERO && buf[i]! <= FIVE && isDigit(buf[i + 1]!);

const NOT_NUMERIC = -1;

/**
 * PATTERN.numeric on buf[s, e) — optional sign; digits or thousands groups; optional .digits (or
 * only .digits); optional exponent of 1–3 digits — and then the bits numberLikeMask gives it.
 * p is past the sign and q past the first digit run. NOT_NUMERIC when the pattern fails.
 */
function numericMask(buf: Uint8Array, s: number, p: number, q: number, e: number): number {
  let i = q;
  let separated = false;
  if (q > p && buf[i] === COMMA) {
    // [1-9][0-9]{0,2}(,[0-9]{3})+ : each group exactly three digits.
    if (q - p > 3 || buf[p] === ZERO) return NOT_NUMERIC;
    while (i < e && buf[i] === COMMA) {
      if (digitsEnd(buf, i + 1, Math.min(e, i + 4)) !== i + 4) return NOT_NUMERIC;
      i += 4;
    }
    separated = true;
  }
  const integerEnd = i;
  if (i < e && buf[i] === DOT) {
    const f = digitsEnd(buf, i + 1, e);
    if (f === i + 1) return NOT_NUMERIC; // a point needs digits after it
    i = f;
  } else if (q === p) {
    return NOT_NUMERIC; // no digits before the point, and no point
  }
  if (i < e && (buf[i]! | 0x20) === LOWER_E) {
    let j = i + 1;
    if (j < e && (buf[j] === PLUS || buf[j] === MINUS)) j++;
    const x = digitsEnd(buf, j, e);
    if (x === j || x - j > 3) return NOT_NUMERIC;
    i = x;
  }
  if (i !== e) return NOT_NUMERIC;
  // PATTERN.leadingZeros: 007.5, -01e3.
  if (q - p >= 2 && buf[p] === ZERO) return BIT.leadingZeros;
  // PATTERN.separatedInteger: thousands groups and nothing after them.
  if (separated && integerEnd === e) {
    const digits = q - p + ((e - q) / 4) * 3;
    return integerBits(buf, p, e, digits, buf[s] === MINUS);
  }
  return BIT.numeric;
}
