import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../platform/auth/actor.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db.ts';
import { auditAction } from '../../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../../platform/http/request-meta.ts';
import {
  type Enqueued,
  enqueue,
  enqueueClaimed,
  type JobRun,
  type Tick,
} from '../../../platform/jobs/index.ts';
import { insertRun, lockDueSources, nextRunSql, updateSourceRow } from './harvest.repository.ts';
import { executeHarvest } from './harvest-run.ts';

// Harvest runs as jobs on the durable queue: "run now" and the scheduler enqueue one (at most one
// queued or running per source, by dedupe key), any node's worker runs it, and a run whose node
// died is taken over by another.

export const HARVEST_JOB = 'catalog.harvest';
/** Attempts of a harvest job: a node dying mid-run costs one. */
const MAX_ATTEMPTS = 3;

export interface HarvestJobPayload {
  runId: string;
  sourceId: string;
}

const dedupeKey = (sourceId: string) => `${HARVEST_JOB}:${sourceId}`;

/** The queue handler of a harvest run. */
export async function harvestJob(job: JobRun<HarvestJobPayload>, ctx: AppContext) {
  const outcome = await executeHarvest(ctx, job.payload.runId, {
    signal: job.signal,
    onProgress: (counts) => job.progress(counts),
  });
  return { runId: job.payload.runId, status: outcome.status, counts: outcome.counts };
}

export interface QueuedRun {
  runId: string;
  jobId: string;
  /** False when the source already had a run queued or running (that job is returned). */
  created: boolean;
}

/** Queues a run of the source as a job and records it, in the caller's transaction. */
export async function queueRun(
  trx: Db,
  source: { id: string; name: string; department_id: string },
  trigger: 'manual' | 'schedule',
  actor: Actor,
  meta?: RequestMeta,
): Promise<QueuedRun> {
  const runId = randomUUID();
  const payload: HarvestJobPayload = { runId, sourceId: source.id };
  const job: Enqueued = await enqueue(trx, HARVEST_JOB, payload, {
    dedupeKey: dedupeKey(source.id),
    maxAttempts: MAX_ATTEMPTS,
  });
  if (!job.created) return { runId: '', jobId: job.id, created: false };
  await insertRun(trx, {
    id: runId,
    source_id: source.id,
    status: 'queued',
    job_id: job.id,
    trigger,
    requested_by: actor.username,
  });
  await auditAction(trx, actor, meta, {
    action: 'catalog.harvest.run_requested',
    target: { type: 'harvest_source', id: source.id },
    departmentId: source.department_id,
    details: { runId, jobId: job.id, trigger, source: source.name },
  });
  return { runId, jobId: job.id, created: true };
}

/**
 * Queues a run that this process then runs itself (the CLI): the job is inserted already claimed,
 * so no worker starts it, and refused while the source has one queued or running elsewhere.
 */
export async function queueRunHere(
  ctx: AppContext,
  source: { id: string; name: string; department_id: string },
) {
  return ctx.db.transaction().execute(async (trx) => {
    const runId = randomUUID();
    const payload: HarvestJobPayload = { runId, sourceId: source.id };
    const claimed = await enqueueClaimed(trx, HARVEST_JOB, payload, {
      dedupeKey: dedupeKey(source.id),
      maxAttempts: 1,
    });
    if (!claimed.created) return { claimed, runId: undefined };
    const actor = systemActor('cli');
    await insertRun(trx, {
      id: runId,
      source_id: source.id,
      status: 'queued',
      job_id: claimed.id,
      trigger: 'cli',
      requested_by: actor.username,
    });
    await auditAction(trx, actor, undefined, {
      action: 'catalog.harvest.run_requested',
      target: { type: 'harvest_source', id: source.id },
      departmentId: source.department_id,
      details: { runId, jobId: claimed.id, trigger: 'cli', source: source.name },
    });
    return { claimed, runId };
  });
}

/**
 * Queues runs of the scheduled sources that are due, moving their next_run_at on in the same
 * transaction. Rows are locked with SKIP LOCKED, so two nodes ticking at once take different sources,
 * and a source once moved on is not due again: no run is queued twice.
 */
export async function enqueueDueHarvests(ctx: AppContext): Promise<number> {
  const actor = systemActor('scheduler');
  return ctx.db.transaction().execute(async (trx) => {
    const due = await lockDueSources(trx, 20);
    let queued = 0;
    for (const s of due) {
      await updateSourceRow(trx, s.id, { next_run_at: nextRunSql(s.schedule) ?? null });
      if ((await queueRun(trx, s, 'schedule', actor)).created) queued++;
    }
    return queued;
  });
}

/** The harvest scheduler: every 30 s each node asks whether a source is due. */
export const harvestSchedulerTick: Tick = {
  name: 'catalog.harvest.schedule',
  everyMs: 30_000,
  run: enqueueDueHarvests,
};

/** The catalog's job handlers, by kind. */
export const harvestJobHandlers = { [HARVEST_JOB]: harvestJob };
