import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  type DatasetDto,
  LinkDistributionBody,
  type LinkDistributionInput,
  UpdateDistributionBody,
  type UpdateDistributionInput,
} from '../../../contracts/catalog.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { canEditDataset } from './catalog.policy.ts';
import { findDatasetView } from './dataset.repository.ts';
import { assertCanView } from './dataset.service.ts';
import {
  assertStatus,
  auditDataset,
  datasetNotFound,
  loadDatasetDto,
  lockForWrite,
  recordVersion,
} from './dataset-write.ts';
import {
  countDownload,
  deleteDistributionRow,
  findDistribution,
  insertDistribution,
  refreshFormats,
  updateDistributionRow,
} from './distribution.repository.ts';
import { notifyFileStored } from './distribution-scope.ts';

const distributionNotFound = () => notFound('catalog.distribution_not_found', 'Distribution');

// Media types of the formats government catalogs carry; anything else is application/octet-stream.
const MEDIA_TYPES: Record<string, string> = {
  CSV: 'text/csv',
  TSV: 'text/tab-separated-values',
  TXT: 'text/plain',
  JSON: 'application/json',
  GEOJSON: 'application/geo+json',
  XML: 'application/xml',
  XLS: 'application/vnd.ms-excel',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  PDF: 'application/pdf',
  ZIP: 'application/zip',
  PARQUET: 'application/vnd.apache.parquet',
  RDF: 'application/rdf+xml',
  TTL: 'text/turtle',
  SHP: 'application/x-shapefile',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** A file's format from its name (`人口.CSV` → CSV). */
export const formatOfFilename = (filename: string) => path.extname(filename).slice(1).toUpperCase();
export const mediaTypeOf = (format: string) =>
  MEDIA_TYPES[format.toUpperCase()] ?? 'application/octet-stream';

async function writeDistribution(
  ctx: AppContext,
  actor: Actor,
  datasetId: string,
  meta: RequestMeta | undefined,
  change: 'distribution_added' | 'distribution_updated' | 'distribution_removed',
  apply: (trx: Db) => Promise<Record<string, unknown>>,
): Promise<DatasetDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const view = await lockForWrite(trx, datasetId);
    authorize(actor, (a) => canEditDataset(a, view.department_path));
    assertStatus(view, ['draft', 'submitted', 'published'], 'change the distributions of');
    const details = await apply(trx);
    await refreshFormats(trx, datasetId);
    await recordVersion(trx, actor, datasetId, change);
    await auditDataset(trx, actor, meta, view, `catalog.${change.replace('_', '.')}`, details);
  });
  return (await loadDatasetDto(ctx.db, { id: datasetId })) as DatasetDto;
}

/** Adds a link or API endpoint to a resource. */
export async function addLinkDistribution(
  ctx: AppContext,
  actor: Actor,
  datasetId: string,
  input: LinkDistributionInput,
  meta?: RequestMeta,
): Promise<DatasetDto> {
  assertValid(LinkDistributionBody, input);
  return writeDistribution(ctx, actor, datasetId, meta, 'distribution_added', async (trx) => {
    const id = randomUUID();
    const format = (input.format ?? formatOfFilename(new URL(input.url).pathname) ?? '').toUpperCase();
    await insertDistribution(trx, {
      id,
      dataset_id: datasetId,
      name: input.name,
      description: input.description ?? '',
      kind: input.kind ?? 'link',
      url: input.url,
      storage_key: null,
      format: format || (input.kind === 'api' ? 'API' : ''),
      media_type: input.mediaType ?? (format ? mediaTypeOf(format) : null),
      size_bytes: null,
      checksum: null,
    });
    return { distributionId: id, url: input.url };
  });
}

export interface FileUpload {
  filename: string;
  content: Readable | Buffer;
  name?: string | undefined;
  description?: string | undefined;
  format?: string | undefined;
  /** Every text field of the multipart request, by name. */
  fields?: Record<string, string> | undefined;
}

/**
 * Stores an uploaded file and adds it to the resource. The file is stored first (streamed, size
 * limited, hashed), then recorded; if recording fails the stored file is removed again.
 */
export async function addFileDistribution(
  ctx: AppContext,
  actor: Actor,
  datasetId: string,
  file: FileUpload | (() => Promise<FileUpload>),
  meta?: RequestMeta,
): Promise<DatasetDto> {
  // Before reading a possibly large body: does the resource exist, and may the caller write here?
  const view = await findDatasetView(ctx.db, { id: datasetId });
  if (!view) throw datasetNotFound();
  authorize(actor, (a) => canEditDataset(a, view.department_path));
  const upload = typeof file === 'function' ? await file() : file;
  const stored = await ctx.files.put(upload.content);
  try {
    return await writeDistribution(ctx, actor, datasetId, meta, 'distribution_added', async (trx) => {
      const id = randomUUID();
      const format = (upload.format || formatOfFilename(upload.filename)).toUpperCase();
      await insertDistribution(trx, {
        id,
        dataset_id: datasetId,
        name: upload.name?.trim() || upload.filename,
        description: upload.description ?? '',
        kind: 'file',
        url: null,
        storage_key: stored.key,
        format,
        media_type: mediaTypeOf(format),
        size_bytes: stored.sizeBytes,
        checksum: stored.checksum,
      });
      await notifyFileStored(trx, actor, {
        distributionId: id,
        datasetId,
        departmentId: view.department_id,
        format,
        storageKey: stored.key,
        filename: upload.filename,
        sizeBytes: stored.sizeBytes,
        checksum: stored.checksum,
      });
      return {
        distributionId: id,
        filename: upload.filename,
        sizeBytes: stored.sizeBytes,
        checksum: stored.checksum,
      };
    });
  } catch (err) {
    await ctx.files.remove(stored.key);
    throw err;
  }
}

/**
 * Replaces a distribution's bytes with a new upload, keeping its id (CKAN resource_update with a
 * file; a link becomes an uploaded file). The old file is removed once the change is committed.
 */
export async function replaceDistributionFile(
  ctx: AppContext,
  actor: Actor,
  id: string,
  upload: FileUpload,
  meta?: RequestMeta,
): Promise<DatasetDto> {
  const dist = await findDistribution(ctx.db, id);
  if (!dist) throw distributionNotFound();
  const view = await findDatasetView(ctx.db, { id: dist.dataset_id });
  if (view) authorize(actor, (a) => canEditDataset(a, view.department_path));
  const stored = await ctx.files.put(upload.content);
  let result: DatasetDto;
  try {
    result = await writeDistribution(
      ctx,
      actor,
      dist.dataset_id,
      meta,
      'distribution_updated',
      async (trx) => {
        const format = (upload.format || formatOfFilename(upload.filename) || dist.format).toUpperCase();
        await updateDistributionRow(trx, id, {
          kind: 'file',
          url: null,
          storage_key: stored.key,
          size_bytes: stored.sizeBytes,
          checksum: stored.checksum,
          format,
          media_type: mediaTypeOf(format),
          ...(upload.name?.trim() ? { name: upload.name.trim() } : {}),
          ...(upload.description !== undefined ? { description: upload.description } : {}),
        });
        await notifyFileStored(trx, actor, {
          distributionId: id,
          datasetId: dist.dataset_id,
          departmentId: view?.department_id ?? '',
          format,
          storageKey: stored.key,
          filename: upload.filename,
          sizeBytes: stored.sizeBytes,
          checksum: stored.checksum,
        });
        return {
          distributionId: id,
          filename: upload.filename,
          sizeBytes: stored.sizeBytes,
          checksum: stored.checksum,
        };
      },
    );
  } catch (err) {
    await ctx.files.remove(stored.key);
    throw err;
  }
  if (dist.storage_key) await ctx.files.remove(dist.storage_key);
  return result;
}

/** Changes a distribution's description or link. */
export async function updateDistribution(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateDistributionInput,
  meta?: RequestMeta,
): Promise<DatasetDto> {
  assertValid(UpdateDistributionBody, input);
  const dist = await findDistribution(ctx.db, id);
  if (!dist) throw distributionNotFound();
  return writeDistribution(ctx, actor, dist.dataset_id, meta, 'distribution_updated', async (trx) => {
    await updateDistributionRow(trx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.format !== undefined
        ? { format: input.format.toUpperCase(), media_type: mediaTypeOf(input.format) }
        : {}),
      ...(input.url !== undefined && dist.kind !== 'file' ? { url: input.url } : {}),
    });
    return { distributionId: id, fields: Object.keys(input) };
  });
}

/** Removes a distribution (and its stored file, once the removal is committed). */
export async function deleteDistribution(ctx: AppContext, actor: Actor, id: string, meta?: RequestMeta) {
  const dist = await findDistribution(ctx.db, id);
  if (!dist) throw distributionNotFound();
  const result = await writeDistribution(
    ctx,
    actor,
    dist.dataset_id,
    meta,
    'distribution_removed',
    async (trx) => {
      await deleteDistributionRow(trx, id);
      return { distributionId: id, name: dist.name };
    },
  );
  // Versions keep the distribution's checksum, not its bytes: the file goes with the row.
  if (dist.storage_key) await ctx.files.remove(dist.storage_key);
  return result;
}

export type Download =
  | {
      kind: 'file';
      stream: Readable;
      filename: string;
      mediaType: string;
      sizeBytes: number | null;
      checksum: string | null;
    }
  | { kind: 'redirect'; url: string };

/** A distribution's bytes (or where its link points), counted as a download, if the actor may see it. */
export async function openDownload(ctx: AppContext, actor: Actor | undefined, id: string): Promise<Download> {
  const dist = await findDistribution(ctx.db, id);
  if (!dist) throw distributionNotFound();
  const view = await findDatasetView(ctx.db, { id: dist.dataset_id });
  if (!view) throw distributionNotFound();
  assertCanView(actor, view);
  if (dist.kind !== 'file' || !dist.storage_key) {
    await countDownload(ctx.db, dist.id, dist.dataset_id);
    return { kind: 'redirect', url: dist.url ?? '' };
  }
  const stream = ctx.files.open(dist.storage_key);
  if (!stream) throw notFound('catalog.file_missing', 'Stored file');
  await countDownload(ctx.db, dist.id, dist.dataset_id);
  const ext = dist.format ? `.${dist.format.toLowerCase()}` : '';
  const filename = dist.name.toLowerCase().endsWith(ext) ? dist.name : `${dist.name}${ext}`;
  return {
    kind: 'file',
    stream,
    filename,
    mediaType: dist.media_type ?? 'application/octet-stream',
    sizeBytes: dist.size_bytes,
    checksum: dist.checksum,
  };
}
