import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../../platform/db.ts';
import { andOperandsOf } from '../../../platform/text/index.ts';
import type { ColumnField } from './mirror-columns.ts';
import { mirrorableFilter, mirrorPredicate } from './mirror-filter.ts';
import type { MirrorDoc } from './mirror-index.ts';
import { Hits } from './mirror-postings.ts';
import {
  type FacetCount,
  pageOf,
  type SearchPage,
  type SearchSpec,
  type SortKey,
  type TextMatch,
  tsquerySql,
} from './search.repository.ts';
import type { FacetName } from './search-facets.ts';
import { currentSearchMirror, type SearchMirror } from './search-mirror.ts';
import { rankOrder } from './ts-rank.ts';

// Public searches answered from the in-memory mirror (search-mirror.ts) with the SQL search's exact
// results: the same matches (an AND of lexemes, normalised by PostgreSQL itself), the same ts_rank
// (ts-rank.ts), the same order with the same tie-breakers, the same facet counts, labels and order.
// The searches it cannot reproduce exactly go to SQL: staff searches beyond the public catalog,
// filters on fields it does not hold (mirror-filter.ts), the trigram fallback, sorts by title, name
// or downloads, and queries that normalise to anything but an AND of plain lexemes (phrases of
// compound words, weights, prefixes).

const MIRRORED_SORTS = new Set<SortKey>(['relevance', 'modified', 'created', 'newest']);

/** Whether the mirror answers this search (before its text is normalised). */
export function mirrorable(spec: SearchSpec): boolean {
  return (
    !spec.includePrivate &&
    (spec.filter === null || (!!spec.filterNode && mirrorableFilter(spec.filterNode))) &&
    (spec.match.kind === 'none' || spec.match.kind === 'fulltext') &&
    MIRRORED_SORTS.has(spec.sort)
  );
}

/** Compares by code point, as PostgreSQL's C collation does (UTF-16 order differs past U+D7FF). */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above every one of the Basic Multilingual Plane.
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

// What PostgreSQL makes of a query's text depends on the text search configurations alone, which
// the application fixes: a process keeps the answers for the queries asked most.
const normalisedQueries = new LRUCache<string, { lexemes: string[] | null }>({ max: 2000 });

/** The query's lexemes as PostgreSQL's to_tsquery gives them, if they form an AND of plain lexemes. */
async function normalised(db: Db, match: Extract<TextMatch, { kind: 'fulltext' }>): Promise<string[] | null> {
  const key = `${match.simple}\u0000${match.english}`;
  const known = normalisedQueries.get(key);
  if (known) return known.lexemes;
  const { rows } = await sql<{ q: string }>`select (${tsquerySql(match)})::text as q`.execute(db);
  const lexemes = andOperandsOf(rows[0]?.q ?? '');
  normalisedQueries.set(key, { lexemes });
  return lexemes;
}

// The matches of the search running (mirror-postings.ts): read before its first await.
const scratch = new Hits();

/** The search answered from the mirror; undefined when it must go to SQL. */
export async function mirroredSearch(db: Db, spec: SearchSpec): Promise<SearchPage | undefined> {
  if (!mirrorable(spec)) return undefined;
  let lexemes: string[] | null = null;
  if (spec.match.kind === 'fulltext') {
    lexemes = await normalised(db, spec.match);
    if (!lexemes) return undefined;
  }
  const mirror = await currentSearchMirror(db);
  if (!mirror) return undefined;
  const keep =
    spec.filter && spec.filterNode ? await mirrorPredicate(db, mirror, spec.filterNode) : undefined;
  // From here to the first await the scratch arrays are this search's.
  const hits = matches(mirror, lexemes, keep, spec);
  const page = topPage(mirror, hits, spec);
  const counted = countFacets(mirror, hits, spec);
  const total = hits.count;
  const [facets, rows] = await Promise.all([
    labelFacets(mirror, counted, spec),
    pageOf(
      db,
      page.map((doc) => doc.id),
      spec,
    ),
  ]);
  return { total, ...rows, facets };
}

/** The matches, ranked when the sort is by relevance (other sorts never read a rank). */
function matches(
  mirror: SearchMirror,
  lexemes: string[] | null,
  keep: ((doc: MirrorDoc) => boolean) | undefined,
  spec: SearchSpec,
): Hits {
  const { docs } = mirror.index;
  scratch.count = 0;
  if (lexemes === null) {
    docs.forEach((doc, ord) => {
      if (doc) scratch.push(ord, 0);
    });
  } else mirror.index.matchInto(rankOrder(lexemes), spec.sort === 'relevance', scratch);
  if (keep) scratch.retain((ord) => keep(docs[ord] as MirrorDoc));
  return scratch;
}

// The SQL search's ORDER BY (search.repository.ts orderSql) for the mirrored sorts, over hit numbers.
function comparatorOf(
  spec: SearchSpec,
  { ords, ranks }: Hits,
  index: SearchMirror['index'],
): (a: number, b: number) => number {
  const flip = (defaultDesc: boolean) => ((spec.descending ?? defaultDesc) ? -1 : 1);
  const { docs } = index;
  const { modifiedUs, createdUs, publishedUs } = index.columns.times;
  const byId = (a: number, b: number) => {
    const x = (docs[ords[a] as number] as MirrorDoc).id;
    const y = (docs[ords[b] as number] as MirrorDoc).id;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const modified = (i: number) => modifiedUs[ords[i] as number] as number;
  switch (spec.sort) {
    case 'relevance': {
      if (spec.match.kind === 'none') return (a, b) => modified(b) - modified(a) || byId(a, b);
      const d = flip(true);
      return (a, b) =>
        d * ((ranks[a] as number) - (ranks[b] as number)) || modified(b) - modified(a) || byId(a, b);
    }
    case 'modified': {
      const d = flip(true);
      return (a, b) => d * (modified(a) - modified(b)) || byId(a, b);
    }
    case 'created': {
      const d = flip(true);
      const created = (i: number) => createdUs[ords[i] as number] as number;
      return (a, b) => d * (created(a) - created(b)) || byId(a, b);
    }
    default: {
      // newest: published_at in the direction asked, nulls (NaN) last either way.
      const d = flip(true);
      return (a, b) => {
        const x = publishedUs[ords[a] as number] as number;
        const y = publishedUs[ords[b] as number] as number;
        const xNull = Number.isNaN(x);
        const yNull = Number.isNaN(y);
        if (xNull || yNull) return xNull === yNull ? byId(a, b) : xNull ? 1 : -1;
        return d * (x - y) || byId(a, b);
      };
    }
  }
}

/** The documents of the page (offset, limit). */
function topPage(mirror: SearchMirror, hits: Hits, spec: SearchSpec): MirrorDoc[] {
  const { docs } = mirror.index;
  // By relevance, a match ranked below the page's last so far is out without the full comparison.
  const byRank =
    spec.sort === 'relevance' && spec.match.kind !== 'none'
      ? { values: hits.ranks, descending: spec.descending ?? true }
      : undefined;
  return bestIndices(hits.count, spec.offset + spec.limit, comparatorOf(spec, hits, mirror.index), byRank)
    .slice(spec.offset)
    .map((i) => docs[hits.ords[i] as number] as MirrorDoc);
}

/** The key `cmp` compares first, by index: what is strictly beyond the k-th on it is out at once. */
interface LeadingKey {
  values: Float64Array;
  descending: boolean;
}

/** The first k of 0 … count - 1 in `cmp` order, sorted; keeps only the best k while scanning. */
export function bestIndices(
  count: number,
  k: number,
  cmp: (a: number, b: number) => number,
  lead?: LeadingKey,
): number[] {
  const best: number[] = [];
  if (k <= 0) return best;
  for (let i = 0; i < count; i++) {
    if (best.length === k) {
      const last = best[k - 1] as number;
      if (lead) {
        const x = lead.values[i] as number;
        const y = lead.values[last] as number;
        if (lead.descending ? x < y : x > y) continue;
      }
      if (cmp(i, last) >= 0) continue;
    }
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(best[mid] as number, i) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

/** The first k items in `cmp` order, sorted. */
export function bestOf<T>(items: readonly T[], k: number, cmp: (a: T, b: T) => number): T[] {
  return bestIndices(items.length, k, (a, b) => cmp(items[a] as T, items[b] as T)).map((i) => items[i] as T);
}

type Counts = Map<string, number>;

// Each facet's column in the index (mirror-index.ts DocColumns).
const SCALAR: Partial<Record<FacetName, ColumnField>> = {
  department: 'departmentId',
  theme: 'themeId',
  license: 'licenseId',
  open_type: 'openType',
  share_type: 'shareType',
  update_cycle: 'updateCycle',
};
const LIST: Partial<Record<FacetName, ColumnField>> = {
  tags: 'keywordsSlot',
  format: 'formatsSlot',
};

/**
 * Counters by number (facet value or list slot) reused by every search: a search reads and resets
 * only the entries it touched, so its cost follows its matches, not the number of distinct tags,
 * formats and keyword lists in the catalog (which a counter array per search had to scan).
 */
class Tally {
  #counts = new Int32Array(0);
  #touched = new Int32Array(0);
  #n = 0;

  /** Starts a count over numbers below `size`. */
  reset(size: number): this {
    if (this.#counts.length < size) {
      this.#counts = new Int32Array(size * 2);
      this.#touched = new Int32Array(size * 2);
    }
    this.#n = 0;
    return this;
  }

  add(value: number, n: number): void {
    if (value < 0) return;
    if (this.#counts[value] === 0) this.#touched[this.#n++] = value;
    this.#counts[value] = (this.#counts[value] as number) + n;
  }

  /** Visits every touched number with its count, and zeroes them for the next search. */
  drain(visit: (value: number, n: number) => void): void {
    for (let i = 0; i < this.#n; i++) {
      const value = this.#touched[i] as number;
      visit(value, this.#counts[value] as number);
      this.#counts[value] = 0;
    }
    this.#n = 0;
  }
}

const byValue = new Tally();
const perList = new Tally();

/** Each asked facet's counts by value (at least facetMinCount). */
function countFacets(mirror: SearchMirror, hits: Hits, spec: SearchSpec): Map<FacetName, Counts> {
  const { count, ords } = hits;
  const texts = mirror.index.values.texts;
  const columns = mirror.index.columns.byField;
  const counted = new Map<FacetName, Counts>();
  for (const name of spec.facets) {
    const scalar = SCALAR[name];
    const list = LIST[name];
    byValue.reset(texts.length);
    if (scalar) {
      const column = columns[scalar];
      for (let i = 0; i < count; i++) byValue.add(column[ords[i] as number] as number, 1);
    } else if (list) {
      // Matches are first counted per list (many share one), then each list adds to its items.
      const column = columns[list];
      perList.reset(mirror.lists.length);
      for (let i = 0; i < count; i++) perList.add(column[ords[i] as number] as number, 1);
      perList.drain((slot, n) => {
        for (const item of mirror.lists[slot] as Int32Array) byValue.add(item, n);
      });
    }
    const counts: Counts = new Map();
    byValue.drain((value, n) => {
      if (n >= spec.facetMinCount) counts.set(texts[value] as string, n);
    });
    counted.set(name, counts);
  }
  return counted;
}

/** The counted facets with their labels, in the SQL's order, at most facetLimit values each. */
async function labelFacets(
  mirror: SearchMirror,
  counted: Map<FacetName, Counts>,
  spec: SearchSpec,
): Promise<SearchPage['facets']> {
  const labels = await mirror.labels(
    [...(counted.get('department')?.keys() ?? [])],
    [...(counted.get('theme')?.keys() ?? [])],
  );
  const out: SearchPage['facets'] = {};
  for (const [name, counts] of counted) {
    const values: FacetCount[] = [];
    for (const [key, count] of counts) {
      if (name === 'department' || name === 'theme') {
        const label = labels.get(`${name}:${key}`);
        // A department or theme that no longer exists is not a facet value (the SQL joins it).
        if (label) values.push({ ...label, count });
      } else values.push({ value: key, label: key, labelEn: key, count });
    }
    out[name] = bestOf(values, spec.facetLimit, (a, b) => b.count - a.count || compareText(a.value, b.value));
  }
  return out;
}
