import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { JobRow } from '../db-schema.ts';

// The queue's statements. Every one is a single short statement (or a tiny transaction): on the
// embedded database all work shares one connection, so nothing here may hold it while a handler runs.

export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Attempts before the job is marked failed (default 3). */
  maxAttempts?: number;
  /** While a job with this key is queued or running, enqueueing another returns that one instead. */
  dedupeKey?: string;
  /** Insert the job already claimed by this node (a caller that runs it itself, e.g. the CLI). */
  claimedBy?: { nodeId: string; leaseMs: number };
}

export interface Enqueued {
  id: string;
  /** False when a queued or running job with the same dedupe key was found instead. */
  created: boolean;
}

/** Adds a job to the queue (in the caller's transaction when given one). */
export async function enqueue(
  db: Db,
  kind: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<Enqueued> {
  const id = randomUUID();
  const claimed = options.claimedBy;
  const values = {
    id,
    kind,
    payload: JSON.stringify(payload ?? {}),
    status: claimed ? ('running' as const) : ('queued' as const),
    run_at: options.runAt ?? new Date(),
    max_attempts: options.maxAttempts ?? 3,
    dedupe_key: options.dedupeKey ?? null,
    attempts: claimed ? 1 : 0,
    locked_by: claimed?.nodeId ?? null,
    locked_until: claimed ? sql<Date>`now() + ${leaseInterval(claimed.leaseMs)}` : null,
  };
  if (!options.dedupeKey) {
    await db.insertInto('jobs').values(values).execute();
    return { id, created: true };
  }
  // The partial unique index decides: of two nodes enqueueing the same key at once, one row wins.
  const inserted = await db
    .insertInto('jobs')
    .values(values)
    .onConflict((oc) =>
      oc
        .column('dedupe_key')
        .where('dedupe_key', 'is not', null)
        .where('status', 'in', ['queued', 'running'])
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id, created: true };
  const existing = await activeJobByKey(db, options.dedupeKey);
  // The other job finished between the two statements: try once more.
  if (!existing) return enqueue(db, kind, payload, options);
  return { id: existing.id, created: false };
}

/** The queued or running job holding a dedupe key, if any. */
export function activeJobByKey(db: Db, dedupeKey: string): Promise<JobRow | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('dedupe_key', '=', dedupeKey)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
}

/** One job by id. */
export function getJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Cancels a queued or running job; true when it was. A running handler learns of it at its next
 * heartbeat (its AbortSignal fires), and its outcome is then ignored.
 */
export async function cancelJob(db: Db, id: string, reason = 'cancelled'): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({
      status: 'cancelled',
      last_error: reason,
      locked_by: null,
      locked_until: null,
      finished_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export const leaseInterval = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;

/**
 * Claims up to `limit` due jobs of the given kinds for this node: queued ones whose time has come,
 * and running ones whose lease has passed (their node died). SKIP LOCKED lets several nodes claim at
 * once without waiting for each other or taking the same row.
 */
export async function claimJobs(
  db: Db,
  nodeId: string,
  kinds: readonly string[],
  limit: number,
  leaseMs: number,
): Promise<JobRow[]> {
  if (limit <= 0 || kinds.length === 0) return [];
  const result = await sql<JobRow>`
    update jobs set
      status = 'running',
      attempts = attempts + 1,
      locked_by = ${nodeId},
      locked_until = now() + ${leaseInterval(leaseMs)},
      updated_at = now()
    where id in (
      select id from jobs
      where kind in (${sql.join(kinds)})
        and attempts < max_attempts
        and ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
      order by run_at, created_at
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(db);
  return result.rows;
}

/**
 * Fails running jobs whose lease passed after their last allowed attempt: nobody may claim them
 * again, so they would otherwise stay "running" for ever.
 */
export async function failAbandonedJobs(db: Db): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      last_error: sql`coalesce(last_error || '; ', '') || 'the node running it stopped (lease expired) on the last attempt'`,
      locked_by: null,
      locked_until: null,
      finished_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('status', '=', 'running')
    .where('locked_until', '<', sql<Date>`now()`)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Ends the leases of every running job, so that this node's worker takes them over at once. Only for
 * a process that owns the database alone (the embedded engine, held by its lock file): any job still
 * "running" there was left by a process that died, and waiting out its lease would only delay it.
 */
export async function expireLeasesOfDeadOwner(db: Db): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: sql`now()`, updated_at: sql`now()` })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Extends this node's lease; false when the job is no longer ours (cancelled, or taken over). */
export async function renewLease(db: Db, id: string, nodeId: string, leaseMs: number): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({ locked_until: sql`now() + ${leaseInterval(leaseMs)}`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('locked_by', '=', nodeId)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a running job's progress (any JSON), if it is still ours. */
export async function saveProgress(db: Db, id: string, nodeId: string, progress: unknown): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ progress: JSON.stringify(progress ?? null), updated_at: sql`now()` })
    .where('id', '=', id)
    .where('locked_by', '=', nodeId)
    .where('status', '=', 'running')
    .execute();
}

/** Marks this node's job succeeded with its result; false when it was no longer ours. */
export async function completeJob(db: Db, id: string, nodeId: string, result: unknown): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({
      status: 'succeeded',
      result: JSON.stringify(result ?? null),
      locked_by: null,
      locked_until: null,
      finished_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('locked_by', '=', nodeId)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a failed attempt: queued again after `retryInMs`, or failed for good once the attempts are
 * used up (or when retryInMs is null). Returns the status the job ended in.
 */
export async function failAttempt(
  db: Db,
  id: string,
  nodeId: string,
  error: string,
  retryInMs: number | null,
): Promise<'queued' | 'failed' | 'lost'> {
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: sql`case when ${retryInMs !== null} and ${eb.ref('attempts')} < ${eb.ref('max_attempts')} then 'queued' else 'failed' end`,
      run_at: sql`now() + ${leaseInterval(retryInMs ?? 0)}`,
      last_error: error,
      locked_by: null,
      locked_until: null,
      finished_at: sql`case when ${retryInMs !== null} and ${eb.ref('attempts')} < ${eb.ref('max_attempts')} then null else now() end`,
      updated_at: sql`now()`,
    }))
    .where('id', '=', id)
    .where('locked_by', '=', nodeId)
    .where('status', '=', 'running')
    .returning('status')
    .executeTakeFirst();
  return (row?.status as 'queued' | 'failed' | undefined) ?? 'lost';
}

/** Puts a job this node gives up (it is stopping) back in the queue; the attempt does not count. */
export async function releaseJob(db: Db, id: string, nodeId: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      attempts: sql`greatest(attempts - 1, 0)`,
      run_at: sql`now()`,
      locked_by: null,
      locked_until: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('locked_by', '=', nodeId)
    .where('status', '=', 'running')
    .execute();
}

/** Deletes jobs that ended (succeeded, failed, cancelled) more than `days` ago; returns how many. */
export async function purgeFinishedJobs(db: Db, days: number): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('status', 'in', ['succeeded', 'failed', 'cancelled'])
    .where('finished_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
