import type {
  HARVEST_LIMIT_DEFAULTS as CONTRACT_LIMIT_DEFAULTS,
  HarvestKind,
  HarvestLimits,
  HarvestRunDto,
  HarvestRunStatus,
  HarvestSchedule,
} from '../../../../contracts/harvest.ts';

// The value lists of contracts/harvest.ts, restated so the browser bundle does not pull in TypeBox
// with them (as ../constants.ts does). The checks below fail to compile when the contract changes.

export const HARVEST_KINDS = ['ckan', 'dcat'] as const satisfies readonly HarvestKind[];
export const HARVEST_SCHEDULES = [
  'manual',
  'hourly',
  'daily',
  'weekly',
] as const satisfies readonly HarvestSchedule[];
export const HARVEST_RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'partial',
  'failed',
  'cancelled',
] as const satisfies readonly HarvestRunStatus[];
export const HARVEST_TRIGGERS = [
  'manual',
  'schedule',
  'cli',
] as const satisfies readonly HarvestRunDto['trigger'][];
/** Stages a run's errors name (the server may add others; they show as they come). */
export const HARVEST_STAGES = ['gather', 'import', 'withdraw', 'run'] as const;

/** The server's limits when a source sets none; `satisfies` keeps the figures equal to the contract's. */
export const HARVEST_LIMIT_DEFAULTS = {
  maxPages: 100,
  maxResponseBytes: 20 * 1024 * 1024,
  maxSeconds: 300,
  maxDatasets: 10_000,
} as const satisfies typeof CONTRACT_LIMIT_DEFAULTS;

/** The limits' bounds in the contract, for the form's own checks. */
export const HARVEST_LIMIT_BOUNDS = {
  maxPages: { min: 1, max: 10_000 },
  maxResponseBytes: { min: 1024, max: 200 * 1024 * 1024 },
  maxSeconds: { min: 1, max: 86_400 },
  maxDatasets: { min: 1, max: 1_000_000 },
} as const satisfies Record<keyof HarvestLimits, { min: number; max: number }>;

/** Source names: a slug (also the prefix of harvested names that clash with local ones). */
export const HARVEST_SOURCE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** An absolute http(s) address with a host, as the server accepts (it checks again). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A run still waiting or working: its page polls it. */
export const isActiveRun = (status: HarvestRunStatus | undefined) =>
  status === 'queued' || status === 'running';

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const complete: [
  Exhaustive<HarvestKind, (typeof HARVEST_KINDS)[number]>,
  Exhaustive<HarvestSchedule, (typeof HARVEST_SCHEDULES)[number]>,
  Exhaustive<HarvestRunStatus, (typeof HARVEST_RUN_STATUSES)[number]>,
  Exhaustive<HarvestRunDto['trigger'], (typeof HARVEST_TRIGGERS)[number]>,
] = [true, true, true, true];
void complete;
