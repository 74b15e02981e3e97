import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { AppContext } from '../context.ts';
import type { JobRow } from '../db-schema.ts';
import {
  claimJobs,
  completeJob,
  failAbandonedJobs,
  failAttempt,
  releaseJob,
  renewLease,
  saveProgress,
} from './job-queue.ts';

// Runs due jobs of the kinds it has handlers for. Any number of nodes may run a Worker on one
// database: claiming uses SKIP LOCKED, each claim is a lease the node renews while the handler runs,
// and a job whose lease passed (its node died) is claimed again by whichever node sees it first.

/** What a handler gets: the job, a signal that fires when it should stop, and a progress reporter. */
export interface JobRun<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job is cancelled, taken over by another node, or this node is stopping. */
  signal: AbortSignal;
  progress(value: unknown): Promise<void>;
}

/** Runs one job; what it returns is stored as the job's result. Throwing retries the job (with backoff). */
export type JobHandler = (job: JobRun<never>, ctx: AppContext) => Promise<unknown>;
export type JobHandlers = Record<string, JobHandler>;

/** Something to do periodically on every node (e.g. enqueue scheduled work); must dedupe across nodes itself. */
export interface Tick {
  name: string;
  everyMs: number;
  run(ctx: AppContext): Promise<unknown>;
}

export interface WorkerOptions {
  concurrency?: number;
  /** How often to look for due jobs when idle (default 1000). */
  pollMs?: number;
  /** How long a claim holds without renewal (default 60 s); heartbeats renew it every third of that. */
  leaseMs?: number;
  /** Delay before retry n (1-based); default 2^n seconds, at most 10 minutes. */
  backoffMs?: (attempt: number) => number;
  ticks?: Tick[];
  /** Identifies this node in locked_by (default host:pid:random). */
  nodeId?: string;
  onError?: (err: unknown, job?: JobRow) => void;
}

/** Why a running handler's signal fired. */
export type AbortCause = 'cancelled' | 'lost' | 'stopping';

export class JobAbortedError extends Error {
  constructor(readonly why: AbortCause) {
    super(
      why === 'cancelled'
        ? 'the job was cancelled'
        : why === 'lost'
          ? 'the job was taken over by another node'
          : 'the worker is stopping',
    );
    this.name = 'JobAbortedError';
  }
}

const STOP_GRACE_MS = 5000;

export const defaultBackoffMs = (attempt: number) => Math.min(2 ** attempt * 1000, 10 * 60 * 1000);

/** A node name for locked_by: readable in the jobs table, unique per process. */
export const newNodeId = () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

interface Lease {
  nodeId: string;
  leaseMs: number;
}

/**
 * Runs a job this node has claimed: renews the lease while the handler runs, aborts the handler when
 * the job is no longer ours, and records the outcome. Used by the Worker and by callers that claim a
 * job themselves (the CLI running a harvest synchronously).
 */
export async function runClaimedJob(
  ctx: AppContext,
  job: JobRow,
  handler: JobHandler,
  lease: Lease,
  options: { backoffMs?: (attempt: number) => number; controller?: AbortController } = {},
): Promise<{
  status: 'succeeded' | 'queued' | 'failed' | 'lost' | 'released';
  result?: unknown;
  error?: string;
}> {
  const controller = options.controller ?? new AbortController();
  const abort = (cause: AbortCause) => {
    if (!controller.signal.aborted) controller.abort(new JobAbortedError(cause));
  };
  let beating = Promise.resolve();
  const heartbeat = setInterval(
    () => {
      beating = renewLease(ctx.db, job.id, lease.nodeId, lease.leaseMs).then(
        async (ours) => {
          if (ours) return;
          // Cancelled, or claimed by another node after our lease passed: stop working on it.
          const status = (
            await ctx.db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirst()
          )?.status;
          abort(status === 'cancelled' ? 'cancelled' : 'lost');
        },
        () => {}, // a missed heartbeat is retried at the next beat; the lease has room for two
      );
    },
    Math.max(10, Math.floor(lease.leaseMs / 3)),
  );
  const run: JobRun<never> = {
    id: job.id,
    kind: job.kind,
    payload: job.payload as never,
    attempt: job.attempts,
    maxAttempts: job.max_attempts,
    signal: controller.signal,
    progress: (value) => saveProgress(ctx.db, job.id, lease.nodeId, value),
  };
  try {
    const result = await handler(run, ctx);
    clearInterval(heartbeat);
    await beating;
    // Finished despite an abort: the work is done, so record it (a no-op when the job is no longer ours).
    const done = await completeJob(ctx.db, job.id, lease.nodeId, result);
    return done ? { status: 'succeeded', result } : { status: 'lost' };
  } catch (err) {
    clearInterval(heartbeat);
    await beating;
    if (controller.signal.aborted) return settleAborted(ctx, job, lease, controller.signal);
    const message = errorText(err);
    const backoff = options.backoffMs ?? defaultBackoffMs;
    const status = await failAttempt(ctx.db, job.id, lease.nodeId, message, backoff(job.attempts));
    return { status, error: message };
  }
}

async function settleAborted(ctx: AppContext, job: JobRow, lease: Lease, signal: AbortSignal) {
  const cause = signal.reason instanceof JobAbortedError ? signal.reason.why : 'stopping';
  if (cause === 'stopping') {
    await releaseJob(ctx.db, job.id, lease.nodeId);
    return { status: 'released' as const };
  }
  return { status: 'lost' as const };
}

const errorText = (err: unknown) =>
  (err instanceof Error ? err.message || err.name : String(err)).slice(0, 4000);

/** Claims and runs due jobs until stopped; also runs the periodic ticks. */
export class Worker {
  readonly nodeId: string;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private readonly tickDue = new Map<string, number>();
  private loop: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly handlers: JobHandlers,
    private readonly options: WorkerOptions = {},
  ) {
    this.nodeId = options.nodeId ?? newNodeId();
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /** Starts polling (idempotent). */
  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.loop = this.pollLoop();
    return this;
  }

  /** Looks for due jobs now instead of at the next poll (e.g. right after enqueueing on this node). */
  notify(): void {
    this.wake?.();
  }

  /** Jobs this node is running now. */
  get active(): number {
    return this.running.size;
  }

  /**
   * Stops claiming, waits up to timeoutMs for running handlers, then aborts the rest and puts their
   * jobs back in the queue for another node (or the next start).
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    const all = Promise.allSettled([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      for (const r of this.running.values()) r.controller.abort(new JobAbortedError('stopping'));
      // A handler that ignores its signal is left behind: its lease runs out and another node takes over.
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    }
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopped) {
      let claimed = 0;
      try {
        await this.runTicks();
        claimed = await this.claimAndRun();
      } catch (err) {
        this.options.onError?.(err);
      }
      if (this.stopped) break;
      // A full batch means more may be waiting: look again as soon as a slot frees up.
      const full = claimed > 0 && this.running.size >= this.concurrency;
      if (claimed > 0 && !full) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async claimAndRun(): Promise<number> {
    const free = this.concurrency - this.running.size;
    if (free <= 0) return 0;
    await failAbandonedJobs(this.ctx.db);
    const jobs = await claimJobs(this.ctx.db, this.nodeId, Object.keys(this.handlers), free, this.leaseMs);
    for (const job of jobs) this.launch(job);
    return jobs.length;
  }

  private launch(job: JobRow): void {
    const handler = this.handlers[job.kind];
    const controller = new AbortController();
    const done = (async () => {
      if (!handler) return;
      const outcome = await runClaimedJob(
        this.ctx,
        job,
        handler,
        { nodeId: this.nodeId, leaseMs: this.leaseMs },
        { backoffMs: this.options.backoffMs, controller },
      );
      if (outcome.error) this.options.onError?.(new Error(outcome.error), job);
    })()
      .catch((err) => this.options.onError?.(err, job))
      .finally(() => {
        this.running.delete(job.id);
        this.wake?.();
      });
    this.running.set(job.id, { controller, done });
  }

  private async runTicks(): Promise<void> {
    const now = Date.now();
    for (const tick of this.options.ticks ?? []) {
      if ((this.tickDue.get(tick.name) ?? 0) > now) continue;
      this.tickDue.set(tick.name, now + tick.everyMs);
      try {
        await tick.run(this.ctx);
      } catch (err) {
        this.options.onError?.(err);
      }
    }
  }
}
