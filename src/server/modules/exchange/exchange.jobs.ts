import type { JobHandler, Tick } from '../../platform/jobs/index.ts';

// The exchange's background work, run by every node's worker: deadline reminders and escalations,
// chaining the access log, webhook deliveries and file extracts.

export const exchangeJobHandlers: Record<string, JobHandler> = {};

export const exchangeTicks: Tick[] = [];
