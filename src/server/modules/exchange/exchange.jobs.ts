import type { JobHandler, Tick } from '../../platform/jobs/index.ts';
import { deadlineTick } from './deadlines.service.ts';
import { extractExpiryTick } from './extract.expiry.ts';
import { EXTRACT_JOB, writeExtract } from './extract.jobs.ts';
import { sequenceAccessLog } from './log-chain.ts';
import { deliverWebhook, WEBHOOK_JOB } from './webhook.jobs.ts';

// The exchange's background work, run by every node's worker: deadline reminders and escalations,
// chaining the access log, webhook deliveries, file extracts and their expiry.

export const exchangeJobHandlers: Record<string, JobHandler> = {
  [WEBHOOK_JOB]: deliverWebhook as JobHandler,
  [EXTRACT_JOB]: writeExtract as JobHandler,
};

export const exchangeTicks: Tick[] = [
  deadlineTick,
  extractExpiryTick,
  // Gateway nodes chain soon after their own writes; this catches the rest (other writers, restarts).
  { name: 'exchange.access-log.chain', everyMs: 1000, run: (ctx) => sequenceAccessLog(ctx.db) },
];
