import { readQuotedLexeme } from '../../../platform/text/index.ts';

// PostgreSQL's tsvector text form and its ts_rank(vector, query, 1), reproduced for the in-memory
// public index (search-mirror.ts), which must order matches exactly as the SQL search does.
//
// A position is kept as PostgreSQL keeps it (WordEntryPos): the position in the upper 14 bits, the
// weight in the lower 2 (D = 0 … A = 3). The rank follows src/backend/utils/adt/tsrank.c, calc_rank
// with the default weights {0.1, 0.2, 0.4, 1.0} and normalisation 1 (divide by log2(1 + length)),
// including where C rounds to single precision (Math.fround), so that equal documents tie exactly as
// they do in SQL and the tie-breaking sort keys take over at the same places.

/** One lexeme of a document: its positions with weights, packed as PostgreSQL packs them. */
export type Positions = ArrayLike<number>;

/** A parsed tsvector: lexeme → packed positions (empty when the vector has no positions). */
export type ParsedVector = Map<string, Uint16Array>;

const WEIGHT_CODE: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };
const MAX_POS = 16383;

/** Parses tsvector output text ('lex':1A,2 'it''s':3 …). */
export function parseTsvector(text: string): ParsedVector {
  const vector: ParsedVector = new Map();
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text[i] === ' ') i++;
    if (i >= n) break;
    const { lexeme, end } = readQuotedLexeme(text, i);
    i = end;
    const codes: number[] = [];
    if (text[i] === ':') {
      i++;
      for (;;) {
        let pos = 0;
        while (i < n && (text.charCodeAt(i) ?? 0) >= 48 && (text.charCodeAt(i) ?? 0) <= 57) {
          pos = pos * 10 + (text.charCodeAt(i) - 48);
          i++;
        }
        let weight = 0;
        const w = text[i];
        if (w !== undefined && w in WEIGHT_CODE) {
          weight = WEIGHT_CODE[w] as number;
          i++;
        }
        codes.push((Math.min(pos, MAX_POS) << 2) | weight);
        if (text[i] !== ',') break;
        i++;
      }
    }
    vector.set(lexeme, Uint16Array.from(codes));
  }
  return vector;
}

/** cnt_length: the number of positions, a lexeme without positions counting one. */
export function vectorLength(vector: ParsedVector): number {
  let length = 0;
  for (const positions of vector.values()) length += positions.length || 1;
  return length;
}

const f = Math.fround;
const WEIGHTS = [f(0.1), f(0.2), f(0.4), f(1.0)];
const weightOf = (code: number) => WEIGHTS[code & 3] as number;
const posOf = (code: number) => code >> 2;
// The one position of a lexeme stored without positions (MAXENTRYPOS - 1, weight D).
const NULL_CODE = (MAX_POS << 2) | 0;
const POSNULL: Positions = Uint16Array.of(NULL_CODE);
const MAXENTRYPOS = 1 << 14;

function wordDistanceOf(w: number): number {
  if (w > 100) return f(1e-30);
  return f(1.0 / (1.005 + 0.05 * Math.exp(f(w) / 1.5 - 2)));
}
// Distances up to 100 are worth a table (an exp() each, several per match); farther ones are all 1e-30.
const DISTANCES = Float32Array.from({ length: 101 }, (_, w) => wordDistanceOf(w));
const wordDistance = (w: number) => (w > 100 ? wordDistanceOf(w) : (DISTANCES[w] as number));

// A pair's weight in calc_rank_and depends only on the two weight codes and the distance (all
// distances past 100 alike), so it is a table: one lookup per pair of positions instead of two
// multiplications, a square root and four roundings — the same arithmetic, done once.
const FAR = 101;
const PAIR_WEIGHTS = Float32Array.from({ length: 16 * (FAR + 1) }, (_, i) => {
  const dist = i % (FAR + 1);
  const codes = (i - dist) / (FAR + 1);
  const distance = dist === FAR ? MAXENTRYPOS : dist;
  return f(Math.sqrt(f(f(weightOf(codes >> 2) * weightOf(codes & 3)) * wordDistance(distance))));
});
const pairWeight = (a: number, b: number, dist: number) =>
  PAIR_WEIGHTS[(((a & 3) << 2) | (b & 3)) * (FAR + 1) + (dist > 100 ? FAR : dist)] as number;

// normalisation 1 divides by log2(1 + length), computed as tsrank.c does (log(x) / log(2.0)); a
// table for the lengths documents have.
const LOG2_LENGTHS = Float64Array.from({ length: 4096 }, (_, n) => Math.log(n + 1) / Math.log(2.0));
const log2Length = (n: number) => (n < 4096 ? (LOG2_LENGTHS[n] as number) : Math.log(n + 1) / Math.log(2.0));

/** Byte order of UTF-8 text, shorter first on a common prefix (tsCompareString). */
const encoder = new TextEncoder();
function compareLexemes(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const len = Math.min(x.length, y.length);
  for (let i = 0; i < len; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/** SortAndUniqItems: the query's distinct operands in PostgreSQL's order. */
export function rankOrder(operands: readonly string[]): string[] {
  return [...new Set(operands)].sort(compareLexemes);
}

/** The positions of one query item in one document: codes[start … end), as stored (no copy). */
export interface PositionSlice {
  codes: ArrayLike<number>;
  start: number;
  end: number;
}

/** A slice over the whole of `codes`. */
export const sliceOf = (codes: ArrayLike<number>): PositionSlice => ({ codes, start: 0, end: codes.length });

const NULL_SLICE = sliceOf(POSNULL);
// A lexeme stored without positions ranks as if at MAXENTRYPOS - 1 with weight D.
const present = (s: PositionSlice | null) => (s && s.end === s.start ? NULL_SLICE : s);

/**
 * ts_rank(vector, query, 1) of a query that is an AND of `items` (already in rankOrder), for a
 * document with the given positions per item (null: the item is absent) and length (vectorLength).
 */
export function tsRankAnd(items: readonly (PositionSlice | null)[], length: number): number {
  let res = items.length < 2 ? rankOr(items) : rankAnd(items);
  if (res < 0) res = f(1e-20);
  if (length > 0) res = f(res / log2Length(length));
  return res;
}

/**
 * tsRankAnd of an AND of two items, both present, from their codes in one array (a: codes[a0 … a1),
 * b: codes[b0 … b1), an empty run being a lexeme without positions): the same arithmetic in the same
 * order as rankAnd, without the slices — the hot case of a search of two words.
 */
export function tsRankPair(
  codes: Uint16Array,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  length: number,
): number {
  const aNull = a0 === a1;
  const bNull = b0 === b1;
  const na = aNull ? 1 : a1 - a0;
  const nb = bNull ? 1 : b1 - b0;
  let res = -1.0;
  // rankAnd's loops for two items: the second item's positions outside, the first's inside.
  for (let l = 0; l < nb; l++) {
    const x = bNull ? NULL_CODE : (codes[b0 + l] as number);
    for (let p = 0; p < na; p++) {
      const y = aNull ? NULL_CODE : (codes[a0 + p] as number);
      let dist = Math.abs(posOf(x) - posOf(y));
      if (dist || aNull || bNull) {
        if (!dist) dist = MAXENTRYPOS;
        const curw = pairWeight(x, y, dist);
        res = res < 0 ? curw : f(1.0 - (1.0 - res) * (1.0 - curw));
      }
    }
  }
  if (res < 0) res = f(1e-20);
  if (length > 0) res = f(res / log2Length(length));
  return res;
}

function rankAnd(items: readonly (PositionSlice | null)[]): number {
  let res = -1.0;
  for (let i = 0; i < items.length; i++) {
    const post = present(items[i] ?? null);
    if (!post) continue;
    for (let k = 0; k < i; k++) {
      const ct = present(items[k] ?? null);
      if (!ct) continue;
      for (let l = post.start; l < post.end; l++) {
        const a = post.codes[l] as number;
        for (let p = ct.start; p < ct.end; p++) {
          const b = ct.codes[p] as number;
          let dist = Math.abs(posOf(a) - posOf(b));
          if (dist || post === NULL_SLICE || ct === NULL_SLICE) {
            if (!dist) dist = MAXENTRYPOS;
            const curw = pairWeight(a, b, dist);
            res = res < 0 ? curw : f(1.0 - (1.0 - res) * (1.0 - curw));
          }
        }
      }
    }
  }
  return res;
}

function rankOr(items: readonly (PositionSlice | null)[]): number {
  let res = 0;
  for (const item of items) {
    const post = present(item);
    if (!post) continue;
    let resj = 0;
    let wjm = -1;
    let jm = 0;
    for (let j = 0; j < post.end - post.start; j++) {
      const w = weightOf(post.codes[post.start + j] as number);
      resj = f(resj + f(w / ((j + 1) * (j + 1))));
      if (w > wjm) {
        wjm = w;
        jm = j;
      }
    }
    res = f(res + f(f(wjm + resj) - f(wjm / ((jm + 1) * (jm + 1)))) / 1.64493406685);
  }
  if (items.length > 0) res = f(res / items.length);
  return res;
}
