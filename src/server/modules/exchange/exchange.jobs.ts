import type { JobHandler, Tick } from '../../platform/jobs/index.ts';
import { deadlineTick } from './deadlines.service.ts';
import { sequenceAccessLog } from './log-chain.ts';

// The exchange's background work, run by every node's worker: deadline reminders and escalations,
// chaining the access log, webhook deliveries and file extracts.

export const exchangeJobHandlers: Record<string, JobHandler> = {};

export const exchangeTicks: Tick[] = [
  deadlineTick,
  // Gateway nodes chain soon after their own writes; this catches the rest (other writers, restarts).
  { name: 'exchange.access-log.chain', everyMs: 1000, run: (ctx) => sequenceAccessLog(ctx.db) },
];
