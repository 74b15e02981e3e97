import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../../platform/db.ts';
import { andOperandsOf } from '../../../platform/text/index.ts';
import { mirrorableFilter, mirrorPredicate } from './mirror-filter.ts';
import type { MirrorDoc } from './mirror-index.ts';
import {
  type FacetCount,
  type SearchPage,
  type SearchSpec,
  type SortKey,
  type TextMatch,
  tsquerySql,
  viewsInOrder,
} from './search.repository.ts';
import type { FacetName } from './search-facets.ts';
import { publicSearchMirror, type SearchMirror } from './search-mirror.ts';
import { rankOrder, tsRankAnd } from './ts-rank.ts';

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

interface Hit {
  doc: MirrorDoc;
  rank: number;
}

/** The search answered from the mirror; undefined when it must go to SQL. */
export async function mirroredSearch(db: Db, spec: SearchSpec): Promise<SearchPage | undefined> {
  if (!mirrorable(spec)) return undefined;
  let lexemes: string[] | null = null;
  if (spec.match.kind === 'fulltext') {
    lexemes = await normalised(db, spec.match);
    if (!lexemes) return undefined;
  }
  const mirror = await publicSearchMirror(db);
  const keep =
    spec.filter && spec.filterNode ? await mirrorPredicate(db, mirror, spec.filterNode) : undefined;
  const hits = matches(mirror, lexemes, keep ?? (() => true));
  const page = topPage(hits, spec);
  const [facets, rows] = await Promise.all([
    facetsOf(mirror, hits, spec),
    viewsInOrder(
      db,
      page.map((h) => h.doc.id),
    ),
  ]);
  return { total: hits.length, rows, facets };
}

function matches(mirror: SearchMirror, lexemes: string[] | null, keep: (doc: MirrorDoc) => boolean): Hit[] {
  const index = mirror.index;
  if (lexemes === null) {
    const all: Hit[] = [];
    for (const doc of index.docs) if (doc && keep(doc)) all.push({ doc, rank: 0 });
    return all;
  }
  const hits: Hit[] = [];
  index.forEachMatch(rankOrder(lexemes), (ord, slices) => {
    const doc = index.docs[ord] as MirrorDoc;
    if (keep(doc)) hits.push({ doc, rank: tsRankAnd(slices, doc.length) });
  });
  return hits;
}

// The SQL search's ORDER BY (search.repository.ts orderSql) for the mirrored sorts.
function comparatorOf(spec: SearchSpec): (a: Hit, b: Hit) => number {
  const flip = (defaultDesc: boolean) => ((spec.descending ?? defaultDesc) ? -1 : 1);
  const byId = (a: Hit, b: Hit) => (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0);
  const byModifiedDesc = (a: Hit, b: Hit) => b.doc.modifiedUs - a.doc.modifiedUs;
  switch (spec.sort) {
    case 'relevance': {
      if (spec.match.kind === 'none') return (a, b) => byModifiedDesc(a, b) || byId(a, b);
      const d = flip(true);
      return (a, b) => d * (a.rank - b.rank) || byModifiedDesc(a, b) || byId(a, b);
    }
    case 'modified': {
      const d = flip(true);
      return (a, b) => d * (a.doc.modifiedUs - b.doc.modifiedUs) || byId(a, b);
    }
    case 'created': {
      const d = flip(true);
      return (a, b) => d * (a.doc.createdUs - b.doc.createdUs) || byId(a, b);
    }
    default: {
      // newest: published_at in the direction asked, nulls last either way.
      const d = flip(true);
      return (a, b) => {
        const x = a.doc.publishedUs;
        const y = b.doc.publishedUs;
        if (x === null || y === null) return x === y ? byId(a, b) : x === null ? 1 : -1;
        return d * (x - y) || byId(a, b);
      };
    }
  }
}

/** The hits of the page (offset, limit). */
function topPage(hits: readonly Hit[], spec: SearchSpec): Hit[] {
  return bestOf(hits, spec.offset + spec.limit, comparatorOf(spec)).slice(spec.offset);
}

/** The first k items in `cmp` order, sorted; keeps only the best k while scanning. */
export function bestOf<T>(items: Iterable<T>, k: number, cmp: (a: T, b: T) => number): T[] {
  const best: T[] = [];
  if (k <= 0) return best;
  for (const item of items) {
    if (best.length === k && cmp(item, best[k - 1] as T) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(best[mid] as T, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

type Counts = Map<string, number>;

const SCALAR: Partial<Record<FacetName, (d: MirrorDoc) => number>> = {
  department: (d) => d.departmentId,
  theme: (d) => d.themeId,
  license: (d) => d.licenseId,
  open_type: (d) => d.openType,
  share_type: (d) => d.shareType,
  update_cycle: (d) => d.updateCycle,
};
const LIST: Partial<Record<FacetName, (d: MirrorDoc) => number>> = {
  tags: (d) => d.keywordsList,
  format: (d) => d.formatsList,
};

async function facetsOf(
  mirror: SearchMirror,
  hits: readonly Hit[],
  spec: SearchSpec,
): Promise<SearchPage['facets']> {
  const counted = new Map<FacetName, Counts>();
  for (const name of spec.facets) {
    const scalar = SCALAR[name];
    const list = LIST[name];
    const byValue = new Int32Array(mirror.index.values.texts.length);
    if (scalar) for (const { doc } of hits) countOne(byValue, scalar(doc), 1);
    else if (list) {
      // Matches are first counted per list (many share one), then each list adds to its items.
      const perList = new Map<number, number>();
      for (const { doc } of hits) perList.set(list(doc), (perList.get(list(doc)) ?? 0) + 1);
      for (const [id, n] of perList)
        for (const item of mirror.lists.get(id) ?? []) countOne(byValue, item, n);
    }
    const counts: Counts = new Map();
    byValue.forEach((n, value) => {
      if (n >= spec.facetMinCount) counts.set(mirror.index.values.texts[value] as string, n);
    });
    counted.set(name, counts);
  }
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

function countOne(byValue: Int32Array, value: number, n: number): void {
  if (value >= 0) byValue[value] = (byValue[value] as number) + n;
}
