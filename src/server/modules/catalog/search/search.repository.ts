import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import { compiledOnce, pathWithinSql, positional } from '../../../platform/sql-helpers.ts';
import type { SearchVisibility } from '../catalog.policy.ts';
import { type DatasetView, selectDatasetViews } from '../dataset.repository.ts';
import type { FqNode } from './fq-parser.ts';
import { type FacetName, facetColumn, facetQuery } from './search-facets.ts';

export type { FacetName } from './search-facets.ts';

type Cond = RawBuilder<boolean>;

/** How the text of a query is matched. */
export type TextMatch =
  | { kind: 'none' }
  /** tsquery texts for the two halves of the index (either may be empty). */
  | { kind: 'fulltext'; simple: string; english: string }
  /** Typos and very short queries: trigram word similarity or substring. */
  | { kind: 'trigram'; text: string };

export type SortKey = 'relevance' | 'modified' | 'title' | 'downloads' | 'newest' | 'name' | 'created';

export interface SearchSpec {
  match: TextMatch;
  visibility: SearchVisibility;
  /** False: only what the public sees (published and open). */
  includePrivate: boolean;
  filter: Cond | null;
  /** The parsed filter `filter` was built from, for the in-memory mirror (mirror-filter.ts). */
  filterNode?: FqNode | null;
  sort: SortKey;
  descending?: boolean;
  offset: number;
  limit: number;
  facets: readonly FacetName[];
  facetLimit: number;
  facetMinCount: number;
  /** The page's ids only, no rows (callers that render the resources their own way). */
  idsOnly?: boolean;
}

export interface FacetCount {
  value: string;
  /** Chinese label (department or theme name; the value itself for coded fields). */
  label: string;
  labelEn: string;
  count: number;
}

export interface SearchPage {
  total: number;
  /** The page's resources in order. */
  ids: string[];
  /** Their rows, in the same order (empty when the spec asked for ids only). */
  rows: DatasetView[];
  facets: Partial<Record<FacetName, FacetCount[]>>;
}

const PUBLIC = sql<boolean>`(ds.status = 'published' and ds.open_type = 'open')`;

function visibilitySql(v: SearchVisibility, includePrivate: boolean): Cond {
  if (!includePrivate) return PUBLIC;
  if (v.all) return sql<boolean>`true`;
  const parts: Cond[] = [PUBLIC];
  if (v.ownDepartmentRoots.length > 0)
    parts.push(
      sql<boolean>`ds.department_id in (select d.id from departments d where ${pathWithinSql('d.path', v.ownDepartmentRoots)})`,
    );
  if (v.sharedPublished) parts.push(sql<boolean>`(ds.status = 'published' and ds.share_type <> 'none')`);
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}

/** The tsquery of a full-text match: its simple and English halves joined by AND. */
export function tsquerySql(m: Extract<TextMatch, { kind: 'fulltext' }>) {
  const parts: RawBuilder<unknown>[] = [];
  if (m.simple) parts.push(sql`to_tsquery('simple', ${m.simple})`);
  if (m.english) parts.push(sql`to_tsquery('english', ${m.english})`);
  return sql.join(parts, sql` && `);
}

function matchSql(m: TextMatch): Cond | null {
  switch (m.kind) {
    case 'none':
      return null;
    case 'fulltext':
      return sql<boolean>`ds.search_vector @@ (${tsquerySql(m)})`;
    case 'trigram':
      // `<%` is word similarity above pg_trgm.word_similarity_threshold, served by the trigram index.
      return sql<boolean>`(ds.search_text like ${`%${escapeLike(m.text)}%`} or ${m.text} <% ds.search_text)`;
  }
}

const escapeLike = (s: string) => s.replaceAll(/[\\%_]/g, (c) => `\\${c}`);

function rankSql(m: TextMatch) {
  // ts_rank weighs matches by field (A titles … D items); ts_rank_cd's cover density cost twice as much.
  if (m.kind === 'fulltext') return sql<number>`ts_rank(ds.search_vector, ${tsquerySql(m)}, 1)`;
  if (m.kind === 'trigram') return sql<number>`word_similarity(${m.text}, ds.search_text)`;
  return sql<number>`0`;
}

// Orders the matched rows (`m`, or the page `p` taken from it); every column named here is carried in `m`.
function orderSql(spec: SearchSpec, alias: 'm' | 'p' = 'm') {
  const dir = (defaultDesc: boolean) => sql.raw((spec.descending ?? defaultDesc) ? 'desc' : 'asc');
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  switch (spec.sort) {
    case 'relevance':
      return spec.match.kind === 'none'
        ? sql`${c('modified_at')} desc, ${c('id')}`
        : sql`${c('rank')} ${dir(true)}, ${c('modified_at')} desc, ${c('id')}`;
    case 'modified':
      return sql`${c('modified_at')} ${dir(true)}, ${c('id')}`;
    case 'created':
      return sql`${c('created_at')} ${dir(true)}, ${c('id')}`;
    case 'newest':
      return sql`${c('published_at')} ${dir(true)} nulls last, ${c('id')}`;
    case 'title':
      return sql`${c('title_zh')} ${dir(false)}, ${c('id')}`;
    case 'name':
      return sql`${c('name')} ${dir(false)}`;
    case 'downloads':
      return sql`${c('download_count')} ${dir(true)}, ${c('id')}`;
  }
}

function whereSql(spec: SearchSpec): Cond {
  const parts: Cond[] = [visibilitySql(spec.visibility, spec.includePrivate)];
  const match = matchSql(spec.match);
  if (match) parts.push(match);
  if (spec.filter) parts.push(spec.filter);
  return sql<boolean>`${sql.join(parts, sql` and `)}`;
}

// Filters reach departments and themes through subqueries (search-filters.ts), so the matching reads
// the narrow search rows alone.
const FROM = sql`catalog_search ds`;

const SORT_COLUMNS: Record<SortKey, string[]> = {
  relevance: ['modified_at'],
  modified: ['modified_at'],
  created: ['created_at'],
  newest: ['published_at'],
  title: ['title_zh'],
  name: ['name'],
  downloads: ['download_count'],
};

/** The columns `m` carries: the id, the sort's keys and the requested facets' values. */
function matchedColumns(spec: SearchSpec) {
  const columns = new Set(['id', ...SORT_COLUMNS[spec.sort], ...spec.facets.map(facetColumn)]);
  return sql.join([...columns].map((c) => sql.ref(`ds.${c}`)));
}

// Word similarity of a one-letter typo in a short word is about 0.55; pg_trgm's default bar is 0.6.
const TYPO_SIMILARITY = 0.5;

/** Runs a search: the total, one page of resources and the facet counts, over the same conditions. */
export async function runSearch(db: Db, spec: SearchSpec): Promise<SearchPage> {
  if (spec.match.kind !== 'trigram') return runQueries(db, spec);
  // The threshold of the index-served `<%` operator is a setting; scope it to this search.
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_SIMILARITY)}, true)`.execute(
      trx,
    );
    return runQueries(trx, spec);
  });
}

// One statement: the matching runs once into a materialised CTE, and the total, the page's ids and
// every facet are read from it. Only a relevance sort reads the rank, so other sorts skip ts_rank over
// every match. The page is a plain ORDER BY … LIMIT over `m`, which PostgreSQL serves with a bounded
// (top-N) sort keeping offset + limit rows, where numbering every match first sorted all of them. The
// page's full rows are then fetched by primary key.
async function runQueries(db: Db, spec: SearchSpec): Promise<SearchPage> {
  const facets = facetQuery(spec.facets, spec.facetMinCount, spec.facetLimit);
  const { rows } = await sql<Record<string, unknown> & { total: number; ids: string[] }>`
    with m as materialized (
      select ${matchedColumns(spec)}, ${spec.sort === 'relevance' ? rankSql(spec.match) : sql`0`} as rank
      from ${FROM} where ${whereSql(spec)}),
    ${facets.groups}
    select ${facets.total} as total,
           (select coalesce(json_agg(p.id order by ${orderSql(spec, 'p')}), '[]') from (
              select * from m order by ${orderSql(spec)} limit ${spec.limit} offset ${spec.offset}) p) as ids
           ${facets.columns.length ? sql`, ${sql.join(facets.columns)}` : sql``}`.execute(db);
  const row = rows[0] ?? { total: 0, ids: [] };
  const counted: SearchPage['facets'] = {};
  for (const name of spec.facets) {
    const counts = row[`facet_${name}`] as {
      value: string;
      label_zh: string | null;
      label_en: string | null;
      n: number;
    }[];
    counted[name] = counts.map((c) => ({
      value: c.value,
      label: c.label_zh ?? c.value,
      labelEn: c.label_en ?? c.value,
      count: c.n,
    }));
  }
  return { total: row.total, ...(await pageOf(db, row.ids, spec)), facets: counted };
}

const selectViewsByIds = compiledOnce((db) =>
  selectDatasetViews(db).where(sql<boolean>`ds.id = any(${positional(1)}::uuid[])`),
);

/** A page's ids and, unless the spec asks for ids only, their rows. */
export async function pageOf(
  db: Db,
  ids: string[],
  spec: SearchSpec,
): Promise<Pick<SearchPage, 'ids' | 'rows'>> {
  return { ids, rows: spec.idsOnly ? [] : await viewsInOrder(db, ids) };
}

/** The full rows of a page's resources, in the page's order. */
export async function viewsInOrder(db: Db, ids: readonly string[]): Promise<DatasetView[]> {
  if (ids.length === 0) return [];
  const rows = (await selectViewsByIds(db, [ids])) as DatasetView[];
  const byId = new Map(rows.map((v) => [v.id, v]));
  return ids.map((id) => byId.get(id)).filter((v): v is DatasetView => !!v);
}
