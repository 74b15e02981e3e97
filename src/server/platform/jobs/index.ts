import type { AppContext } from '../context.ts';
import { type EnqueueOptions, enqueue, getJob, purgeFinishedJobs } from './job-queue.ts';
import { type JobHandler, newNodeId, runClaimedJob, type Tick } from './worker.ts';

// The durable job queue: jobs live in the `jobs` table, so queued work survives restarts and any
// node of a cluster may run it. Modules enqueue with enqueue() (inside their own transaction when
// the job must exist exactly when their row does) and register handlers by kind with the Worker.

export {
  activeJobByKey,
  cancelJob,
  type Enqueued,
  type EnqueueOptions,
  enqueue,
  expireLeasesOfDeadOwner,
  getJob,
  purgeFinishedJobs,
} from './job-queue.ts';
export {
  type AbortCause,
  defaultBackoffMs,
  JobAbortedError,
  type JobHandler,
  type JobHandlers,
  type JobRun,
  type Tick,
  Worker,
  type WorkerOptions,
} from './worker.ts';

/** The job as inserted, already claimed by this process, for runJobHere. */
export interface ClaimedJob {
  id: string;
  nodeId: string;
  leaseMs: number;
}

/**
 * Inserts a job already claimed by this process (nobody else will start it), for a caller that runs
 * it itself and waits, like the CLI. Fails with created=false when the dedupe key is taken.
 */
export async function enqueueClaimed(
  db: AppContext['db'],
  kind: string,
  payload: unknown,
  options: Omit<EnqueueOptions, 'claimedBy'> & { leaseMs?: number } = {},
): Promise<ClaimedJob & { created: boolean }> {
  const nodeId = `${newNodeId()}:inline`;
  const leaseMs = options.leaseMs ?? 60_000;
  const { id, created } = await enqueue(db, kind, payload, { ...options, claimedBy: { nodeId, leaseMs } });
  return { id, nodeId, leaseMs, created };
}

/** Runs a job claimed with enqueueClaimed in this process, with the Worker's lease and outcome handling. */
export async function runJobHere(ctx: AppContext, claimed: ClaimedJob, handler: JobHandler) {
  const job = await getJob(ctx.db, claimed.id);
  if (!job) throw new Error(`job ${claimed.id} does not exist`);
  return runClaimedJob(ctx, job, handler, claimed, { backoffMs: () => 0 });
}

/** Days a finished job stays in the table (its harvest run keeps the log for good). */
export const FINISHED_JOB_DAYS = 30;

/** Hourly on every node: forget jobs that finished more than FINISHED_JOB_DAYS ago. */
export const purgeJobsTick: Tick = {
  name: 'jobs.purge',
  everyMs: 60 * 60 * 1000,
  run: (ctx) => purgeFinishedJobs(ctx.db, FINISHED_JOB_DAYS),
};
