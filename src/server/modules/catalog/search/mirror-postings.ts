import { type PositionSlice, tsRankAnd, tsRankPair } from './ts-rank.ts';

// The postings of the in-memory index (mirror-index.ts) and the loops that intersect them. These
// loops are most of an uncached search's time: they run over typed arrays only — no callback, no
// object per match — and write the matches into a Hits buffer. A posting's rank as a query's only
// lexeme is computed once, when the segment is frozen, so single-word searches read it.

/**
 * The matches of a search: documents and their ranks in parallel arrays. One buffer serves every
 * search of a process, so a search reads it only before it first awaits.
 */
export class Hits {
  count = 0;
  ords = new Int32Array(1024);
  ranks = new Float64Array(1024);

  /** Room for `more` matches beyond those held (a loop then writes without checking). */
  reserve(more: number): void {
    const need = this.count + more;
    if (need <= this.ords.length) return;
    const size = Math.max(need, this.ords.length * 2);
    const ords = new Int32Array(size);
    ords.set(this.ords.subarray(0, this.count));
    const ranks = new Float64Array(size);
    ranks.set(this.ranks.subarray(0, this.count));
    this.ords = ords;
    this.ranks = ranks;
  }

  push(ord: number, rank: number): void {
    this.reserve(1);
    this.ords[this.count] = ord;
    this.ranks[this.count++] = rank;
  }

  /** Keeps the matches `keep` accepts, in their order. */
  retain(keep: (ord: number) => boolean): void {
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const ord = this.ords[i] as number;
      if (!keep(ord)) continue;
      this.ords[n] = ord;
      this.ranks[n++] = this.ranks[i] as number;
    }
    this.count = n;
  }
}

/**
 * The frozen segment, as compressed rows: lexeme → run of postings → run of PostgreSQL's packed
 * position codes. A few large typed arrays, which cost the garbage collector nothing to keep.
 */
export interface FrozenPostings {
  lexemes: Map<string, number>;
  /** Lexeme i's postings are [lexStart[i], lexStart[i + 1]). */
  lexStart: Int32Array;
  postOrd: Int32Array;
  /** Posting j's codes are codes[codeStart[j] … codeStart[j + 1]). */
  codeStart: Int32Array;
  codes: Uint16Array;
  /** Posting j's ts_rank when its lexeme is the query's only one (its document's length included). */
  single: Float32Array;
  /**
   * Posting j's document length, up to LONG (which says: read the document's). Read in posting order,
   * where the documents' own column, read at the ordinals of thousands of matches, misses the cache
   * at every match (a third of a two-word search's time).
   */
  docLength: Uint16Array;
}

const LONG = 0xffff;

export const NO_POSTINGS: FrozenPostings = {
  lexemes: new Map(),
  lexStart: Int32Array.of(0),
  postOrd: new Int32Array(0),
  codeStart: Int32Array.of(0),
  codes: new Uint16Array(0),
  single: new Float32Array(0),
  docLength: new Uint16Array(0),
};

/** The fresh segment: per lexeme, [ordinal, n, code₁ … codeₙ] runs in ordinal order. */
export type FreshPostings = Map<string, number[]>;

/**
 * Both segments merged into a new frozen one, live documents only: `renumber` maps an old ordinal to
 * its new one (-1: dropped), `lengthOf` gives a new ordinal's vector length (for the single ranks).
 */
export function mergePostings(
  old: FrozenPostings,
  fresh: FreshPostings,
  renumber: Int32Array,
  lengthOf: (ord: number) => number,
): FrozenPostings {
  const lexemes = new Map<string, number>();
  const lexStart: number[] = [0];
  const postOrd: number[] = [];
  const codeStart: number[] = [0];
  const codes: number[] = [];
  const emit = (ord: number, from: ArrayLike<number>, start: number, end: number) => {
    const to = renumber[ord] as number;
    if (to < 0) return;
    postOrd.push(to);
    for (let c = start; c < end; c++) codes.push(from[c] as number);
    codeStart.push(codes.length);
  };
  for (const lexeme of new Set([...old.lexemes.keys(), ...fresh.keys()])) {
    const before = postOrd.length;
    const i = old.lexemes.get(lexeme);
    if (i !== undefined)
      for (let j = old.lexStart[i] as number; j < (old.lexStart[i + 1] as number); j++)
        emit(old.postOrd[j] as number, old.codes, old.codeStart[j] as number, old.codeStart[j + 1] as number);
    const list = fresh.get(lexeme);
    if (list)
      for (let p = 0; p < list.length; p += 2 + (list[p + 1] as number))
        emit(list[p] as number, list, p + 2, p + 2 + (list[p + 1] as number));
    if (postOrd.length === before) continue;
    lexemes.set(lexeme, lexemes.size);
    lexStart.push(postOrd.length);
  }
  const merged = {
    lexemes,
    lexStart: Int32Array.from(lexStart),
    postOrd: Int32Array.from(postOrd),
    codeStart: Int32Array.from(codeStart),
    codes: Uint16Array.from(codes),
    single: new Float32Array(postOrd.length),
    docLength: new Uint16Array(postOrd.length),
  };
  const slice: PositionSlice = { codes: merged.codes, start: 0, end: 0 };
  const one = [slice];
  for (let j = 0; j < merged.postOrd.length; j++) {
    slice.start = merged.codeStart[j] as number;
    slice.end = merged.codeStart[j + 1] as number;
    const length = lengthOf(merged.postOrd[j] as number);
    merged.single[j] = tsRankAnd(one, length);
    merged.docLength[j] = Math.min(length, LONG);
  }
  return merged;
}

/** What a search reads of the documents while it matches. */
export interface MatchContext {
  /** 1 for a live ordinal, 0 for a removed one. */
  alive: Uint8Array;
  /** cnt_length of each document's vector. */
  lengths: Int32Array;
  /** Whether to compute ranks (only the relevance sort reads them; 0 otherwise). */
  ranked: boolean;
}

/**
 * Appends to `hits` every live document of the frozen segment holding all the lexemes (in rankOrder),
 * in ordinal order. The shortest list drives; the others gallop forward (doubling steps, then
 * halving) to each candidate, so a rare lexeme against a common one costs the rare one's length
 * times a log.
 */
export function matchFrozen(
  f: FrozenPostings,
  lexemes: readonly string[],
  cx: MatchContext,
  hits: Hits,
): void {
  const k = lexemes.length;
  if (k === 0) return;
  const starts = new Int32Array(k);
  const ends = new Int32Array(k);
  let driver = 0;
  for (let i = 0; i < k; i++) {
    const lexeme = f.lexemes.get(lexemes[i] as string);
    if (lexeme === undefined) return;
    const from = f.lexStart[lexeme] as number;
    const to = f.lexStart[lexeme + 1] as number;
    starts[i] = from;
    ends[i] = to;
    if (to - from < (ends[driver] as number) - (starts[driver] as number)) driver = i;
  }
  const { postOrd, codeStart, single, docLength } = f;
  const { alive, lengths, ranked } = cx;
  const dFrom = starts[driver] as number;
  const dTo = ends[driver] as number;
  hits.reserve(dTo - dFrom);
  const { ords, ranks } = hits;
  let n = hits.count;
  if (k === 1) {
    for (let d = dFrom; d < dTo; d++) {
      const ord = postOrd[d] as number;
      if (alive[ord] === 0) continue;
      ords[n] = ord;
      ranks[n++] = ranked ? (single[d] as number) : 0;
    }
    hits.count = n;
    return;
  }
  const slices: PositionSlice[] = lexemes.map(() => ({ codes: f.codes, start: 0, end: 0 }));
  const at = starts;
  outer: for (let d = dFrom; d < dTo; d++) {
    const ord = postOrd[d] as number;
    at[driver] = d;
    for (let i = 0; i < k; i++) {
      if (i === driver) continue;
      const end = ends[i] as number;
      let lo = at[i] as number;
      if ((postOrd[lo] as number) < ord) {
        let step = 1;
        let hi = lo + 1;
        while (hi < end && (postOrd[hi] as number) < ord) {
          lo = hi;
          step *= 2;
          hi = lo + step;
        }
        if (hi > end) hi = end;
        // postOrd[lo] < ord ≤ postOrd[hi] (or hi = end): the first not below ord lies in (lo, hi].
        while (lo + 1 < hi) {
          const mid = (lo + hi) >>> 1;
          if ((postOrd[mid] as number) < ord) lo = mid;
          else hi = mid;
        }
        lo = hi;
      }
      at[i] = lo;
      if (lo >= end) break outer;
      if (postOrd[lo] !== ord) continue outer;
    }
    if (alive[ord] === 0) continue;
    let rank = 0;
    const length = docLength[d] as number;
    if (ranked && k === 2) {
      const a = at[0] as number;
      const b = at[1] as number;
      rank = tsRankPair(
        f.codes,
        codeStart[a] as number,
        codeStart[a + 1] as number,
        codeStart[b] as number,
        codeStart[b + 1] as number,
        length === LONG ? (lengths[ord] as number) : length,
      );
    } else if (ranked) {
      for (let i = 0; i < k; i++) {
        const s = slices[i] as PositionSlice;
        const j = at[i] as number;
        s.start = codeStart[j] as number;
        s.end = codeStart[j + 1] as number;
      }
      rank = tsRankAnd(slices, length === LONG ? (lengths[ord] as number) : length);
    }
    ords[n] = ord;
    ranks[n++] = rank;
  }
  hits.count = n;
}

/** The same for the fresh segment (a fifth of the whole at most): a plain merge of its run lists. */
export function matchFresh(
  fresh: FreshPostings,
  lexemes: readonly string[],
  cx: MatchContext,
  hits: Hits,
): void {
  const lists: number[][] = [];
  for (const lexeme of lexemes) {
    const list = fresh.get(lexeme);
    if (!list) return;
    lists.push(list);
  }
  const k = lists.length;
  if (k === 0) return;
  const slices: PositionSlice[] = lists.map((list) => ({ codes: list, start: 0, end: 0 }));
  const at = new Int32Array(k);
  for (;;) {
    let candidate = -1;
    for (let i = 0; i < k; i++) {
      const list = lists[i] as number[];
      if ((at[i] as number) >= list.length) return;
      candidate = Math.max(candidate, list[at[i] as number] as number);
    }
    let all = true;
    for (let i = 0; i < k; i++) {
      const list = lists[i] as number[];
      let p = at[i] as number;
      while (p < list.length && (list[p] as number) < candidate) p += 2 + (list[p + 1] as number);
      at[i] = p;
      if (p >= list.length) return;
      if (list[p] !== candidate) all = false;
    }
    if (!all) continue;
    if (cx.alive[candidate] === 1) {
      for (let i = 0; i < k; i++) {
        const p = at[i] as number;
        const s = slices[i] as PositionSlice;
        s.start = p + 2;
        s.end = p + 2 + ((lists[i] as number[])[p + 1] as number);
      }
      hits.push(candidate, cx.ranked ? tsRankAnd(slices, cx.lengths[candidate] as number) : 0);
    }
    for (let i = 0; i < k; i++)
      at[i] = (at[i] as number) + 2 + ((lists[i] as number[])[(at[i] as number) + 1] as number);
  }
}
