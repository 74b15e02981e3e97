import type { SEARCH_SORTS } from '../../../contracts/catalog-values.ts';

// The catalog's value lists come from the contracts' TypeBox-free module, so the browser bundle does
// not pull in the schema library.
export {
  CATALOG_KINDS,
  DATA_ITEM_TYPES,
  DATA_REQUEST_STATUSES,
  DATASET_STATUSES,
  DISTRIBUTION_KINDS,
  FORMAT_CLASSES,
  OPEN_TYPES,
  SEARCH_SORTS,
  SENSITIVITY_LEVELS,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from '../../../contracts/catalog-values.ts';
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
