import { DocColumns } from './mirror-columns.ts';
import {
  type FreshPostings,
  type FrozenPostings,
  type Hits,
  matchFresh,
  matchFrozen,
  mergePostings,
  NO_POSTINGS,
} from './mirror-postings.ts';
import { parseTsvector, vectorLength } from './ts-rank.ts';

// The in-memory structure of the public search mirror (search-mirror.ts): one entry per public
// resource with the values its searches sort and count by, and an inverted index of its lexemes.
//
// Documents get increasing ordinals; a changed document is removed (marked dead) and added again
// under a new ordinal, so posting lists stay in ordinal order and only ever grow at the end. The
// postings live in two segments, as in Lucene (mirror-postings.ts): a frozen one in a few large typed
// arrays, which costs the garbage collector nothing to keep, and a small one of plain arrays for
// documents added since. Freezing merges the two and drops dead documents; it
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
  private frozen: FrozenPostings = NO_POSTINGS;
  /** Ordinals below this are in the frozen segment. */
  private frozenDocs = 0;
  private fresh: FreshPostings = new Map();
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
    this.columns.remove(ord);
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
    this.frozen = mergePostings(this.frozen, this.fresh, renumber, (ord) => (live[ord] as MirrorDoc).length);
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
   * Appends to `hits` every live document holding all the lexemes (in rankOrder), in ordinal order,
   * with its ts_rank when `ranked`. No lexemes match nothing. A document's postings are all in one
   * segment: the frozen one is intersected first (lower ordinals), then the fresh one.
   */
  matchInto(lexemes: readonly string[], ranked: boolean, hits: Hits): void {
    const cx = { alive: this.columns.alive, lengths: this.columns.byField.length, ranked };
    matchFrozen(this.frozen, lexemes, cx, hits);
    matchFresh(this.fresh, lexemes, cx, hits);
  }
}
