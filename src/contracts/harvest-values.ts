// The value lists and default limits of harvesting, free of TypeBox so that the web bundle can
// import them without the schema library. harvest.ts builds its schemas from them and re-exports them.

export const HARVEST_KINDS = ['ckan', 'dcat'] as const;
export const HARVEST_SCHEDULES = ['manual', 'hourly', 'daily', 'weekly'] as const;
export const HARVEST_RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'partial',
  'failed',
  'cancelled',
] as const;
export const HARVEST_TRIGGERS = ['manual', 'schedule', 'cli'] as const;
export type HarvestKind = (typeof HARVEST_KINDS)[number];
export type HarvestSchedule = (typeof HARVEST_SCHEDULES)[number];
export type HarvestRunStatus = (typeof HARVEST_RUN_STATUSES)[number];

/** What keeps a bad source from looping or exhausting memory. */
export const HARVEST_LIMIT_DEFAULTS = {
  maxPages: 100,
  maxResponseBytes: 20 * 1024 * 1024,
  maxSeconds: 300,
  maxDatasets: 10_000,
} as const;
export type HarvestLimits = { -readonly [K in keyof typeof HARVEST_LIMIT_DEFAULTS]: number };
