import { sql } from 'kysely';
import { expect } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { AppContext } from '../../platform/context.ts';
import { runJobHere } from '../../platform/jobs/index.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
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

/**
 * A test app with one open dataset whose file `filename` (CSV text `csv`) is loaded: the app, an
 * anonymous client, the table's resource id and the department that owns it (with its steward).
 */
export async function openTableApp(
  filename: string,
  csv: string,
): Promise<{ t: TestApp; anonymous: TestClient; id: string; dept: CatalogDept }> {
  const t = await createTestApp();
  const dept = await catalogDepartment(t.ctx, t.app);
  const ds = await publishedDataset(t.ctx, openDatasetInput(dept.id), {
    filename,
    content: Buffer.from(csv),
  });
  expect(await drainLoads(t.ctx)).toBe(1);
  return { t, anonymous: new TestClient(t.app), id: ds.distributions[0]!.id, dept };
}
