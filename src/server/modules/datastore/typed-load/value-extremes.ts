import type { DatastoreType } from '../../../../contracts/datastore-values.ts';
import { compareDigits, numericText } from './decimal-digits.ts';
import { DIGITS, fracDigits, intDigits, NUMERIC_BYTES, negative } from './number-bytes.ts';

// The quality profile's per-column extremes — min and max of typed columns, the shortest and longest
// text — gathered while the typed load writes the rows, so that the profile need not read the table
// again (quality/profile.ts, aggregatePass). Each figure is exactly what the aggregate would give:
// values compare as PostgreSQL compares them and are shown as PostgreSQL prints them (ISO dates,
// numerics through trim_scale). A column with a value this cannot follow exactly (an int8 past 15
// digits, a value left to the SQL cast) is marked unknown, and the profile reads that column itself.
// Declared fields, no parameter properties: worker threads load this with Node's type stripping.

/** What the profile shows of a column's extremes (text: lengths in characters; others: min/max). */
export interface ColumnExtremes {
  min: string | null;
  max: string | null;
  minLength: number | null;
  maxLength: number | null;
}

const TEXT = 0;
const NUMBER = 1;
const NUMERIC = 2;
const BOOLEAN = 3;
const DATE = 4;
const TIMESTAMP = 5;
const TIME = 6;

const KIND: Record<DatastoreType, number> = {
  text: TEXT,
  integer: NUMBER,
  bigint: NUMBER,
  numeric: NUMERIC,
  boolean: BOOLEAN,
  date: DATE,
  timestamp: TIMESTAMP,
  time: TIME,
};

/** Significant digits a double holds exactly: numerics of at most this many digits compare as doubles first. */
const EXACT_DIGITS = 15;
const POW10 = Array.from({ length: EXACT_DIGITS + 1 }, (_, i) => 10 ** i);

/**
 * Extremes of the values written, per table column. The last value written is passed in as numbers
 * (binary-rows.ts leaves them on the writer; a numeric's digits stay in number-bytes.ts' state).
 */
export class ValueExtremes {
  readonly kinds: Uint8Array;
  /** 1 once a value was seen. */
  readonly seen: Uint8Array;
  /** 1 when a value could not be followed exactly: the profile reads the column instead. */
  readonly unknown: Uint8Array;
  /** Minimum and maximum (text: lengths; booleans: any false, any true; timestamps: days). */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Timestamps: the microseconds of the day of lo and hi. */
  readonly lo2: Float64Array;
  readonly hi2: Float64Array;
  /** Numerics: the digits of lo and hi (NUMERIC_BYTES per column), their integer and fraction digit counts and signs. */
  readonly loDigits: Uint8Array;
  readonly hiDigits: Uint8Array;
  readonly loShape: Int32Array;
  readonly hiShape: Int32Array;

  constructor(types: readonly DatastoreType[]) {
    const n = types.length;
    this.kinds = Uint8Array.from(types, (t) => KIND[t]);
    this.seen = new Uint8Array(n);
    this.unknown = new Uint8Array(n);
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.lo2 = new Float64Array(n);
    this.hi2 = new Float64Array(n);
    const numerics = types.some((t) => t === 'numeric') ? n : 0;
    this.loDigits = new Uint8Array(numerics * NUMERIC_BYTES);
    this.hiDigits = new Uint8Array(numerics * NUMERIC_BYTES);
    this.loShape = new Int32Array(numerics * 3);
    this.hiShape = new Int32Array(numerics * 3);
  }

  /** A text value of column j: the bytes [start, end) of valid UTF-8, as stored. */
  text(j: number, buf: Uint8Array, start: number, end: number): void {
    // Characters ≤ bytes ≤ 4 · characters: most values cannot be a new extreme, and are not counted.
    const bytes = end - start;
    if (this.seen[j] === 1 && bytes <= this.hi[j]! && bytes >= 4 * this.lo[j]!) return;
    // Characters are the bytes that do not continue a UTF-8 sequence (10xxxxxx).
    let chars = bytes;
    for (let i = start; i < end; i++) chars -= buf[i]! >>> 6 === 2 ? 1 : 0;
    this.#number(j, chars);
  }

  /**
   * A value of a column of another type, as the writer converted it: `a` is the integer, the days,
   * the microseconds of a time, 1/0 for a boolean (NaN when it could not say exactly); `b` a
   * timestamp's microseconds of the day. A numeric's digits are read from number-bytes.ts.
   */
  typed(j: number, a: number, b: number): void {
    switch (this.kinds[j]) {
      case NUMBER:
      case DATE:
      case TIME:
        if (Number.isNaN(a)) this.unknown[j] = 1;
        else this.#number(j, a);
        return;
      case BOOLEAN:
        if (this.seen[j] === 0) {
          this.seen[j] = 1;
          this.lo[j] = 0;
          this.hi[j] = 0;
        }
        if (a === 1) this.hi[j] = 1;
        else this.lo[j] = 1;
        return;
      case TIMESTAMP:
        this.#timestamp(j, a, b);
        return;
      case NUMERIC:
        this.#numeric(j);
        return;
    }
  }

  /** A value of column j left to the SQL cast: its extremes are the profile's to find. */
  missed(j: number): void {
    this.unknown[j] = 1;
  }

  #number(j: number, v: number): void {
    if (this.seen[j] === 0) {
      this.seen[j] = 1;
      this.lo[j] = v;
      this.hi[j] = v;
    } else if (v < this.lo[j]!) this.lo[j] = v;
    else if (v > this.hi[j]!) this.hi[j] = v;
  }

  #timestamp(j: number, days: number, micros: number): void {
    if (this.seen[j] === 0) {
      this.seen[j] = 1;
      this.lo[j] = days;
      this.lo2[j] = micros;
      this.hi[j] = days;
      this.hi2[j] = micros;
      return;
    }
    if (days < this.lo[j]! || (days === this.lo[j] && micros < this.lo2[j]!)) {
      this.lo[j] = days;
      this.lo2[j] = micros;
    }
    if (days > this.hi[j]! || (days === this.hi[j] && micros > this.hi2[j]!)) {
      this.hi[j] = days;
      this.hi2[j] = micros;
    }
  }

  /** The numeric just parsed (DIGITS, intDigits, fracDigits, negative). */
  #numeric(j: number): void {
    const total = intDigits + fracDigits;
    // Within 15 digits the value and its double order alike (one correctly rounded division).
    let v = Number.NaN;
    if (total <= EXACT_DIGITS) {
      let m = 0;
      for (let i = 0; i < total; i++) m = m * 10 + DIGITS[i]!;
      v = m / POW10[fracDigits]!;
      if (negative) v = -v;
    }
    if (this.seen[j] === 0) {
      this.seen[j] = 1;
      this.#keepNumeric(j, v, this.loDigits, this.loShape, this.lo);
      this.#keepNumeric(j, v, this.hiDigits, this.hiShape, this.hi);
      return;
    }
    if (this.#below(v, this.lo[j]!, j, this.loDigits, this.loShape))
      this.#keepNumeric(j, v, this.loDigits, this.loShape, this.lo);
    if (this.#below(this.hi[j]!, v, j, this.hiDigits, this.hiShape, true))
      this.#keepNumeric(j, v, this.hiDigits, this.hiShape, this.hi);
  }

  /**
   * Whether x < y, where one of them is the numeric just parsed (`parsedFirst`: y is the stored one
   * when false, x when true) and the other column j's stored extreme in `digits`/`shape`.
   */
  #below(
    x: number,
    y: number,
    j: number,
    digits: Uint8Array,
    shape: Int32Array,
    parsedSecond = false,
  ): boolean {
    // Different doubles order the values; equal ones (or NaN: too many digits) need the digits.
    if (x < y) return true;
    if (x > y) return false;
    const o = j * 3;
    const stored = compareDigits(
      digits,
      j * NUMERIC_BYTES,
      shape[o]!,
      shape[o + 1]!,
      shape[o + 2] === 1,
      DIGITS,
      0,
      intDigits,
      fracDigits,
      negative,
    );
    // stored < parsed is what "hi below parsed" asks; parsed < stored what "parsed below lo" asks.
    return parsedSecond ? stored < 0 : stored > 0;
  }

  #keepNumeric(j: number, v: number, digits: Uint8Array, shape: Int32Array, approx: Float64Array): void {
    digits.set(DIGITS.subarray(0, intDigits + fracDigits), j * NUMERIC_BYTES);
    const o = j * 3;
    shape[o] = intDigits;
    shape[o + 1] = fracDigits;
    shape[o + 2] = negative ? 1 : 0;
    approx[j] = v;
  }

  /** Takes in the extremes another part of the file found (same columns). */
  absorb(other: ValueExtremesState): void {
    for (let j = 0; j < this.kinds.length; j++) {
      if (other.unknown[j] === 1) this.unknown[j] = 1;
      if (other.seen[j] === 0) continue;
      if (this.seen[j] === 0) {
        this.#copyFrom(other, j, true);
        this.#copyFrom(other, j, false);
        this.seen[j] = 1;
        continue;
      }
      const kind = this.kinds[j];
      if (kind === BOOLEAN) {
        this.lo[j] = Math.max(this.lo[j]!, other.lo[j]!);
        this.hi[j] = Math.max(this.hi[j]!, other.hi[j]!);
      } else if (kind === NUMERIC) {
        if (compareStored(other, this, j, true) < 0) this.#copyFrom(other, j, true);
        if (compareStored(other, this, j, false) > 0) this.#copyFrom(other, j, false);
      } else {
        const lower =
          other.lo[j]! < this.lo[j]! || (other.lo[j] === this.lo[j] && other.lo2[j]! < this.lo2[j]!);
        const higher =
          other.hi[j]! > this.hi[j]! || (other.hi[j] === this.hi[j] && other.hi2[j]! > this.hi2[j]!);
        if (lower) this.#copyFrom(other, j, true);
        if (higher) this.#copyFrom(other, j, false);
      }
    }
  }

  #copyFrom(other: ValueExtremesState, j: number, low: boolean): void {
    const [to, from] = low ? [this.lo, other.lo] : [this.hi, other.hi];
    to[j] = from[j]!;
    (low ? this.lo2 : this.hi2)[j] = (low ? other.lo2 : other.hi2)[j]!;
    if (this.kinds[j] !== NUMERIC) return;
    const digits = low ? other.loDigits : other.hiDigits;
    (low ? this.loDigits : this.hiDigits).set(
      digits.subarray(j * NUMERIC_BYTES, (j + 1) * NUMERIC_BYTES),
      j * NUMERIC_BYTES,
    );
    (low ? this.loShape : this.hiShape).set(
      (low ? other.loShape : other.hiShape).subarray(j * 3, j * 3 + 3),
      j * 3,
    );
  }

  /** The extremes as the profile shows them, null for a column the profile must read itself. */
  facts(): (ColumnExtremes | null)[] {
    return Array.from(this.kinds, (kind, j): ColumnExtremes | null => {
      if (this.unknown[j] === 1) return null;
      if (this.seen[j] === 0) return { min: null, max: null, minLength: null, maxLength: null };
      if (kind === TEXT) return { min: null, max: null, minLength: this.lo[j]!, maxLength: this.hi[j]! };
      return { min: this.#shown(j, true), max: this.#shown(j, false), minLength: null, maxLength: null };
    });
  }

  #shown(j: number, low: boolean): string {
    const a = (low ? this.lo : this.hi)[j]!;
    switch (this.kinds[j]) {
      case BOOLEAN:
        // min is bool_and (false once any value is false), max bool_or.
        return low ? (a === 1 ? 'false' : 'true') : a === 1 ? 'true' : 'false';
      case DATE:
        return isoDate(a);
      case TIME:
        return clock(a);
      case TIMESTAMP:
        return `${isoDate(a)} ${clock((low ? this.lo2 : this.hi2)[j]!)}`;
      case NUMERIC: {
        const shape = low ? this.loShape : this.hiShape;
        return numericText(
          low ? this.loDigits : this.hiDigits,
          j * NUMERIC_BYTES,
          shape[j * 3]!,
          shape[j * 3 + 1]!,
          shape[j * 3 + 2] === 1,
        );
      }
      default:
        return String(a);
    }
  }
}

/** What a worker thread sends back of its ValueExtremes (a structured clone keeps only the fields). */
export type ValueExtremesState = Pick<
  ValueExtremes,
  'kinds' | 'seen' | 'unknown' | 'lo' | 'hi' | 'lo2' | 'hi2' | 'loDigits' | 'hiDigits' | 'loShape' | 'hiShape'
>;

/** The extremes of several parts of one file, as the profile shows them. */
export function mergeExtremes(parts: readonly ValueExtremesState[], types: readonly DatastoreType[]) {
  const all = new ValueExtremes(types);
  for (const p of parts) all.absorb(p);
  return all.facts();
}

/** Compares the stored lo (`low`) or hi numerics of column j of a and b: <0, 0, >0. */
function compareStored(a: ValueExtremesState, b: ValueExtremesState, j: number, low: boolean): number {
  const [da, sa] = low ? [a.loDigits, a.loShape] : [a.hiDigits, a.hiShape];
  const [db, sb] = low ? [b.loDigits, b.loShape] : [b.hiDigits, b.hiShape];
  const o = j * 3;
  return compareDigits(
    da,
    j * NUMERIC_BYTES,
    sa[o]!,
    sa[o + 1]!,
    sa[o + 2] === 1,
    db,
    j * NUMERIC_BYTES,
    sb[o]!,
    sb[o + 1]!,
    sb[o + 2] === 1,
  );
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Days since 2000-01-01 as PostgreSQL's ISO output (years 1000–9999, as the writer accepts). */
function isoDate(days: number): string {
  const d = new Date(Date.UTC(2000, 0, 1) + days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Microseconds since midnight as HH:MM:SS with the fraction PostgreSQL prints (trailing zeros cut). */
function clock(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const hms = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return fraction === 0 ? hms : `${hms}.${pad(fraction, 6).replace(/0+$/, '')}`;
}
