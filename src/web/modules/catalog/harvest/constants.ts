import type { HarvestLimits, HarvestRunStatus } from '../../../../contracts/harvest-values.ts';

// The value lists and default limits come from the contracts' TypeBox-free module, so the browser
// bundle does not pull in the schema library.
export {
  HARVEST_KINDS,
  HARVEST_LIMIT_DEFAULTS,
  HARVEST_RUN_STATUSES,
  HARVEST_SCHEDULES,
  HARVEST_TRIGGERS,
} from '../../../../contracts/harvest-values.ts';

/** Stages a run's errors name (the server may add others; they show as they come). */
export const HARVEST_STAGES = ['gather', 'import', 'withdraw', 'run'] as const;

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
