import type {
  CatalogKind,
  DataItem,
  DataRequestDto,
  DatasetStatus,
  DistributionKind,
  FormatClass,
  OpenType,
  SearchQueryInput,
  SensitivityLevel,
  ShareType,
  UpdateCycle,
} from '../../../contracts/catalog.ts';

// The value lists of contracts/catalog.ts, restated so the browser bundle does not pull in TypeBox
// with them. The checks below fail to compile when the contract gains or loses a value.

export const CATALOG_KINDS = ['base', 'thematic', 'departmental'] as const satisfies readonly CatalogKind[];
export const SHARE_TYPES = ['unconditional', 'conditional', 'none'] as const satisfies readonly ShareType[];
export const OPEN_TYPES = ['open', 'conditional', 'none'] as const satisfies readonly OpenType[];
export const UPDATE_CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'irregular',
] as const satisfies readonly UpdateCycle[];
export const FORMAT_CLASSES = [
  'database',
  'spreadsheet',
  'document',
  'image',
  'media',
  'api',
  'other',
] as const satisfies readonly FormatClass[];
export const SENSITIVITY_LEVELS = [
  'public',
  'internal',
  'sensitive',
  'secret',
] as const satisfies readonly SensitivityLevel[];
export const DATASET_STATUSES = [
  'draft',
  'submitted',
  'published',
  'withdrawn',
] as const satisfies readonly DatasetStatus[];
export const DATA_ITEM_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'time',
  'geometry',
  'other',
] as const satisfies readonly DataItem['type'][];
export const DISTRIBUTION_KINDS = ['file', 'link', 'api'] as const satisfies readonly DistributionKind[];
export const DATA_REQUEST_STATUSES = [
  'open',
  'answered',
  'fulfilled',
  'declined',
] as const satisfies readonly DataRequestDto['status'][];
export const SEARCH_SORTS = [
  'relevance',
  'modified',
  'title',
  'downloads',
  'newest',
] as const satisfies readonly NonNullable<SearchQueryInput['sort']>[];
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** The facets the portal shows, in display order (the server computes them all on every search). */
export const PORTAL_FACETS = [
  'department',
  'theme',
  'format',
  'tags',
  'license',
  'open_type',
  'update_cycle',
] as const;
export type PortalFacet = (typeof PORTAL_FACETS)[number];

/** Dataset names as the API accepts them (CKAN-style slugs). */
export const DATASET_NAME = /^[a-z0-9][a-z0-9_-]*$/;
export const RESOURCE_CODE = /^[A-Z0-9][A-Z0-9_-]*$/;
export const REGION_CODE = /^\d{6}$/;

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const complete: [
  Exhaustive<CatalogKind, (typeof CATALOG_KINDS)[number]>,
  Exhaustive<ShareType, (typeof SHARE_TYPES)[number]>,
  Exhaustive<OpenType, (typeof OPEN_TYPES)[number]>,
  Exhaustive<UpdateCycle, (typeof UPDATE_CYCLES)[number]>,
  Exhaustive<FormatClass, (typeof FORMAT_CLASSES)[number]>,
  Exhaustive<SensitivityLevel, (typeof SENSITIVITY_LEVELS)[number]>,
  Exhaustive<DatasetStatus, (typeof DATASET_STATUSES)[number]>,
  Exhaustive<DataItem['type'], (typeof DATA_ITEM_TYPES)[number]>,
  Exhaustive<DistributionKind, (typeof DISTRIBUTION_KINDS)[number]>,
  Exhaustive<DataRequestDto['status'], (typeof DATA_REQUEST_STATUSES)[number]>,
  Exhaustive<NonNullable<SearchQueryInput['sort']>, SearchSort>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void complete;
