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

/** Texts by number and numbers by text: facets count small integers in arrays, not strings in maps. */
export class Interner {
  readonly texts: string[] = [];
  private numbers = new Map<string, number>();

  numberOf(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.texts.push(text);
      this.numbers.set(text, n);
    }
    return n;
  }

  /** -1 for null. */
  numberOrNone(text: string | null): number {
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
  keywordsList: number;
  formatsList: number;
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

/** Where a lexeme's postings are: a range of the frozen segment, then a run list of the fresh one. */
interface Cursor {
  at: number;
  frozenEnd: number;
  fresh: number[] | undefined;
  slice: PositionSlice;
}

export class MirrorIndex {
  /** The facet values and list items of every resource ever held, by number. */
  readonly values = new Interner();
  /** By ordinal; null once removed. */
  docs: (MirrorDoc | null)[] = [];
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
    this.docs.push({
      id: row.id,
      departmentId: this.values.numberOf(row.department_id),
      themeId: this.values.numberOrNone(row.theme_id),
      licenseId: this.values.numberOrNone(row.license_id),
      openType: this.values.numberOf(row.open_type),
      shareType: this.values.numberOf(row.share_type),
      updateCycle: this.values.numberOf(row.update_cycle),
      keywordsList: row.keywords_list,
      formatsList: row.formats_list,
      modifiedUs: Number(row.modified_us),
      createdUs: Number(row.created_us),
      publishedUs: row.published_us === null ? null : Number(row.published_us),
      length: vectorLength(vector),
      changedXid: row.changed_xid,
    });
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
    this.frozenDocs = live.length;
    this.fresh = new Map();
    this.dead = 0;
  }

  private cursorOf(lexeme: string): Cursor | undefined {
    const i = this.frozen.lexemes.get(lexeme);
    const fresh = this.fresh.get(lexeme);
    if (i === undefined && !fresh) return undefined;
    const at = i === undefined ? 0 : (this.frozen.lexStart[i] as number);
    const frozenEnd = i === undefined ? 0 : (this.frozen.lexStart[i + 1] as number);
    return { at, frozenEnd, fresh, slice: { codes: this.frozen.codes, start: 0, end: 0 } };
  }

  /** The ordinal under a cursor (-1 past the end); positions in frozen runs, offsets in fresh ones. */
  private ordAt(c: Cursor): number {
    if (c.at < c.frozenEnd) return this.frozen.postOrd[c.at] as number;
    const p = c.at - c.frozenEnd;
    return c.fresh && p < c.fresh.length ? (c.fresh[p] as number) : -1;
  }

  private advance(c: Cursor): void {
    if (c.at < c.frozenEnd) c.at++;
    else c.at += 2 + ((c.fresh as number[])[c.at - c.frozenEnd + 1] as number);
  }

  /** Points the cursor's slice at the codes of its current posting. */
  private sliceAt(c: Cursor): PositionSlice {
    const s = c.slice;
    if (c.at < c.frozenEnd) {
      s.codes = this.frozen.codes;
      s.start = this.frozen.codeStart[c.at] as number;
      s.end = this.frozen.codeStart[c.at + 1] as number;
    } else {
      const list = c.fresh as number[];
      const p = c.at - c.frozenEnd;
      s.codes = list;
      s.start = p + 2;
      s.end = p + 2 + (list[p + 1] as number);
    }
    return s;
  }

  /**
   * Calls `visit` for every live document holding all the lexemes, in ordinal order, with each
   * lexeme's positions in it (slices reused between calls: read them before returning). No lexemes
   * match nothing.
   */
  forEachMatch(lexemes: readonly string[], visit: (ord: number, slices: PositionSlice[]) => void): void {
    const cursors: Cursor[] = [];
    for (const lexeme of lexemes) {
      const c = this.cursorOf(lexeme);
      if (!c) return;
      cursors.push(c);
    }
    if (cursors.length === 0) return;
    const slices: PositionSlice[] = cursors.map((c) => c.slice);
    for (;;) {
      // The candidate is the largest current ordinal; every cursor catches up to it.
      let candidate = -1;
      for (const c of cursors) {
        const ord = this.ordAt(c);
        if (ord < 0) return;
        if (ord > candidate) candidate = ord;
      }
      let all = true;
      for (const c of cursors) {
        let ord = this.ordAt(c);
        while (ord >= 0 && ord < candidate) {
          this.advance(c);
          ord = this.ordAt(c);
        }
        if (ord < 0) return;
        if (ord !== candidate) all = false;
      }
      if (!all) continue;
      if (this.docs[candidate]) {
        for (const c of cursors) this.sliceAt(c);
        visit(candidate, slices);
      }
      for (const c of cursors) this.advance(c);
    }
  }
}
