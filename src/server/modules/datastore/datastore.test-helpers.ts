import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { runJobHere } from '../../platform/jobs/index.ts';
import { datastoreJobHandlers, LOAD_JOB } from './load.jobs.ts';

// Tests run no background worker: they run the queued loads themselves, through the same job path.

/** Runs every queued load job in this process, oldest first; returns how many ran. */
export async function drainLoads(ctx: AppContext): Promise<number> {
  let ran = 0;
  for (;;) {
    const claimed = await sql<{ id: string }>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = 'test', locked_until = now() + interval '10 minutes'
      where id = (select id from jobs where kind = ${LOAD_JOB} and status = 'queued' order by created_at limit 1)
      returning id`.execute(ctx.db);
    const job = claimed.rows[0];
    if (!job) return ran;
    await runJobHere(ctx, { id: job.id, nodeId: 'test', leaseMs: 600_000 }, datastoreJobHandlers[LOAD_JOB]);
    ran++;
  }
}
