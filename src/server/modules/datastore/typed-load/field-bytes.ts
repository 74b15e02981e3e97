import { normalizeNullTokens } from '../types/classify.ts';

// Byte-level helpers for the typed load (a UTF-8 delimited file read without making a string per
// cell): where a field's trimmed value starts and ends, and whether it is one of the load's null
// tokens. They follow trimValue and normalizeNullTokens (types/classify.ts) exactly.

/** Start of the field once TRIM_CHARS are skipped: ASCII spaces and controls, U+00A0, U+3000, U+FEFF. */
export function trimStart(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (c === 32 || (c >= 9 && c <= 13)) i++;
    else if (c === 0xc2 && i + 1 < end && buf[i + 1] === 0xa0) i += 2;
    else if (c === 0xe3 && i + 2 < end && buf[i + 1] === 0x80 && buf[i + 2] === 0x80) i += 3;
    else if (c === 0xef && i + 2 < end && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) i += 3;
    else break;
  }
  return i;
}

/** End of the field once TRIM_CHARS are dropped from its end (never before `start`). */
export function trimEnd(buf: Uint8Array, start: number, end: number): number {
  let e = end;
  while (e > start) {
    const c = buf[e - 1]!;
    if (c === 32 || (c >= 9 && c <= 13)) e--;
    else if (c === 0xa0 && e - 2 >= start && buf[e - 2] === 0xc2) e -= 2;
    else if (c === 0x80 && e - 3 >= start && buf[e - 2] === 0x80 && buf[e - 3] === 0xe3) e -= 3;
    else if (c === 0xbf && e - 3 >= start && buf[e - 2] === 0xbb && buf[e - 3] === 0xef) e -= 3;
    else break;
  }
  return e;
}

/** The load's null tokens as UTF-8 bytes, for comparing trimmed fields without decoding them. */
export class NullTokenBytes {
  readonly tokens: readonly string[];
  /** Whether the empty string (after trimming) is a null token. */
  readonly empty: boolean;
  readonly #byLength: Map<number, Uint8Array[]>;
  readonly #longest: number;
  /**
   * Per first byte and per last byte, bit n set if some token of n bytes (n ≤ 31; longer ones set
   * bit 31) starts or ends with it: most fields are ruled out by two table reads, before any lookup.
   */
  readonly #lengthsByFirst = new Uint32Array(256);
  readonly #lengthsByLast = new Uint32Array(256);

  constructor(tokens: readonly string[]) {
    this.tokens = normalizeNullTokens(tokens);
    this.empty = this.tokens.includes('');
    this.#byLength = new Map();
    for (const t of this.tokens) {
      if (t === '') continue;
      const bytes = Buffer.from(t, 'utf8');
      const list = this.#byLength.get(bytes.length) ?? [];
      list.push(bytes);
      this.#byLength.set(bytes.length, list);
      const bit = 1 << Math.min(bytes.length, 31);
      this.#lengthsByFirst[bytes[0]!]! |= bit;
      this.#lengthsByLast[bytes[bytes.length - 1]!]! |= bit;
    }
    this.#longest = Math.max(0, ...this.#byLength.keys());
  }

  /** Whether the trimmed bytes [start, end) are a null token. */
  has(buf: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (len === 0) return this.empty;
    if (len > this.#longest) return false;
    const bit = 1 << Math.min(len, 31);
    if ((this.#lengthsByFirst[buf[start]!]! & this.#lengthsByLast[buf[end - 1]!]! & bit) === 0) return false;
    const list = this.#byLength.get(len);
    if (!list) return false;
    for (const token of list) {
      let i = 0;
      while (i < len && token[i] === buf[start + i]) i++;
      if (i === len) return true;
    }
    return false;
  }
}
