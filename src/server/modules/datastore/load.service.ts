import type { Readable } from 'node:stream';
import {
  type DatastoreInfo,
  type LoadDto,
  type LoadOptions,
  LoadOptionsBody,
} from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { cancelJob } from '../../platform/jobs/index.ts';
import { assertValid } from '../../platform/validate.ts';
import type { DistributionScope } from '../catalog/index.ts';
import { columnsFor } from './access-views.ts';
import { canWriteDatastore, readerClassOf } from './datastore.policy.ts';
import { dictionaryOf, toLoadDto, toVersionDto } from './datastore.presenter.ts';
import { findLoad, findTable, latestLoad, listLoads, listVersions } from './datastore.repository.ts';
import { readableScope, writableScope } from './datastore-access.ts';
import { isLoadable, markCancelled, queueLoad } from './load.jobs.ts';
import type { LoadSource } from './load-pipeline.ts';

// Asking for loads, following and cancelling them, and what a table holds. Loads themselves run as
// jobs (load.jobs.ts → load-pipeline.ts).

const loadNotFound = () => notFound('datastore.load_not_found', 'Load');

function checkOptions(options: LoadOptions) {
  assertValid(LoadOptionsBody, options);
  if (options.mode === 'upsert' && !options.key?.length) {
    throw invalid('datastore.key_required', 'An upsert needs the key columns that identify a row', {
      field: 'key',
    });
  }
}

/** Queues a load of `source` into the distribution's table, in a transaction of its own. */
async function queueFor(
  ctx: AppContext,
  actor: Actor,
  scope: DistributionScope,
  options: LoadOptions,
  meta: RequestMeta | undefined,
  source: LoadSource,
): Promise<string> {
  const { mode, key, ...rest } = options;
  const queued = await ctx.db.transaction().execute((trx) =>
    queueLoad(
      trx,
      actor,
      {
        distributionId: scope.distribution.id,
        departmentId: scope.departmentId,
        datasetId: scope.datasetId,
        source,
        mode: mode ?? 'replace',
        key: key ?? [],
        options: rest,
      },
      meta,
    ),
  );
  return queued.loadId;
}

/** Loads the distribution's stored file again (e.g. another sheet, encoding or delimiter). */
export async function reloadDistribution(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
  options: LoadOptions,
  meta?: RequestMeta,
): Promise<LoadDto> {
  checkOptions(options);
  const scope = await writableScope(ctx.db, actor, distributionId);
  const dist = scope.distribution;
  if (dist.kind !== 'file' || !dist.storage_key) {
    throw invalid(
      'datastore.no_file',
      'This resource is a link, not an uploaded file: upload a file to load',
    );
  }
  if (!isLoadable(dist.format)) {
    throw invalid(
      'datastore.unsupported_format',
      `${dist.format || 'This'} files cannot be loaded into the DataStore`,
    );
  }
  const loadId = await queueFor(ctx, actor as Actor, scope, options, meta, {
    kind: 'stored',
    storageKey: dist.storage_key as string,
    name: dist.name,
    checksum: dist.checksum,
    sizeBytes: Number(dist.size_bytes ?? 0),
  });
  return getLoad(ctx, actor, loadId);
}

/** An upload with its load options, read only once the caller is known to be allowed. */
export type LoadUploadSource = () => Promise<{
  filename: string;
  content: Readable | Buffer;
  options: LoadOptions;
}>;

/** Stores an uploaded file and loads it into the distribution's table (replace, append or upsert). */
export async function loadUpload(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
  readUpload: LoadUploadSource,
  meta?: RequestMeta,
): Promise<LoadDto> {
  const scope = await writableScope(ctx.db, actor, distributionId);
  const upload = await readUpload();
  checkOptions(upload.options);
  const stored = await ctx.files.put(upload.content);
  try {
    const loadId = await queueFor(ctx, actor as Actor, scope, upload.options, meta, {
      kind: 'stored',
      storageKey: stored.key,
      name: upload.filename,
      checksum: stored.checksum,
      sizeBytes: stored.sizeBytes,
    });
    return getLoad(ctx, actor, loadId);
  } catch (err) {
    await ctx.files.remove(stored.key);
    throw err;
  }
}

/** One load with its progress and report: for those who may load into its distribution. */
export async function getLoad(ctx: AppContext, actor: Actor | undefined, loadId: string): Promise<LoadDto> {
  const load = await findLoad(ctx.db, loadId);
  if (!load) throw loadNotFound();
  await writableScope(ctx.db, actor, load.distribution_id).catch((err) => {
    throw err instanceof AppError && err.status === 404 ? loadNotFound() : err;
  });
  return toLoadDto(load);
}

export async function listDistributionLoads(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
) {
  await writableScope(ctx.db, actor, distributionId);
  return (await listLoads(ctx.db, distributionId, 50)).map(toLoadDto);
}

/** Stops a queued or running load; the previous version stays current. */
export async function cancelLoad(
  ctx: AppContext,
  actor: Actor | undefined,
  loadId: string,
  meta?: RequestMeta,
): Promise<LoadDto> {
  const load = await findLoad(ctx.db, loadId);
  if (!load) throw loadNotFound();
  const scope = await writableScope(ctx.db, actor, load.distribution_id);
  if (load.status !== 'queued' && load.status !== 'running') {
    throw new AppError('datastore.load_finished', 409, `The load has already ${load.status}`);
  }
  await ctx.db.transaction().execute(async (trx) => {
    // The load row decides: a load whose version was published meanwhile stays succeeded.
    if (!(await markCancelled(trx, loadId))) {
      const now = await findLoad(trx, loadId);
      throw new AppError('datastore.load_finished', 409, `The load has already ${now?.status ?? 'finished'}`);
    }
    if (load.job_id) await cancelJob(trx, load.job_id, 'cancelled by a user');
    await auditAction(trx, actor, meta, {
      action: 'datastore.load.cancelled',
      target: { type: 'distribution', id: load.distribution_id },
      departmentId: scope.departmentId,
      details: { loadId },
    });
  });
  return getLoad(ctx, actor, loadId);
}

/** What a distribution's table holds, as the actor may see it: columns, versions, the last load. */
export async function getDatastoreInfo(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
): Promise<DatastoreInfo> {
  const scope = await readableScope(ctx.db, actor, distributionId);
  const table = await findTable(ctx.db, distributionId);
  const canEdit = !!actor && canWriteDatastore(actor, scope.departmentPath);
  const cls = readerClassOf(actor, scope.departmentPath);
  const all = dictionaryOf(table?.columns ?? []);
  const visible = columnsFor(cls, all);
  const last = canEdit ? await latestLoad(ctx.db, distributionId) : undefined;
  return {
    distributionId,
    datasetId: scope.datasetId,
    rows: Number(table?.row_count ?? 0),
    currentVersion: table?.current_version ?? null,
    columns: visible.map((v) => v.column),
    key: table?.key_columns ?? [],
    masked: visible.some((v) => v.access !== 'clear') || visible.length < all.length,
    canEdit,
    versions: table ? (await listVersions(ctx.db, distributionId)).map(toVersionDto) : [],
    lastLoad: last ? toLoadDto(last) : null,
  };
}
