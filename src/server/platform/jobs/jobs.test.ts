import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/test-context.ts';
import { testDatabaseUrl } from '../config.ts';
import { type AppContext, createContext } from '../context.ts';
import { type DatabaseHandle, openDatabase } from '../db.ts';
import {
  cancelJob,
  enqueue,
  enqueueClaimed,
  getJob,
  JobAbortedError,
  type JobHandlers,
  type JobRun,
  purgeFinishedJobs,
  runJobHere,
  Worker,
  type WorkerOptions,
} from './index.ts';

// The queue on the real engine of the run (PGlite by default, PostgreSQL with DATABASE_URL).

let ctx: TestContext;
const workers: Worker[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop(2000)));
});
afterAll(async () => ctx.dispose());

const FAST: WorkerOptions = { pollMs: 20, leaseMs: 600, backoffMs: () => 10 };

function startWorker(handlers: JobHandlers, options: WorkerOptions = {}, context: AppContext = ctx) {
  const w = new Worker(context, handlers, { ...FAST, ...options }).start();
  workers.push(w);
  return w;
}

async function waitFor<T>(probe: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 15));
  }
}

const finished = (id: string) =>
  waitFor(async () => {
    const job = await getJob(ctx.db, id);
    return job && ['succeeded', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
  });

let serial = 0;
const kind = (name: string) => `test.${name}.${serial++}`;

describe('job queue', () => {
  it('claims a due job, runs it, stores progress and result', async () => {
    const k = kind('echo');
    const { id, created } = await enqueue(ctx.db, k, { n: 21 });
    expect(created).toBe(true);
    startWorker({
      [k]: async (job: JobRun<{ n: number }>) => {
        await job.progress({ step: 'halfway' });
        return { doubled: job.payload.n * 2, attempt: job.attempt };
      },
    });
    const job = await finished(id);
    expect(job).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      result: { doubled: 42, attempt: 1 },
      progress: { step: 'halfway' },
      locked_by: null,
      last_error: null,
    });
    expect(job.finished_at).toBeInstanceOf(Date);
  });

  it('leaves a job alone until its run_at has come', async () => {
    const k = kind('later');
    const { id } = await enqueue(ctx.db, k, {}, { runAt: new Date(Date.now() + 600) });
    const ran: number[] = [];
    startWorker({ [k]: async () => ran.push(Date.now()) });
    await new Promise((r) => setTimeout(r, 200));
    expect(ran).toEqual([]);
    expect((await finished(id)).status).toBe('succeeded');
  });

  it('retries a failing handler with backoff, then succeeds', async () => {
    const k = kind('flaky');
    const { id } = await enqueue(ctx.db, k, {}, { maxAttempts: 3 });
    startWorker({
      [k]: async (job) => {
        if (job.attempt < 3) throw new Error(`flake ${job.attempt}`);
        return 'ok';
      },
    });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 3, result: 'ok', last_error: 'flake 2' });
  });

  it('marks a job failed with the error text once its attempts are used up', async () => {
    const k = kind('broken');
    const { id } = await enqueue(ctx.db, k, {}, { maxAttempts: 2 });
    let calls = 0;
    startWorker({
      [k]: async () => {
        calls++;
        throw new Error('the remote catalog is down');
      },
    });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'failed', attempts: 2, last_error: 'the remote catalog is down' });
    expect(calls).toBe(2);
  });

  it('picks up a job whose node died (lease expired) and runs it again', async () => {
    const k = kind('orphan');
    const { id } = await enqueue(ctx.db, k, { x: 1 });
    // As a node that claimed it and then vanished would have left it.
    await ctx.db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: 1,
        locked_by: 'dead-node',
        locked_until: sql`now() - interval '1 second'`,
      })
      .where('id', '=', id)
      .execute();
    const w = startWorker({ [k]: async (job) => ({ attempt: job.attempt }) });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2, result: { attempt: 2 } });
    expect(w.nodeId).not.toBe('dead-node');
  });

  it('leaves a job with an unexpired lease to its node, and fails one abandoned on its last attempt', async () => {
    const k = kind('held');
    const held = await enqueue(ctx.db, k, {});
    const abandoned = await enqueue(ctx.db, k, {}, { maxAttempts: 1 });
    await ctx.db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: 1,
        locked_by: 'busy-node',
        locked_until: sql`now() + interval '1 hour'`,
      })
      .where('id', '=', held.id)
      .execute();
    await ctx.db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: 1,
        locked_by: 'dead-node',
        locked_until: sql`now() - interval '1 second'`,
      })
      .where('id', '=', abandoned.id)
      .execute();
    const ran: string[] = [];
    startWorker({ [k]: async (job) => ran.push(job.id) });
    const failed = await finished(abandoned.id);
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toMatch(/lease expired/);
    await new Promise((r) => setTimeout(r, 150));
    expect(ran).toEqual([]);
    expect((await getJob(ctx.db, held.id))?.status).toBe('running');
    await cancelJob(ctx.db, held.id);
  });

  it('cancels a running job: the handler sees its signal abort and the outcome is ignored', async () => {
    const k = kind('long');
    const { id } = await enqueue(ctx.db, k, {});
    let started = false;
    let reason: unknown;
    startWorker(
      {
        [k]: async (job) => {
          started = true;
          await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
          reason = job.signal.reason;
          return 'finished anyway';
        },
      },
      { leaseMs: 150 },
    );
    await waitFor(async () => started);
    expect(await cancelJob(ctx.db, id, 'no longer wanted')).toBe(true);
    await waitFor(async () => reason !== undefined);
    expect(reason).toBeInstanceOf(JobAbortedError);
    expect((reason as JobAbortedError).why).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 50));
    expect(await getJob(ctx.db, id)).toMatchObject({
      status: 'cancelled',
      last_error: 'no longer wanted',
      result: null,
    });
    expect(await cancelJob(ctx.db, id)).toBe(false);
  });

  it('never runs a job cancelled while queued', async () => {
    const k = kind('unwanted');
    const { id } = await enqueue(ctx.db, k, {});
    await cancelJob(ctx.db, id);
    const ran: string[] = [];
    startWorker({ [k]: async (job) => ran.push(job.id) });
    await new Promise((r) => setTimeout(r, 150));
    expect(ran).toEqual([]);
    expect((await getJob(ctx.db, id))?.status).toBe('cancelled');
  });

  it('aborts a handler whose job another node has taken over', async () => {
    const k = kind('stolen');
    const { id } = await enqueue(ctx.db, k, {});
    let reason: unknown;
    startWorker(
      {
        [k]: async (job) => {
          await ctx.db.updateTable('jobs').set({ locked_by: 'thief' }).where('id', '=', job.id).execute();
          await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
          reason = job.signal.reason;
          throw job.signal.reason;
        },
      },
      { leaseMs: 150 },
    );
    await waitFor(async () => reason !== undefined);
    expect((reason as JobAbortedError).why).toBe('lost');
    // The thief's claim stands: this node neither completed nor failed it.
    expect(await getJob(ctx.db, id)).toMatchObject({ status: 'running', locked_by: 'thief' });
    await cancelJob(ctx.db, id);
  });

  it('returns the queued job instead of a second one for the same dedupe key', async () => {
    const k = kind('dedupe');
    const a = await enqueue(ctx.db, k, { a: 1 }, { dedupeKey: `${k}:x` });
    const b = await enqueue(ctx.db, k, { a: 2 }, { dedupeKey: `${k}:x` });
    expect(b).toEqual({ id: a.id, created: false });
    startWorker({ [k]: async () => 'done' });
    await finished(a.id);
    // Once finished, the key is free again.
    const c = await enqueue(ctx.db, k, {}, { dedupeKey: `${k}:x` });
    expect(c.created).toBe(true);
    expect(c.id).not.toBe(a.id);
    await finished(c.id);
  });

  it('stops gracefully: waits for a running handler to finish', async () => {
    const k = kind('graceful');
    const { id } = await enqueue(ctx.db, k, {});
    let started = false;
    const w = startWorker({
      [k]: async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 300));
        return 'done';
      },
    });
    await waitFor(async () => started);
    await w.stop(5000);
    expect(w.active).toBe(0);
    expect(await getJob(ctx.db, id)).toMatchObject({ status: 'succeeded', result: 'done' });
  });

  it('on a stop timeout, aborts the handler and puts its job back in the queue without using an attempt', async () => {
    const k = kind('interrupted');
    const { id } = await enqueue(ctx.db, k, {});
    let reason: unknown;
    const w = startWorker({
      [k]: async (job) => {
        await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
        reason = job.signal.reason;
        throw new Error('aborted');
      },
    });
    await waitFor(async () => (await getJob(ctx.db, id))?.status === 'running');
    await w.stop(50);
    expect((reason as JobAbortedError).why).toBe('stopping');
    expect(await getJob(ctx.db, id)).toMatchObject({ status: 'queued', attempts: 0, locked_by: null });
    // The next node to start runs it.
    startWorker({ [k]: async () => 'second node' });
    expect(await finished(id)).toMatchObject({ status: 'succeeded', result: 'second node', attempts: 1 });
  });

  it('purges jobs that finished long ago, and only those', async () => {
    const k = kind('old');
    const old = await enqueue(ctx.db, k, {});
    const recent = await enqueue(ctx.db, k, {});
    const waiting = await enqueue(ctx.db, k, {});
    await ctx.db
      .updateTable('jobs')
      .set({ status: 'succeeded', finished_at: sql`now() - interval '31 days'` })
      .where('id', '=', old.id)
      .execute();
    await ctx.db
      .updateTable('jobs')
      .set({ status: 'failed', finished_at: sql`now() - interval '29 days'` })
      .where('id', '=', recent.id)
      .execute();
    expect(await purgeFinishedJobs(ctx.db, 30)).toBeGreaterThanOrEqual(1);
    expect(await getJob(ctx.db, old.id)).toBeUndefined();
    expect(await getJob(ctx.db, recent.id)).toBeDefined();
    expect(await getJob(ctx.db, waiting.id)).toBeDefined();
    await cancelJob(ctx.db, waiting.id);
  });

  it('runs periodic ticks', async () => {
    let ticks = 0;
    startWorker({}, { ticks: [{ name: 'count', everyMs: 30, run: async () => ticks++ }] });
    await waitFor(async () => ticks >= 3);
  });

  it('runs a job inserted already claimed in this process, refusing a second while it runs', async () => {
    const k = kind('inline');
    const claimed = await enqueueClaimed(ctx.db, k, { v: 3 }, { dedupeKey: `${k}:one`, maxAttempts: 1 });
    expect(claimed.created).toBe(true);
    // A worker elsewhere does not take it: it is running under this process's lease.
    const ran: string[] = [];
    startWorker({ [k]: async (job) => ran.push(job.id) });
    const second = await enqueueClaimed(ctx.db, k, {}, { dedupeKey: `${k}:one` });
    expect(second).toMatchObject({ id: claimed.id, created: false });
    const outcome = await runJobHere(ctx, claimed, async (job: JobRun<{ v: number }>) => job.payload.v + 1);
    expect(outcome).toEqual({ status: 'succeeded', result: 4 });
    expect(ran).toEqual([]);
  });
});

describe.skipIf(!testDatabaseUrl())('two nodes on PostgreSQL', () => {
  let second: DatabaseHandle;
  beforeAll(async () => {
    second = await openDatabase({ databaseUrl: ctx.config.databaseUrl, poolSize: 5 });
  });
  afterAll(async () => second?.close());

  it('never run the same job twice', async () => {
    expect(ctx.engine).toBe('postgres');
    const ctxB = createContext(ctx.config, second, ctx.secrets);
    const k = kind('race');
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add((await enqueue(ctx.db, k, { i })).id);
    const runs: { id: string; node: string }[] = [];
    const handler = (node: string) => async (job: JobRun<{ i: number }>) => {
      runs.push({ id: job.id, node });
      await new Promise((r) => setTimeout(r, 2));
      return job.payload.i;
    };
    startWorker({ [k]: handler('a') }, { concurrency: 4, nodeId: 'node-a' });
    startWorker({ [k]: handler('b') }, { concurrency: 4, nodeId: 'node-b' }, ctxB);
    await waitFor(async () => {
      const { n } = await ctx.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', k)
        .where('status', '=', 'succeeded')
        .executeTakeFirstOrThrow();
      return Number(n) === ids.size;
    }, 30_000);
    expect(runs).toHaveLength(ids.size);
    expect(new Set(runs.map((r) => r.id))).toEqual(ids);
    // Both nodes took part.
    expect(new Set(runs.map((r) => r.node))).toEqual(new Set(['a', 'b']));
  });
});
