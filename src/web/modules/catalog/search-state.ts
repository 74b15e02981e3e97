import { SEARCH_SORTS, type SearchSort } from './constants.ts';

// The portal's search lives in the address (?q=…&department=…&page=2), so reload, back and a
// shared link all show the same results.

export const FILTER_KEYS = [
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
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface SearchState {
  q: string;
  filters: Partial<Record<FilterKey, string>>;
  sort: SearchSort | undefined;
  page: number;
}

export const PAGE_SIZE = 10;

/** Reads the search from the address, ignoring what is not a known, well-formed parameter. */
export function readSearch(params: URLSearchParams): SearchState {
  const filters: SearchState['filters'] = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  const sort = params.get('sort');
  const page = Number.parseInt(params.get('page') ?? '', 10);
  return {
    q: params.get('q')?.trim() ?? '',
    filters,
    sort: (SEARCH_SORTS as readonly string[]).includes(sort ?? '') ? (sort as SearchSort) : undefined,
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, 10_000) : 1,
  };
}

/** The address's query string for a search (without defaults, so links stay short). */
export function writeSearch(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const key of FILTER_KEYS) {
    const value = state.filters[key];
    if (value) params.set(key, value);
  }
  if (state.sort) params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}

/** A changed search: any change but paging starts again at page one. */
export function changeSearch(
  state: SearchState,
  change: {
    q?: string;
    sort?: SearchSort | undefined;
    page?: number;
    set?: Partial<Record<FilterKey, string | undefined>>;
  },
): SearchState {
  const filters = { ...state.filters };
  for (const [key, value] of Object.entries(change.set ?? {}) as [FilterKey, string | undefined][]) {
    if (value) filters[key] = value;
    else delete filters[key];
  }
  return {
    q: change.q ?? state.q,
    filters,
    sort: 'sort' in change ? change.sort : state.sort,
    page: change.page ?? 1,
  };
}
