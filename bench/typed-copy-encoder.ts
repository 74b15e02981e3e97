// Binary COPY rows from text values for the typed-COPY experiment (bench/datastore-load-typed-copy.ts):
// every value is checked against its column's type in Node — a hand-written test for the common
// shapes, the reference classifier (types/classify.ts) for anything else — and encoded in
// PostgreSQL's binary format, so that the database only stores. Not the product's load path: a
// measurement of how fast that design could go on this machine. A misfit throws; the product would
// fall back to the staging table instead.
import {
  DEFAULT_NULL_TOKENS,
  maskOfTrimmed,
  normalizeNullTokens,
  trimValue,
} from '../src/server/modules/datastore/types/classify.ts';
import { BIT, FALSE_WORDS, TRUE_WORDS, validDay } from '../src/server/modules/datastore/types/patterns.ts';

export type TypedColumn =
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'text';

const NULLS = new Set(normalizeNullTokens(DEFAULT_NULL_TOKENS));
const LONGEST_NULL = Math.max(...[...NULLS].map((t) => t.length));
const BOOLEANS = new Map<string, number>([
  ...TRUE_WORDS.map((w): [string, number] => [w, 1]),
  ...FALSE_WORDS.map((w): [string, number] => [w, 0]),
]);
const TRIMMED = new Set([32, 9, 10, 11, 12, 13, 0xa0, 0x3000, 0xfeff]);
const PG_EPOCH_DAYS = Date.UTC(2000, 0, 1) / 86_400_000;
const US_PER_DAY = 86_400_000_000;
const TWO_32 = 4_294_967_296;

export class Misfit extends Error {}

/** The PGCOPY header (signature, flags, header extension length). */
export const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** The trailer: a field count of -1. */
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

const isDigit = (c: number) => c >= 48 && c <= 57;
const trim = (s: string) =>
  s.length === 0 || (!TRIMMED.has(s.charCodeAt(0)) && !TRIMMED.has(s.charCodeAt(s.length - 1)))
    ? s
    : trimValue(s);
const daysOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000 - PG_EPOCH_DAYS;

/** A plain integer of at most 9 digits, no leading zero: its value; else undefined. */
function plainInteger(t: string): number | undefined {
  const len = t.length;
  const neg = t.charCodeAt(0) === 45;
  const start = neg ? 1 : 0;
  if (len - start < 1 || len - start > 9 || (t.charCodeAt(start) === 48 && len - start > 1)) return undefined;
  let v = 0;
  for (let i = start; i < len; i++) {
    const c = t.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    v = v * 10 + c - 48;
  }
  return neg ? -v : v;
}

// Where the last digitRun ended: module state rather than a closure per value (tsx compiles closures
// with a naming helper whose call, and garbage, cost as much as the whole check).
let runEnd = 0;

/** The value of the one- or two-digit run in `t` from `i` (its end in runEnd), or -1. */
function digitRun(t: string, i: number): number {
  let v = 0;
  let k = i;
  while (k < t.length && isDigit(t.charCodeAt(k))) v = v * 10 + t.charCodeAt(k++) - 48;
  runEnd = k;
  return k - i >= 1 && k - i <= 2 ? v : -1;
}

/** Days since 2000-01-01 of a year-first date (2023-05-21, 2023/5/21, 2023.5.21, 2023年5月21日). */
function yearFirstDate(t: string): number | undefined {
  const len = t.length;
  if (len < 8 || !isDigit(t.charCodeAt(0)) || t.charCodeAt(0) === 48) return undefined;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = t.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    y = y * 10 + c - 48;
  }
  const sep = t.charCodeAt(4);
  const hanzi = sep === 0x5e74; // 年, then 月 and 日
  if (!hanzi && sep !== 45 && sep !== 47 && sep !== 46) return undefined;
  const m = digitRun(t, 5);
  if (m < 0 || t.charCodeAt(runEnd) !== (hanzi ? 0x6708 : sep)) return undefined;
  const d = digitRun(t, runEnd + 1);
  let i = runEnd;
  if (d < 0 || (hanzi && t.charCodeAt(i++) !== 0x65e5)) return undefined;
  if (i !== len || m < 1 || m > 12 || d < 1 || !validDay(y, m, d)) return undefined;
  return daysOf(y, m, d);
}

/** Two digits 00–59 at `at`, or -1. */
function sixties(t: string, at: number): number {
  const a = t.charCodeAt(at) - 48;
  const b = t.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 5 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Microseconds since midnight of H:MM, HH:MM or HH:MM:SS (hours 0–23). */
function timeOfDay(t: string): number | undefined {
  const len = t.length;
  const short = t.charCodeAt(1) === 58;
  const h = short ? t.charCodeAt(0) - 48 : (t.charCodeAt(0) - 48) * 10 + t.charCodeAt(1) - 48;
  let i = short ? 2 : 3;
  if ((!short && t.charCodeAt(2) !== 58) || !isDigit(t.charCodeAt(0)) || !isDigit(t.charCodeAt(i - 2)))
    return undefined;
  if (h > 23) return undefined;
  const m = sixties(t, i);
  if (m < 0) return undefined;
  i += 2;
  let s = 0;
  if (i < len) {
    if (t.charCodeAt(i) !== 58 || i + 3 !== len) return undefined;
    s = sixties(t, i + 1);
    if (s < 0) return undefined;
  } else if (i !== len) return undefined;
  return ((h * 60 + m) * 60 + s) * 1_000_000;
}

/** 1,234,567: groups of three after a first group of one to three digits (not starting with 0). */
function separatedGroups(t: string): boolean {
  const first = t.indexOf(',');
  if (first < 1 || first > 3 || t.charCodeAt(0) === 48) return false;
  for (let i = first; i < t.length; i += 4) if (t.charCodeAt(i) !== 44 || i + 4 > t.length) return false;
  return true;
}

/** A plain decimal: 1–9 first (or 0 before a point), digits, at most one point with digits after it. */
function plainDecimal(t: string): boolean {
  const len = t.length;
  if (len === 0 || len > 100) return false;
  const c0 = t.charCodeAt(0);
  if (c0 === 48 ? len > 1 && t.charCodeAt(1) !== 46 : !isDigit(c0)) return false;
  let dot = -1;
  for (let i = 0; i < len; i++) {
    const c = t.charCodeAt(i);
    if (c === 46) {
      if (dot >= 0) return false;
      dot = i;
    } else if (!isDigit(c)) return false;
  }
  return dot !== len - 1;
}

/** Writes binary COPY tuples into growing buffers, handed out by take(). */
export class CopyTupleWriter {
  #buf = Buffer.allocUnsafe(1 << 20);
  #pos = 0;
  #full: Buffer[] = [];

  constructor(private readonly types: readonly TypedColumn[]) {}

  /** One row: its _id and one text value (or null) per column. */
  row(id: number, values: readonly (string | null | undefined)[]): void {
    this.#room(14);
    this.#buf.writeInt16BE(this.types.length + 1, this.#pos);
    this.#pos += 2;
    this.#int8(id);
    for (let c = 0; c < this.types.length; c++) this.#value(this.types[c]!, values[c] ?? null);
  }

  /** The bytes written so far (whole rows), leaving the writer empty. */
  take(): Buffer[] {
    const out = this.#full;
    if (this.#pos > 0) out.push(this.#buf.subarray(0, this.#pos));
    this.#full = [];
    this.#buf = Buffer.allocUnsafe(1 << 20);
    this.#pos = 0;
    return out;
  }

  /** Bytes waiting in full buffers (the current one not counted). */
  pendingBuffers(): number {
    return this.#full.length;
  }

  #room(n: number) {
    if (this.#pos + n <= this.#buf.length) return;
    this.#full.push(this.#buf.subarray(0, this.#pos));
    this.#buf = Buffer.allocUnsafe(Math.max(1 << 20, n));
    this.#pos = 0;
  }

  #null() {
    this.#room(4);
    this.#buf.writeInt32BE(-1, this.#pos);
    this.#pos += 4;
  }

  #int4(v: number) {
    this.#room(8);
    this.#buf.writeInt32BE(4, this.#pos);
    this.#buf.writeInt32BE(v, this.#pos + 4);
    this.#pos += 8;
  }

  #int8(v: number) {
    this.#room(12);
    const hi = Math.floor(v / TWO_32);
    this.#buf.writeInt32BE(8, this.#pos);
    this.#buf.writeInt32BE(hi, this.#pos + 4);
    this.#buf.writeUInt32BE(v - hi * TWO_32, this.#pos + 8);
    this.#pos += 12;
  }

  #text(raw: string) {
    const len = Buffer.byteLength(raw);
    this.#room(4 + len);
    this.#buf.writeInt32BE(len, this.#pos);
    this.#pos += 4 + this.#buf.write(raw, this.#pos + 4, len, 'utf8');
  }

  /** numeric's binary form: base-10000 digits, weight, sign and display scale, from `[-]digits[.digits]`. */
  #numeric(s: string) {
    const neg = s.charCodeAt(0) === 45;
    const body = neg || s.charCodeAt(0) === 43 ? s.slice(1) : s;
    const dot = body.indexOf('.');
    const int = (dot < 0 ? body : body.slice(0, dot)).replace(/^0+/, '');
    const frac = dot < 0 ? '' : body.slice(dot + 1);
    const intPadded = '0'.repeat((4 - (int.length % 4)) % 4) + int;
    const fracPadded = frac + '0'.repeat((4 - (frac.length % 4)) % 4);
    const digits: number[] = [];
    for (let k = 0; k < intPadded.length; k += 4) digits.push(Number(intPadded.slice(k, k + 4)));
    for (let k = 0; k < fracPadded.length; k += 4) digits.push(Number(fracPadded.slice(k, k + 4)));
    let weight = intPadded.length / 4 - 1;
    let from = 0;
    while (from < digits.length && digits[from] === 0) {
      from++;
      weight--;
    }
    let to = digits.length;
    while (to > from && digits[to - 1] === 0) to--;
    const n = to - from;
    this.#room(12 + n * 2);
    const b = this.#buf;
    let p = this.#pos;
    b.writeInt32BE(8 + n * 2, p);
    b.writeInt16BE(n, p + 4);
    b.writeInt16BE(n === 0 ? 0 : weight, p + 6);
    b.writeUInt16BE(neg && n > 0 ? 0x4000 : 0, p + 8);
    b.writeInt16BE(frac.length, p + 10);
    p += 12;
    for (let k = from; k < to; k++, p += 2) b.writeInt16BE(digits[k]!, p);
    this.#pos = p;
  }

  #value(type: TypedColumn, raw: string | null) {
    if (raw === null) return this.#null();
    const t = trim(raw);
    if (t === '' || (t.length <= LONGEST_NULL && NULLS.has(t))) return this.#null();
    if (type === 'text') return this.#text(raw);
    switch (type) {
      case 'integer': {
        const v = plainInteger(t) ?? (separatedGroups(t) ? plainInteger(t.replaceAll(',', '')) : undefined);
        if (v !== undefined) return this.#int4(v);
        break;
      }
      case 'boolean': {
        const v = BOOLEANS.get(t.length <= 5 ? t.toLowerCase() : t);
        if (v !== undefined) {
          this.#room(5);
          this.#buf.writeInt32BE(1, this.#pos);
          this.#buf[this.#pos + 4] = v;
          this.#pos += 5;
          return;
        }
        break;
      }
      case 'date': {
        const d = yearFirstDate(t);
        if (d !== undefined) return this.#int4(d);
        break;
      }
      case 'time': {
        const us = timeOfDay(t);
        if (us !== undefined) return this.#int8(us);
        break;
      }
      case 'timestamp': {
        const sep = t.charCodeAt(10);
        if (t.length === 19 && (sep === 32 || sep === 84)) {
          const d = yearFirstDate(t.slice(0, 10));
          const us = timeOfDay(t.slice(11));
          if (d !== undefined && us !== undefined) return this.#int8(d * US_PER_DAY + us);
        }
        break;
      }
      case 'numeric':
        if (plainDecimal(t)) return this.#numeric(t);
        break;
    }
    // The uncommon shapes: the reference classifier decides, and the experiment stops on a misfit.
    const mask = maskOfTrimmed(t, NULLS);
    if ((mask & BIT[type as Exclude<TypedColumn, 'text'>]) === 0) throw new Misfit(`"${t}" is not ${type}`);
    throw new Misfit(`"${t}" fits ${type} but has no fast encoding in this experiment`);
  }
}
