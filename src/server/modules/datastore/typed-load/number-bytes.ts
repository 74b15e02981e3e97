import { MAX_INTEGER_DIGITS, MAX_NUMERIC_LENGTH } from '../types/patterns.ts';

// Integers and decimals read from the bytes of a field, for the binary rows (binary-rows.ts): the
// values the classifier (types/classify.ts) calls integer, bigint and numeric, in the shapes the
// writer converts. The hot path makes no objects: a parser returns a number or a boolean and leaves
// its second results (sign, digit counts, the high half of an int8, the digits) in module state,
// which the writer reads right after the call.

export const TWO_32 = 4_294_967_296;
/** Bytes of the longest numeric accepted (the classifier's MAX_NUMERIC_LENGTH, in ASCII). */
export const NUMERIC_BYTES = MAX_NUMERIC_LENGTH;

// Second results of the parsers (module state, not objects or closures).
/** The high 32 bits of the last int8Halves, unsigned; its low 32 bits are the return value. */
export let int8High = 0;
/** Digits of the last numeric (parseNumeric): integer part, then fraction. */
export const DIGITS = new Uint8Array(NUMERIC_BYTES);
export let intDigits = 0;
export let fracDigits = 0;
export let negative = false;

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * An integer, `[+-]digits` or `[+-]1,234,567`, of at most `maxPlain` digits plain and `maxSeparated`
 * separated, without a leading zero (007 is an identifier to the classifier): its magnitude, or -1;
 * `negative` holds the sign and integerDigits the number of digits. The magnitude is exact up to 15
 * digits; beyond, int8Halves reads the digits again.
 */
export function parseInteger(
  buf: Uint8Array,
  s: number,
  e: number,
  maxPlain: number,
  maxSeparated: number,
): number {
  let i = s;
  const c0 = buf[i];
  negative = c0 === 45;
  if (negative || c0 === 43) i++;
  if (i >= e || !isDigit(buf[i]!)) return -1;
  let v = 0;
  let digits = 0;
  /** Digits since the last comma (or the start). */
  let run = 0;
  const first = i;
  let separated = false;
  while (i < e) {
    const c = buf[i]!;
    if (isDigit(c)) {
      v = v * 10 + (c - 48);
      digits++;
      run++;
    } else if (c === 44 && (separated ? run === 3 : run >= 1 && run <= 3)) {
      // 1,234,567: a first group of one to three digits, then groups of three.
      separated = true;
      run = 0;
    } else return -1;
    i++;
  }
  if (separated && run !== 3) return -1;
  if (digits > 1 && buf[first] === 48) return -1;
  if (digits > (separated ? maxSeparated : maxPlain)) return -1;
  integerDigits = digits;
  return v;
}
/** Digits of the last integer parseInteger accepted. */
export let integerDigits = 0;

/**
 * The digits of an integer parseInteger accepted, past 2^53 (16 to 18 digits), as two 32-bit halves:
 * the low half is returned, the high one left in int8High. Each step keeps the low half below 2^36,
 * and 18 digits keep the high one below 2^31.
 */
export function int8Halves(buf: Uint8Array, s: number, e: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (!isDigit(c)) continue;
    lo = lo * 10 + (c - 48);
    const carry = Math.floor(lo / TWO_32);
    lo -= carry * TWO_32;
    hi = hi * 10 + carry;
  }
  int8High = hi;
  return lo;
}

/**
 * A plain or separated decimal — -12.50, .5, +3, 1,234.5 — of at most NUMERIC_BYTES bytes: true with
 * its digits in DIGITS (intDigits, fracDigits) and its sign in `negative`. Refused as the classifier
 * refuses them (a leading zero before a digit, a plain integer of more than MAX_INTEGER_DIGITS digits,
 * a point without digits after it) and, though they fit numeric, exponents (left to the SQL cast).
 */
export function parseNumeric(buf: Uint8Array, s: number, e: number): boolean {
  if (e - s > NUMERIC_BYTES) return false;
  let i = s;
  const c0 = buf[i];
  negative = c0 === 45;
  if (negative || c0 === 43) i++;
  let n = 0;
  let commas = false;
  /** Digits since the last comma (or the start). */
  let run = 0;
  // The integer part: a plain run of digits, or groups of three after a first group of 1-3.
  while (i < e) {
    const c = buf[i]!;
    if (isDigit(c)) {
      DIGITS[n++] = c - 48;
      run++;
    } else if (c === 44 && (commas ? run === 3 : run >= 1 && run <= 3)) {
      commas = true;
      run = 0;
    } else break;
    i++;
  }
  if (commas && run !== 3) return false;
  intDigits = n;
  if (n > 1 && DIGITS[0] === 0) return false;
  let hasPoint = false;
  if (i < e && buf[i] === 46) {
    hasPoint = true;
    i++;
    const f0 = i;
    while (i < e && isDigit(buf[i]!)) DIGITS[n++] = buf[i++]! - 48;
    if (i === f0) return false;
  }
  if (i !== e || n === 0) return false;
  fracDigits = n - intDigits;
  return hasPoint || commas || n <= MAX_INTEGER_DIGITS;
}
