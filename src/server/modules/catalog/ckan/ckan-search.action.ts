import { licenseById } from '../licenses.ts';
import { type FqNode, parseFq } from '../search/fq-parser.ts';
import type { FacetCount, FacetName, SortKey } from '../search/search.repository.ts';
import { FILTER_FIELD_NAMES } from '../search/search-filters.ts';
import { searchCatalog } from '../search.service.ts';
import { type CkanAction, intParam } from './ckan-action.ts';
import { searchError, searchQueryError, validationError } from './ckan-envelope.ts';
import { type CkanData, ckanBool, ckanList, ckanString } from './ckan-package-input.ts';
import { ROWS_MAX } from './ckan-read.actions.ts';
import { packageDicts } from './package-dicts.ts';

// package_search as CKAN answers it (ckan/logic/action/get.py and lib/search/query.py): `q` is text
// (or a field query), `fq` a Solr filter, `rows` defaults to 10 and is lowered to 1000, `sort`
// defaults to "score desc, metadata_modified desc", only active datasets unless `fq` names a state,
// facets under CKAN's field names with `search_facets` items sorted by display name, descending.

const DEFAULT_SORT = 'score desc, metadata_modified desc';
const UNLIMITED_FACETS = 10_000;

// Fields CKAN's own front end and clients put in `fq` that have no Civitas column.
const CONSTANT_FIELDS = new Set(['dataset_type', 'type', 'site_id', 'capacity']);
const FQ_FIELDS: ReadonlySet<string> = new Set([...FILTER_FIELD_NAMES, ...CONSTANT_FIELDS]);

// `field:*` matches every row (see filterSql): the filters' own "true".
const TRUE: FqNode = { kind: 'term', field: 'name', value: '*', exact: false };
const FALSE: FqNode = { kind: 'not', child: TRUE };

/** Rewrites CKAN-only fields into Civitas filters: every dataset is of type "dataset" on this one site. */
function rewrite(node: FqNode): FqNode {
  switch (node.kind) {
    case 'term':
      if (node.field === 'dataset_type' || node.field === 'type')
        return node.value === 'dataset' || node.value === '*' ? TRUE : FALSE;
      if (node.field === 'site_id') return TRUE;
      if (node.field === 'capacity')
        return {
          kind: 'term',
          field: 'private',
          value: node.value === 'private' ? 'true' : 'false',
          exact: true,
        };
      return node;
    case 'range':
      return node;
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map(rewrite) };
    case 'not':
      return { kind: 'not', child: rewrite(node.child) };
  }
}

function mentions(node: FqNode | null, field: string): boolean {
  if (!node) return false;
  switch (node.kind) {
    case 'term':
    case 'range':
      return node.field === field;
    case 'and':
    case 'or':
      return node.children.some((c) => mentions(c, field));
    case 'not':
      return mentions(node.child, field);
  }
}

function parseFilter(text: string): FqNode | null {
  try {
    const node = parseFq(text, FQ_FIELDS);
    return node && rewrite(node);
  } catch (err) {
    if (err instanceof Error && err.name === 'FqSyntaxError') throw searchError(err.message);
    throw err;
  }
}

/** `q` that is wholly a field query (`tags:economy`, `name:x OR organization:y`) filters instead of matching text. */
function fieldQuery(q: string): FqNode | null {
  if (!/[A-Za-z_]+:/.test(q)) return null;
  try {
    const node = parseFq(q, FQ_FIELDS);
    return node && rewrite(node);
  } catch {
    return null;
  }
}

// CKAN sort fields → Civitas sort keys.
const SORTS: Record<string, SortKey> = {
  score: 'relevance',
  relevance: 'relevance',
  metadata_modified: 'modified',
  metadata_created: 'created',
  title_string: 'title',
  title: 'title',
  name: 'name',
  views_recent: 'downloads',
  views_total: 'downloads',
  download_count: 'downloads',
  published_at: 'newest',
};

/** The first clause of a Solr sort decides the order (ties fall back to the newest change). */
function parseSort(sort: string): { key: SortKey; descending: boolean } {
  const [field = '', dir = 'asc'] = (sort.split(',')[0] ?? '').trim().split(/\s+/);
  const key = SORTS[field];
  if (!key || !['asc', 'desc'].includes(dir.toLowerCase()))
    throw searchQueryError('Invalid "sort" parameter');
  return { key, descending: dir.toLowerCase() === 'desc' };
}

// CKAN facet fields (and Civitas's own names) → the catalog's facets.
const FACETS: Record<string, FacetName> = {
  organization: 'department',
  groups: 'theme',
  tags: 'tags',
  res_format: 'format',
  license_id: 'license',
  open_type: 'open_type',
  share_type: 'share_type',
  update_cycle: 'update_cycle',
  department: 'department',
  theme: 'theme',
  format: 'format',
  license: 'license',
};

function facetFields(data: CkanData): string[] {
  if (data['facet.field'] === undefined || data['facet.field'] === '') return [];
  const list = ckanList(data['facet.field']);
  if (!list || list.some((f) => typeof f !== 'string'))
    throw validationError(
      { 'facet.field': ['Not a list'] },
      'facet.field must be a JSON list of field names',
    );
  return [...new Set(list as string[])];
}

/** A facet value as CKAN names it: organizations by their name, the lower-case department code. */
function facetItem(field: string, c: FacetCount) {
  const name = FACETS[field] === 'department' ? c.value.toLowerCase() : c.value;
  const display =
    FACETS[field] === 'department' || FACETS[field] === 'theme'
      ? c.label
      : FACETS[field] === 'license'
        ? (licenseById(c.value)?.title ?? c.value)
        : c.value;
  return { name, display_name: display, count: c.count };
}

const and = (...nodes: (FqNode | null)[]): FqNode | null => {
  const children = nodes.filter((n): n is FqNode => n !== null);
  return children.length === 0
    ? null
    : children.length === 1
      ? (children[0] as FqNode)
      : { kind: 'and', children };
};

export const packageSearch: CkanAction = {
  sideEffectFree: true,
  doc:
    'Search for datasets.\n\n:param q: the search text, or a field query such as tags:economy (optional, default *:*)\n' +
    ':param fq: filter query: field:value, quoted values, AND/OR, -negation, [a TO b] ranges (optional)\n' +
    ':param sort: e.g. "metadata_modified desc", "title_string asc" (optional, default "score desc, metadata_modified desc")\n' +
    ':param rows: at most 1000 (optional, default 10)\n:param start: offset (optional)\n' +
    ':param facet.field: JSON list of fields to count: organization, groups, tags, res_format, license_id, open_type, share_type, update_cycle\n' +
    ':param facet.limit: values per facet, -1 for all (optional, default 50)\n:param facet.mincount: (optional, default 1)\n' +
    ':param include_private: include datasets beyond the public catalog that the caller may see (optional)\n' +
    ':param include_drafts: include drafts the caller may see (optional)',
  async run(call) {
    const { data } = call;
    const rows = intParam(data, 'rows', { default: 10, min: 0, clampTo: ROWS_MAX });
    const start = intParam(data, 'start', { default: 0, min: 0 });
    const facetLimitRaw = intParam(data, 'facet.limit', { default: 50 });
    const facetMinCount = intParam(data, 'facet.mincount', { default: 1, min: 0 });
    const fields = facetFields(data);
    const sortText = ckanString(data.sort)?.trim() || DEFAULT_SORT;
    const sort = parseSort(sortText);

    let q = ckanString(data.q)?.trim() ?? '';
    if (q === '""' || q === "''" || q === '*:*') q = '';
    const qFilter = q ? fieldQuery(q) : null;
    if (qFilter) q = '';
    const fq = ckanString(data.fq)?.trim();
    const fqList = (ckanList(data.fq_list) ?? []).map((s) => parseFilter(String(s)));
    const filter = and(qFilter, fq ? parseFilter(fq) : null, ...fqList);
    // Like CKAN, only active datasets unless the filter asks about states (drafts on request).
    const stateFilter: FqNode = ckanBool(data.include_drafts)
      ? {
          kind: 'or',
          children: [
            { kind: 'term', field: 'state', value: 'active', exact: true },
            { kind: 'term', field: 'state', value: 'draft', exact: true },
          ],
        }
      : { kind: 'term', field: 'state', value: 'active', exact: true };

    const page = await searchCatalog(call.ctx, call.actor, {
      q,
      filter: mentions(filter, 'state') ? filter : and(filter, stateFilter),
      includePrivate: ckanBool(data.include_private) && call.actor !== undefined,
      sort: sort.key === 'relevance' && !q ? 'modified' : sort.key,
      descending: sort.key === 'relevance' && !q ? true : sort.descending,
      offset: start,
      limit: rows,
      facets: [...new Set(fields.map((f) => FACETS[f]).filter((f): f is FacetName => !!f))],
      facetLimit: facetLimitRaw < 0 ? UNLIMITED_FACETS : facetLimitRaw,
      facetMinCount,
      idsOnly: true,
    });

    const facets: Record<string, Record<string, number>> = {};
    const searchFacets: Record<string, { title: string; items: ReturnType<typeof facetItem>[] }> = {};
    for (const field of fields) {
      const facet = FACETS[field];
      const items = (facet ? (page.facets[facet] ?? []) : []).map((c) => facetItem(field, c));
      facets[field] = Object.fromEntries(items.map((i) => [i.name, i.count]));
      searchFacets[field] = {
        title: field,
        items: items.sort((a, b) =>
          a.display_name < b.display_name ? 1 : a.display_name > b.display_name ? -1 : 0,
        ),
      };
    }
    return {
      count: page.total,
      facets,
      results: await packageDicts(call, page.ids),
      sort: sortText,
      search_facets: searchFacets,
    };
  },
};
