import type { SearchQueryInput, SearchResultDto } from '../../../contracts/catalog.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { highlight, queryTerms, toTsQueryText } from '../../platform/text/index.ts';
import { searchVisibilityOf } from './catalog.policy.ts';
import { toSummaryDto } from './catalog.presenter.ts';
import type { FqNode } from './search/fq-parser.ts';
import { mirroredSearch } from './search/mirror-search.ts';
import {
  type FacetName,
  runSearch,
  type SearchPage,
  type SearchSpec,
  type SortKey,
  type TextMatch,
} from './search/search.repository.ts';
import { cachedSearch } from './search/search-cache.ts';
import { filterSql, withoutPublicTerms } from './search/search-filters.ts';

export interface CatalogSearchRequest {
  q?: string | undefined;
  filter: FqNode | null;
  /** Include what the actor may see beyond the public catalog (CKAN include_private). */
  includePrivate: boolean;
  sort: SortKey;
  descending?: boolean | undefined;
  offset: number;
  limit: number;
  facets: readonly FacetName[];
  facetLimit?: number;
  facetMinCount?: number;
  /** The page's ids only (rows: []), for callers that render the resources their own way. */
  idsOnly?: boolean;
}

export interface CatalogSearchResult extends SearchPage {
  matchedBy: 'all' | 'fulltext' | 'trigram';
  /** The query's terms, for highlighting. */
  terms: string[];
}

// A single character cannot be found in an index of words; it is matched as a substring instead.
const SHORT_QUERY_CHARS = 1;

/**
 * Full text first (jieba-segmented Chinese and stemmed English in one index); when the query has no
 * usable terms, is a single character, or finds nothing (a typo), trigram similarity and substring
 * matching take over.
 */
export async function searchCatalog(
  ctx: AppContext,
  actor: Actor | undefined,
  req: CatalogSearchRequest,
): Promise<CatalogSearchResult> {
  // Control characters (NUL above all) cannot reach Postgres text and mean nothing in a query.
  const q = (req.q ?? '').replaceAll(/\p{Cc}/gu, ' ').trim();
  // What the public sees is the same for every caller, so it is what gets cached.
  if (req.includePrivate || !ctx.config.searchCache) return searchUncached(ctx, actor, req, q);
  const key = JSON.stringify({ ...req, q });
  return cachedSearch(ctx.db, key, () => searchUncached(ctx, undefined, req, q));
}

async function searchUncached(
  ctx: AppContext,
  actor: Actor | undefined,
  req: CatalogSearchRequest,
  q: string,
): Promise<CatalogSearchResult> {
  const filterNode = publicOnly(req) ? withoutPublicTerms(req.filter) : req.filter;
  const base: Omit<SearchSpec, 'match'> = {
    visibility: searchVisibilityOf(actor),
    includePrivate: req.includePrivate,
    filter: sqlOf(filterNode),
    filterNode,
    sort: req.sort,
    descending: req.descending,
    offset: req.offset,
    limit: req.limit,
    facets: req.facets,
    facetLimit: req.facetLimit ?? 50,
    facetMinCount: req.facetMinCount ?? 1,
    idsOnly: req.idsOnly ?? false,
  };
  if (!q || q === '*' || q === '*:*')
    return {
      ...(await search(ctx, { ...base, match: { kind: 'none' } })),
      matchedBy: 'all',
      terms: [],
    };
  const terms = queryTerms(q);
  const words = [...terms.simple, ...terms.english];
  const trigram: TextMatch = { kind: 'trigram', text: q.toLowerCase() };
  if (words.length > 0 && [...q].length > SHORT_QUERY_CHARS) {
    const match: TextMatch = {
      kind: 'fulltext',
      simple: toTsQueryText(terms.simple),
      english: toTsQueryText(terms.english),
    };
    const page = await search(ctx, { ...base, match });
    if (page.total > 0) return { ...page, matchedBy: 'fulltext', terms: words };
  }
  return {
    ...(await runSearch(ctx.db, { ...base, match: trigram })),
    matchedBy: 'trigram',
    terms: words.length ? words : [q],
  };
}

const publicOnly = (req: CatalogSearchRequest) => !req.includePrivate;
const sqlOf = (node: FqNode | null) => (node ? filterSql(node) : null);

/** The in-memory mirror's answer where it gives one (public searches it reproduces exactly), else SQL. */
async function search(ctx: AppContext, spec: SearchSpec): Promise<SearchPage> {
  const mirrored = ctx.config.searchMirror ? await mirroredSearch(ctx.db, spec) : undefined;
  return mirrored ?? runSearch(ctx.db, spec);
}

const REST_FILTERS = [
  'department',
  'theme',
  'format',
  'tags',
  'license',
  'open_type',
  'share_type',
  'update_cycle',
  'status',
] as const;
const PORTAL_FACETS: FacetName[] = [
  'department',
  'theme',
  'format',
  'tags',
  'license',
  'open_type',
  'update_cycle',
];

/** The portal's and console's search: filters from query parameters, facets, highlighted matches. */
export async function searchDatasets(
  ctx: AppContext,
  actor: Actor | undefined,
  query: SearchQueryInput & { includePrivate?: boolean },
): Promise<SearchResultDto> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const terms: FqNode[] = [];
  for (const field of REST_FILTERS) {
    const value = query[field];
    if (value) terms.push({ kind: 'term', field, value, exact: true });
  }
  const result = await searchCatalog(ctx, actor, {
    q: query.q,
    filter: terms.length ? { kind: 'and', children: terms } : null,
    includePrivate: query.includePrivate ?? false,
    sort: query.sort ?? (query.q ? 'relevance' : 'modified'),
    offset: (page - 1) * pageSize,
    limit: pageSize,
    facets: PORTAL_FACETS,
    facetLimit: 30,
  });
  return {
    total: result.total,
    page,
    pageSize,
    matchedBy: result.matchedBy,
    results: result.rows.map((row) => ({
      ...toSummaryDto(row, row.formats),
      highlight: {
        title: highlight(row.title_zh, result.terms),
        titleEn: highlight(row.title_en, result.terms),
        description: highlight(row.description_zh.slice(0, 300), result.terms),
        descriptionEn: highlight(row.description_en.slice(0, 300), result.terms),
      },
    })),
    facets: result.facets,
  };
}
