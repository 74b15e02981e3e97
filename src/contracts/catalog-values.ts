// The value lists of the catalog's contracts, free of TypeBox so that the web bundle can import
// them without the schema library. catalog.ts builds its schemas from them and re-exports them.

/** Which catalog a resource belongs to (政务信息资源目录: 基础 / 主题 / 部门). */
export const CATALOG_KINDS = ['base', 'thematic', 'departmental'] as const;
/** 共享类型: 无条件共享 / 有条件共享 / 不予共享. */
export const SHARE_TYPES = ['unconditional', 'conditional', 'none'] as const;
/** 开放类型: 无条件开放 / 有条件开放 / 不予开放. */
export const OPEN_TYPES = ['open', 'conditional', 'none'] as const;
export const UPDATE_CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'irregular',
] as const;
/** 信息资源格式分类. */
export const FORMAT_CLASSES = [
  'database',
  'spreadsheet',
  'document',
  'image',
  'media',
  'api',
  'other',
] as const;
export const SENSITIVITY_LEVELS = ['public', 'internal', 'sensitive', 'secret'] as const;
export const DATASET_STATUSES = ['draft', 'submitted', 'published', 'withdrawn'] as const;
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
] as const;
export const DISTRIBUTION_KINDS = ['file', 'link', 'api'] as const;

export type CatalogKind = (typeof CATALOG_KINDS)[number];
export type ShareType = (typeof SHARE_TYPES)[number];
export type OpenType = (typeof OPEN_TYPES)[number];
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];
export type FormatClass = (typeof FORMAT_CLASSES)[number];
export type SensitivityLevel = (typeof SENSITIVITY_LEVELS)[number];
export type DatasetStatus = (typeof DATASET_STATUSES)[number];
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

export const SEARCH_SORTS = ['relevance', 'modified', 'title', 'downloads', 'newest'] as const;
export const DATA_REQUEST_STATUSES = ['open', 'answered', 'fulfilled', 'declined'] as const;
