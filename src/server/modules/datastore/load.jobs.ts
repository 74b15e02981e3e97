import { randomUUID } from 'node:crypto';
import { LOADABLE_FORMATS, type LoadMode, type LoadOptions } from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { enqueue, type JobRun } from '../../platform/jobs/index.ts';
import type { StoredFileEvent } from '../catalog/index.ts';
import { insertLoad, setLoadState } from './datastore.repository.ts';
import { executeLoad, type LoadSource } from './load-pipeline.ts';

// Loads run as jobs on the durable queue: any node's worker runs them, a load whose node died is
// taken over and started again from the file (nothing of the first attempt was made current).

export const LOAD_JOB = 'datastore.load';
/** A node dying mid-load costs one attempt; a bad file fails at once (see executeLoad). */
const MAX_ATTEMPTS = 3;

export interface LoadJobPayload {
  loadId: string;
}

/** The queue handler of a load. */
export async function loadJob(job: JobRun<LoadJobPayload>, ctx: AppContext) {
  const outcome = await executeLoad(ctx, job.payload.loadId, {
    signal: job.signal,
    keepVersions: ctx.config.datastoreKeepVersions,
    attempt: job.attempt,
    onProgress: (p) => void job.progress(p).catch(() => {}),
  });
  return {
    loadId: job.payload.loadId,
    status: outcome.status,
    ...('version' in outcome ? { version: outcome.version } : {}),
  };
}

export interface QueueLoadInput {
  distributionId: string;
  departmentId: string;
  datasetId: string;
  source: LoadSource;
  mode: LoadMode;
  key: string[];
  options: Omit<LoadOptions, 'mode' | 'key'>;
}

/** Records a load and queues its job, in the caller's transaction. */
export async function queueLoad(
  trx: Db,
  actor: Actor,
  input: QueueLoadInput,
  meta?: RequestMeta,
  claimedBy?: { nodeId: string; leaseMs: number },
): Promise<{ loadId: string; jobId: string }> {
  const loadId = randomUUID();
  const job = await enqueue(trx, LOAD_JOB, { loadId } satisfies LoadJobPayload, {
    maxAttempts: MAX_ATTEMPTS,
    ...(claimedBy ? { claimedBy } : {}),
  });
  await insertLoad(trx, {
    id: loadId,
    distribution_id: input.distributionId,
    job_id: job.id,
    status: 'queued',
    mode: input.mode,
    key_columns: input.key,
    options: input.options,
    source: input.source,
    requested_by: actor.username,
    requested_by_id: actor.personId || null,
  });
  await auditAction(trx, actor, meta, {
    action: 'datastore.load.requested',
    target: { type: 'distribution', id: input.distributionId },
    departmentId: input.departmentId,
    details: {
      loadId,
      datasetId: input.datasetId,
      mode: input.mode,
      file: input.source.name,
      sizeBytes: input.source.sizeBytes,
      ...(input.key.length ? { key: input.key } : {}),
    },
  });
  return { loadId, jobId: job.id };
}

/** Whether a distribution's format is one the DataStore loads. */
export const isLoadable = (format: string) =>
  (LOADABLE_FORMATS as readonly string[]).includes(format.toUpperCase());

/** Hears of files stored as distributions and queues a load for the tabular ones (as CKAN's XLoader does). */
export async function loadStoredFile(trx: Db, actor: Actor, event: StoredFileEvent): Promise<void> {
  if (!isLoadable(event.format)) return;
  await queueLoad(trx, actor, {
    distributionId: event.distributionId,
    departmentId: event.departmentId,
    datasetId: event.datasetId,
    source: {
      kind: 'stored',
      storageKey: event.storageKey,
      name: event.filename,
      checksum: event.checksum,
      sizeBytes: event.sizeBytes,
    },
    mode: 'replace',
    key: [],
    options: {},
  });
}

/** Marks a load cancelled (its job is cancelled by the caller). */
export const markCancelled = (db: Db, loadId: string) =>
  setLoadState(db, loadId, {
    status: 'cancelled',
    error: { code: 'datastore.load_cancelled', message: 'The load was cancelled' },
  });

/** The DataStore's job handlers, by kind. */
export const datastoreJobHandlers = { [LOAD_JOB]: loadJob };
