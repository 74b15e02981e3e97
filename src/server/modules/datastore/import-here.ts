import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { LoadOptions, LoadReport } from '../../../contracts/datastore.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { runJobHere } from '../../platform/jobs/index.ts';
import { addFileDistribution, getDataset } from '../catalog/index.ts';
import { findLoad, latestLoad } from './datastore.repository.ts';
import { datastoreJobHandlers, isLoadable, LOAD_JOB, queueLoad } from './load.jobs.ts';

// `civitas import`: loads a file from this machine into a resource's table and runs the load in this
// process, with progress. A resource that does not exist yet is created from the file (as an upload
// would be); an existing one keeps its stored file and gets a new version from this one.

export interface ImportRequest {
  file: string;
  dataset: string;
  resource?: string | undefined;
  options: LoadOptions;
  onProgress?: (progress: Record<string, unknown>) => void;
}

export interface ImportOutcome {
  loadId: string;
  distributionId: string;
  status: string;
  version: number | null;
  report: LoadReport | null;
  error: { code: string; message: string } | null;
}

/** Queues the load of a local file (creating the resource's distribution when it is missing). */
export async function queueImport(
  ctx: AppContext,
  req: Omit<ImportRequest, 'onProgress'>,
): Promise<{ loadId: string; jobId: string; distributionId: string }> {
  const actor = systemActor('cli');
  const file = path.resolve(req.file);
  const size = fs.statSync(file).size;
  if (size > ctx.config.datastoreMaxFileBytes) {
    throw new AppError(
      'datastore.too_large',
      413,
      `The file is larger than the limit of ${Math.round(ctx.config.datastoreMaxFileBytes / 1048576)} MB`,
    );
  }
  const ds = await getDataset(ctx, actor, { name: req.dataset });
  const name = req.resource ?? path.basename(file);
  let dist = ds.distributions.find((d) => d.name === name);
  let loadId: string;
  const { mode, key, ...options } = req.options;
  if (!dist) {
    const format = path.extname(file).slice(1).toUpperCase();
    if (!isLoadable(format))
      throw new AppError('datastore.unsupported_format', 422, `${format || 'This'} files cannot be loaded`);
    const created = await addFileDistribution(ctx, actor, ds.id, {
      filename: path.basename(file),
      content: fs.createReadStream(file),
      name,
    });
    dist = created.distributions.find((d) => d.name === name);
    if (!dist) throw new Error('the new distribution is missing');
    // Storing the file queued its load; give it this command's options before running it.
    const queued = await latestLoad(ctx.db, dist.id);
    if (!queued) throw new Error('no load was queued for the new file');
    loadId = queued.id;
    await ctx.db
      .updateTable('datastore_loads')
      .set({ options: JSON.stringify(options), mode: mode ?? 'replace', key_columns: key ?? [] })
      .where('id', '=', loadId)
      .execute();
  } else {
    const distributionId = dist.id;
    ({ loadId } = await ctx.db.transaction().execute((trx) =>
      queueLoad(trx, actor, {
        distributionId,
        departmentId: ds.department.id,
        datasetId: ds.id,
        source: { kind: 'file', path: file, name: path.basename(file), checksum: null, sizeBytes: size },
        mode: mode ?? 'replace',
        key: key ?? [],
        options,
      }),
    ));
  }
  const load = await findLoad(ctx.db, loadId);
  if (!load?.job_id) throw new Error('the load has no job');
  return { loadId, jobId: load.job_id, distributionId: dist.id };
}

/** Queues the load and runs it here, in this process; returns how it ended. */
export async function importHere(ctx: AppContext, req: ImportRequest): Promise<ImportOutcome> {
  const { loadId, jobId, distributionId } = await queueImport(ctx, req);
  // Claim the job for this process so that no server worker on the same database starts it too.
  const claimed = await sql<{ id: string }>`
    update jobs set status = 'running', attempts = attempts + 1, locked_by = 'cli', locked_until = now() + interval '1 minute'
    where id = ${jobId} and status = 'queued' returning id`.execute(ctx.db);
  if (claimed.rows.length) {
    await runJobHere(ctx, { id: jobId, nodeId: 'cli', leaseMs: 60_000 }, async (job, c) =>
      datastoreJobHandlers[LOAD_JOB](
        { ...job, progress: async (p: unknown) => req.onProgress?.(p as Record<string, unknown>) } as never,
        c,
      ),
    );
  }
  const done = await findLoad(ctx.db, loadId);
  return {
    loadId,
    distributionId,
    status: done?.status ?? 'unknown',
    version: done?.version ?? null,
    report: (done?.report as LoadReport | null) ?? null,
    error: (done?.error as ImportOutcome['error']) ?? null,
  };
}
