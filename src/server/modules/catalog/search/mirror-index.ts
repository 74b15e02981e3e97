import { DocColumns } from './mirror-columns.ts';
import { type PositionSlice, parseTsvector, vectorLength } from './ts-rank.ts';

// The in-memory structure of the public search mirror (search-mirror.ts): one entry per public
// resource with the values its searches sort and count by, and an inverted index of its lexemes.
//
// Documents get increasing ordinals; a changed document is removed (marked dead) and added again
// under a new ordinal, so posting lists stay in ordinal order and only ever grow at the end. The
// postings live in two segments, as in Lucene: a frozen one in a few large typed arrays (compressed
// rows: lexeme → run of postings → run of PostgreSQL's packed position codes), which costs the
// garbage collector nothing to keep, and a small one of plain arrays for documents added since,
// [ordinal, n, code₁ … codeₙ] runs per lexeme. Freezing merges the two and drops dead documents; it
// runs after a load and once the small segment or the dead grow past a share of the whole.

/** What a search needs of one public resource, as read from catalog_search. */
export interface MirrorRow {
  id: string;
  department_id: string;
  theme_id: string | null;
  license_id: string | null;
  open_type: string;
  share_type: string;
  update_cycle: string;
  keywords_list: number;
  formats_list: number;
  /** Microseconds since the epoch (timestamptz precision, for exact tie order). */
  modified_us: string;
  created_us: string;
  published_us: string | null;
  search_vector: string;
  changed_xid: string;
}

/**
 * Values by number and numbers by value: facets count small integers in arrays, not strings in maps
 * (texts: facet values and list items; numbers: catalog_search_lists ids).
 */
export class Interner<T extends string | number = string> {
  readonly texts: T[] = [];
  private numbers = new Map<T, number>();

  numberOf(text: T): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.texts.push(text);
      this.numbers.set(text, n);
    }
    return n;
  }

  /** The number of a text already held; -2 (matching no value, not even "none") otherwise. */
  find(text: T): number {
    return this.numbers.get(text) ?? -2;
  }

  /** -1 for null. */
  numberOrNone(text: T | null): number {
    return text === null ? -1 : this.numberOf(text);
  }
}

/** A held resource; facet values are numbers of the index's interner (-1: none). */
export interface MirrorDoc {
  id: string;
  departmentId: number;
  themeId: number;
  licenseId: number;
  openType: number;
  shareType: number;
  updateCycle: number;
  /** The keyword and format lists, by their slot in the index's list numbering (listSlots). */
  keywordsSlot: number;
  formatsSlot: number;
  modifiedUs: number;
  createdUs: number;
  publishedUs: number | null;
  /** cnt_length of the vector, for the rank's length normalisation. */
  length: number;
  changedXid: string;
}

interface Frozen {
  lexemes: Map<string, number>;
  /** Lexeme i's postings are [lexStart[i], lexStart[i + 1]). */
  lexStart: Int32Array;
  postOrd: Int32Array;
  /** Posting j's codes are codes[codeStart[j] … codeStart[j + 1]). */
  codeStart: Int32Array;
  codes: Uint16Array;
}

const EMPTY: Frozen = {
  lexemes: new Map(),
  lexStart: Int32Array.of(0),
  postOrd: new Int32Array(0),
  codeStart: Int32Array.of(0),
  codes: new Uint16Array(0),
};

export class MirrorIndex {
  /** The facet values and list items of every resource ever held, by number. */
  readonly values = new Interner();
  /** By ordinal; null once removed. */
  docs: (MirrorDoc | null)[] = [];
  /** Fields of the documents by ordinal (stale for removed ones: check docs). */
  readonly columns = new DocColumns();
  /**
   * catalog_search_lists ids by slot: dense numbers, so that facets count matches per list in a
   * typed array (the mirror keeps each slot's items).
   */
  readonly listSlots = new Interner<number>();
  private ordinals = new Map<string, number>();
  private frozen: Frozen = EMPTY;
  /** Ordinals below this are in the frozen segment. */
  private frozenDocs = 0;
  private fresh = new Map<string, number[]>();
  private dead = 0;

  get size(): number {
    return this.ordinals.size;
  }

  /** The stamp of the stored version of a resource (undefined: not held). */
  stampOf(id: string): string | undefined {
    const ord = this.ordinals.get(id);
    return ord === undefined ? undefined : this.docs[ord]?.changedXid;
  }

  /** Adds a resource, replacing the version held. */
  put(row: MirrorRow): void {
    this.remove(row.id);
    const vector = parseTsvector(row.search_vector);
    const ord = this.docs.length;
    const doc: MirrorDoc = {
      id: row.id,
      departmentId: this.values.numberOf(row.department_id),
      themeId: this.values.numberOrNone(row.theme_id),
      licenseId: this.values.numberOrNone(row.license_id),
      openType: this.values.numberOf(row.open_type),
      shareType: this.values.numberOf(row.share_type),
      updateCycle: this.values.numberOf(row.update_cycle),
      keywordsSlot: this.listSlots.numberOf(row.keywords_list),
      formatsSlot: this.listSlots.numberOf(row.formats_list),
      modifiedUs: Number(row.modified_us),
      createdUs: Number(row.created_us),
      publishedUs: row.published_us === null ? null : Number(row.published_us),
      length: vectorLength(vector),
      changedXid: row.changed_xid,
    };
    this.docs.push(doc);
    this.columns.set(ord, doc);
    this.ordinals.set(row.id, ord);
    for (const [lexeme, codes] of vector) {
      let list = this.fresh.get(lexeme);
      if (!list) {
        list = [];
        this.fresh.set(lexeme, list);
      }
      list.push(ord, codes.length);
      for (const code of codes) list.push(code);
    }
  }

  remove(id: string): void {
    const ord = this.ordinals.get(id);
    if (ord === undefined) return;
    this.docs[ord] = null;
    this.ordinals.delete(id);
    this.dead++;
  }

  /** Freezes when the fresh segment or the dead documents have grown past a share of the whole. */
  maintain(): void {
    const freshDocs = this.docs.length - this.frozenDocs;
    const threshold = Math.max(1000, this.docs.length / 5);
    if (freshDocs > threshold || this.dead > threshold) this.freeze();
  }

  /** Merges both segments into a new frozen one of the live documents, renumbered in order. */
  freeze(): void {
    const renumber = new Int32Array(this.docs.length).fill(-1);
    const live: MirrorDoc[] = [];
    this.docs.forEach((doc, ord) => {
      if (!doc) return;
      renumber[ord] = live.length;
      this.ordinals.set(doc.id, live.length);
      live.push(doc);
    });
    const old = this.frozen;
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
    const names = new Set([...old.lexemes.keys(), ...this.fresh.keys()]);
    for (const lexeme of names) {
      const before = postOrd.length;
      const i = old.lexemes.get(lexeme);
      if (i !== undefined)
        for (let j = old.lexStart[i] as number; j < (old.lexStart[i + 1] as number); j++)
          emit(
            old.postOrd[j] as number,
            old.codes,
            old.codeStart[j] as number,
            old.codeStart[j + 1] as number,
          );
      const list = this.fresh.get(lexeme);
      if (list)
        for (let p = 0; p < list.length; p += 2 + (list[p + 1] as number))
          emit(list[p] as number, list, p + 2, p + 2 + (list[p + 1] as number));
      if (postOrd.length === before) continue;
      lexemes.set(lexeme, lexemes.size);
      lexStart.push(postOrd.length);
    }
    this.frozen = {
      lexemes,
      lexStart: Int32Array.from(lexStart),
      postOrd: Int32Array.from(postOrd),
      codeStart: Int32Array.from(codeStart),
      codes: Uint16Array.from(codes),
    };
    this.docs = live;
    this.columns.clear();
    live.forEach((doc, ord) => {
      this.columns.set(ord, doc);
    });
    this.frozenDocs = live.length;
    this.fresh = new Map();
    this.dead = 0;
  }

  /**
   * Calls `visit` for every live document holding all the lexemes, in ordinal order, with each
   * lexeme's positions in it (slices reused between calls: read them before returning). No lexemes
   * match nothing. A document's postings are all in one segment, so each segment is intersected on
   * its own: the frozen one first (lower ordinals), then the fresh one.
   */
  forEachMatch(lexemes: readonly string[], visit: (ord: number, slices: PositionSlice[]) => void): void {
    if (lexemes.length === 0) return;
    const f = this.frozen;
    const ranges: [number, number][] = [];
    const fresh: number[][] = [];
    for (const lexeme of lexemes) {
      const i = f.lexemes.get(lexeme);
      ranges.push(i === undefined ? [0, 0] : [f.lexStart[i] as number, f.lexStart[i + 1] as number]);
      fresh.push(this.fresh.get(lexeme) ?? []);
    }
    const slices: PositionSlice[] = lexemes.map(() => ({ codes: f.codes, start: 0, end: 0 }));
    this.intersectFrozen(ranges, slices, visit);
    this.intersectFresh(fresh, slices, visit);
  }

  // Drives with the shortest list; the others gallop forward (doubling steps, then halving) to each
  // candidate, so a rare lexeme against a common one costs the rare one's length times a log.
  private intersectFrozen(
    ranges: [number, number][],
    slices: PositionSlice[],
    visit: (ord: number, slices: PositionSlice[]) => void,
  ): void {
    const { postOrd, codeStart, codes } = this.frozen;
    const k = ranges.length;
    let driver = 0;
    for (let i = 1; i < k; i++) {
      const [from, to] = ranges[i] as [number, number];
      const [dFrom, dTo] = ranges[driver] as [number, number];
      if (to - from < dTo - dFrom) driver = i;
    }
    const at = ranges.map(([from]) => from);
    const [dFrom, dTo] = ranges[driver] as [number, number];
    outer: for (let d = dFrom; d < dTo; d++) {
      const ord = postOrd[d] as number;
      at[driver] = d;
      for (let i = 0; i < k; i++) {
        if (i === driver) continue;
        const end = (ranges[i] as [number, number])[1];
        let lo = at[i] as number;
        if (lo >= end) return;
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
        if (lo >= end) return;
        if (postOrd[lo] !== ord) continue outer;
      }
      if (!this.docs[ord]) continue;
      for (let i = 0; i < k; i++) {
        const s = slices[i] as PositionSlice;
        const j = at[i] as number;
        s.codes = codes;
        s.start = codeStart[j] as number;
        s.end = codeStart[j + 1] as number;
      }
      visit(ord, slices);
    }
  }

  // The fresh segment is small (a fifth of the whole at most): a plain merge of its run lists.
  private intersectFresh(
    lists: number[][],
    slices: PositionSlice[],
    visit: (ord: number, slices: PositionSlice[]) => void,
  ): void {
    const at = lists.map(() => 0);
    const k = lists.length;
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
      if (this.docs[candidate]) {
        for (let i = 0; i < k; i++) {
          const list = lists[i] as number[];
          const p = at[i] as number;
          const s = slices[i] as PositionSlice;
          s.codes = list;
          s.start = p + 2;
          s.end = p + 2 + (list[p + 1] as number);
        }
        visit(candidate, slices);
      }
      for (let i = 0; i < k; i++) {
        const list = lists[i] as number[];
        at[i] = (at[i] as number) + 2 + (list[(at[i] as number) + 1] as number);
      }
    }
  }
}
