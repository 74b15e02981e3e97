import type { DatastoreType } from '../../../../contracts/datastore-values.ts';
import { MAX_INTEGER_DIGITS, MAX_SEPARATED_INT8_DIGITS } from '../types/patterns.ts';
import { booleanOf } from './boolean-bytes.ts';
import { dateEnd, INVALID_DATE, parseDate, parseTime } from './date-time-bytes.ts';
import { type NullTokenBytes, trimEnd, trimStart } from './field-bytes.ts';
import {
  DIGITS,
  fracDigits,
  int8Halves,
  int8High,
  intDigits,
  integerDigits,
  NUMERIC_BYTES,
  negative,
  parseInteger,
  parseNumeric,
  TWO_32,
} from './number-bytes.ts';

// PostgreSQL binary COPY rows of a typed table, written straight from the bytes of a UTF-8 file, so
// that the database only stores. Each value converts to what castExpression (types/cast.ts) makes of
// the same text. `field` accepts exactly the values whose class (types/classify.ts) has the column's
// type bit, for the shapes it knows; anything else — a misfit, or a fit it has no fast path for
// (exponents) — returns false and writes nothing, and the caller writes NULL and repairs that cell
// with the SQL cast. So a wrong value can never be written, only a cell left for the slow path.
//
// The hot path makes no strings, no closures (tsx compiles each closure with a naming helper that
// costs per call) and no objects: parsers return numbers, with a second result in module state.

/** The PGCOPY signature, flags (no OIDs) and an empty header extension. */
export const COPY_HEADER: Buffer = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** The trailer: a field count of -1. */
export const COPY_TRAILER: Buffer = Buffer.from([0xff, 0xff]);

/** Bytes of each buffer rows are written into. */
export const ROW_BUFFER_BYTES = 1 << 20;

/** Microseconds in a day as 20 · 2^32 + 500,654,080: products stay below 2^53 (see #int8Days). */
const US_DAY_HI = 20;
const US_DAY_LO = 500_654_080;
/** Base-10000 digits of the numeric being written. */
const GROUPS = new Uint16Array(NUMERIC_BYTES / 4 + 2);

/** What typedField did. */
export const DECLINED = 0;
export const WROTE_VALUE = 1;
export const WROTE_NULL = 2;

/** Accumulates binary COPY rows in large buffers; take() hands out what has been written. */
export class BinaryRowWriter {
  #buf: Buffer;
  #pos = 0;
  /** Where the bytes not yet handed out begin. */
  #chunkStart = 0;
  /** Where the row being written begins: a buffer is only ever cut between rows. */
  #rowStart = 0;
  #full: Buffer[] = [];
  readonly #size: number;
  /**
   * The last value typedField wrote, for the profile's extremes (value-extremes.ts): the integer
   * (NaN past 15 digits), the days of a date or timestamp, a time's microseconds, 1/0 for a boolean.
   */
  value = 0;
  /** A timestamp's microseconds of the day. */
  value2 = 0;

  constructor(bufferBytes = ROW_BUFFER_BYTES) {
    this.#size = bufferBytes;
    this.#buf = Buffer.allocUnsafe(bufferBytes);
  }

  /** Starts a row of `fieldCount` fields (the `_id` counts as one). */
  startRow(fieldCount: number): void {
    this.#room(2);
    this.#rowStart = this.#pos;
    const b = this.#buf;
    b[this.#pos] = fieldCount >>> 8;
    b[this.#pos + 1] = fieldCount;
    this.#pos += 2;
  }

  /** An int8 field from a safe integer (the `_id` column). */
  bigint(id: number): void {
    const hi = Math.floor(id / TWO_32);
    this.#int8(hi, id - hi * TWO_32);
  }

  /** A NULL field. */
  nullField(): void {
    this.#room(4);
    this.#int32(-1);
  }

  /**
   * One value of a `type` column from the field bytes [start, end) of `buf` (valid UTF-8, unquoted,
   * `""` collapsed). Text is kept untrimmed, NULL when its trimmed value is a null token; other types
   * are trimmed, NULL when a null token, else converted. False, with nothing written, for a value
   * this writer does not convert: the caller writes a NULL and leaves the cell to the SQL cast.
   */
  field(type: DatastoreType, buf: Uint8Array, start: number, end: number, nulls: NullTokenBytes): boolean {
    if (type !== 'text') return this.typedField(type, buf, start, end, nulls) !== DECLINED;
    this.textField(buf, start, end, nulls);
    return true;
  }

  /** A text value, untrimmed, or NULL when its trimmed value is a null token: WROTE_VALUE or WROTE_NULL. */
  textField(buf: Uint8Array, start: number, end: number, nulls: NullTokenBytes): number {
    const s = trimStart(buf, start, end);
    if (nulls.has(buf, s, trimEnd(buf, s, end))) {
      this.nullField();
      return WROTE_NULL;
    }
    this.#bytes(buf, start, end);
    return WROTE_VALUE;
  }

  /**
   * field() for a column of a type other than text, saying what it did: WROTE_VALUE, WROTE_NULL (a
   * null token) or DECLINED (nothing written).
   */
  typedField(
    type: DatastoreType,
    buf: Uint8Array,
    start: number,
    end: number,
    nulls: NullTokenBytes,
  ): number {
    const s = trimStart(buf, start, end);
    const e = trimEnd(buf, s, end);
    if (nulls.has(buf, s, e)) {
      this.nullField();
      return WROTE_NULL;
    }
    return this.#converted(type, buf, s, e) ? WROTE_VALUE : DECLINED;
  }

  /** A text value known not to be a null token: its bytes, untrimmed. */
  text(buf: Uint8Array, start: number, end: number): void {
    this.#bytes(buf, start, end);
  }

  #converted(type: DatastoreType, buf: Uint8Array, s: number, e: number): boolean {
    switch (type) {
      case 'integer':
        return this.#integer(buf, s, e);
      case 'bigint':
        return this.#bigint(buf, s, e);
      case 'numeric':
        return this.#numeric(buf, s, e);
      case 'boolean':
        return this.#boolean(buf, s, e);
      case 'date':
        return this.#date(buf, s, e);
      case 'timestamp':
        return this.#timestamp(buf, s, e);
      case 'time':
        return this.#time(buf, s, e);
      default:
        return false;
    }
  }

  /** The bytes written so far, leaving the writer empty. Call between rows. */
  take(): Buffer[] {
    const out = this.#full;
    this.#full = [];
    if (this.#pos > this.#chunkStart) out.push(this.#buf.subarray(this.#chunkStart, this.#pos));
    // The rest of the buffer stays in use: what was handed out lies before #pos and is never rewritten.
    this.#chunkStart = this.#pos;
    this.#rowStart = this.#pos;
    return out;
  }

  /** Bytes written and not yet taken. */
  get pendingBytes(): number {
    let n = this.#pos - this.#chunkStart;
    for (const b of this.#full) n += b.length;
    return n;
  }

  /** Makes room for `n` more bytes: a full buffer is set aside at the row's start and the row moved on. */
  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    if (this.#rowStart > this.#chunkStart)
      this.#full.push(this.#buf.subarray(this.#chunkStart, this.#rowStart));
    const partial = this.#pos - this.#rowStart;
    const next = Buffer.allocUnsafe(Math.max(this.#size, 2 * (partial + n)));
    this.#buf.copy(next, 0, this.#rowStart, this.#pos);
    this.#buf = next;
    this.#chunkStart = 0;
    this.#rowStart = 0;
    this.#pos = partial;
  }

  /** A big-endian int32 at #pos (room already made). */
  #int32(v: number): void {
    const b = this.#buf;
    const p = this.#pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.#pos = p + 4;
  }

  /** An int8 field of the signed high and unsigned low 32-bit halves. */
  #int8(hi: number, lo: number): void {
    this.#room(12);
    this.#int32(8);
    this.#int32(hi);
    this.#int32(lo);
  }

  /** An int4 field. */
  #int4(v: number): void {
    this.#room(8);
    this.#int32(4);
    this.#int32(v);
  }

  /** A field of the bytes as they are (text). */
  #bytes(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    this.#room(4 + len);
    this.#int32(len);
    const b = this.#buf;
    let p = this.#pos;
    // Short values are copied by hand: set() on a subarray allocates a view for each.
    if (len <= 32) for (let i = start; i < end; i++) b[p++] = src[i]!;
    else {
      b.set(src.subarray(start, end), p);
      p += len;
    }
    this.#pos = p;
  }

  #integer(buf: Uint8Array, s: number, e: number): boolean {
    const v = parseInteger(buf, s, e, 10, 10);
    if (v < 0 || v > (negative ? 2_147_483_648 : 2_147_483_647)) return false;
    this.value = negative ? -v : v;
    this.#int4(this.value);
    return true;
  }

  #bigint(buf: Uint8Array, s: number, e: number): boolean {
    const v = parseInteger(buf, s, e, MAX_INTEGER_DIGITS, MAX_SEPARATED_INT8_DIGITS);
    if (v < 0) return false;
    let hi: number;
    let lo: number;
    if (integerDigits <= 15) {
      hi = Math.floor(v / TWO_32);
      lo = v - hi * TWO_32;
      this.value = negative ? -v : v;
    } else {
      this.value = Number.NaN;
      lo = int8Halves(buf, s, e);
      hi = int8High;
    }
    // 18 digits are below 2^63: no overflow. Negate as two's complement across the halves.
    if (!negative) this.#int8(hi, lo);
    else if (lo === 0) this.#int8(-hi, 0);
    else this.#int8(-hi - 1, TWO_32 - lo);
    return true;
  }

  /** numeric's binary form: base-10000 digits around the point, weight, sign and the typed scale. */
  #numeric(buf: Uint8Array, s: number, e: number): boolean {
    if (!parseNumeric(buf, s, e)) return false;
    // Pad the integer part on the left to whole groups of four; the fraction on the right.
    const lead = (4 - (intDigits % 4)) % 4;
    const total = lead + intDigits + fracDigits;
    const groups = (total + 3) >> 2;
    let weight = ((lead + intDigits) >> 2) - 1;
    const digits = intDigits + fracDigits;
    for (let g = 0; g < groups; g++) {
      let v = 0;
      for (let k = g * 4 - lead, last = k + 4; k < last; k++)
        v = v * 10 + (k >= 0 && k < digits ? DIGITS[k]! : 0);
      GROUPS[g] = v;
    }
    // Leading and trailing zero groups are dropped, as PostgreSQL stores numerics.
    let from = 0;
    while (from < groups && GROUPS[from] === 0) {
      from++;
      weight--;
    }
    let to = groups;
    while (to > from && GROUPS[to - 1] === 0) to--;
    const n = to - from;
    this.#room(12 + 2 * n);
    const b = this.#buf;
    let p = this.#pos;
    this.#int32(8 + 2 * n);
    p += 4;
    const w = n === 0 ? 0 : weight;
    // A zero is positive (-0.000 is 0.000), and keeps the scale it was typed with.
    const sign = negative && n > 0 ? 0x4000 : 0;
    b[p] = n >>> 8;
    b[p + 1] = n;
    b[p + 2] = w >>> 8;
    b[p + 3] = w;
    b[p + 4] = sign >>> 8;
    b[p + 5] = 0;
    b[p + 6] = fracDigits >>> 8;
    b[p + 7] = fracDigits;
    p += 8;
    for (let g = from; g < to; g++) {
      const v = GROUPS[g]!;
      b[p++] = v >>> 8;
      b[p++] = v;
    }
    this.#pos = p;
    return true;
  }

  /** TRUE_WORDS and FALSE_WORDS (types/patterns.ts), ASCII letters in any case. */
  #boolean(buf: Uint8Array, s: number, e: number): boolean {
    const v = booleanOf(buf, s, e);
    if (v < 0) return false;
    this.value = v;
    this.#room(5);
    this.#int32(1);
    this.#buf[this.#pos++] = v;
    return true;
  }

  #date(buf: Uint8Array, s: number, e: number): boolean {
    const days = parseDate(buf, s, e);
    if (days === INVALID_DATE || dateEnd() !== e) return false;
    this.value = days;
    this.#int4(days);
    return true;
  }

  /** A date, or a date then 'T' or one space and a time of day. */
  #timestamp(buf: Uint8Array, s: number, e: number): boolean {
    const days = parseDate(buf, s, e);
    if (days === INVALID_DATE) return false;
    let micros = 0;
    const at = dateEnd();
    if (at !== e) {
      const c = buf[at];
      if (c !== 84 && c !== 32) return false;
      micros = parseTime(buf, at + 1, e);
      if (micros < 0) return false;
    }
    this.value = days;
    this.value2 = micros;
    this.#int8Days(days, micros);
    return true;
  }

  #time(buf: Uint8Array, s: number, e: number): boolean {
    const micros = parseTime(buf, s, e);
    if (micros < 0) return false;
    this.value = micros;
    // Below 2^37: the high half is small.
    const hi = Math.floor(micros / TWO_32);
    this.#int8(hi, micros - hi * TWO_32);
    return true;
  }

  /**
   * days · 86,400,000,000 + micros as an int8, exactly: 9999-12-31 is past 2^53 microseconds, so the
   * product is taken as days · 20 · 2^32 + days · 500,654,080, whose second term stays below 2^53.
   */
  #int8Days(days: number, micros: number): void {
    const low = days * US_DAY_LO + micros;
    const carry = Math.floor(low / TWO_32);
    this.#int8(days * US_DAY_HI + carry, low - carry * TWO_32);
  }
}
