import { sql } from 'kysely';
import type { DatasetDto } from '../../../contracts/catalog.ts';
import type { AuditActor } from '../../platform/audit/index.ts';
import { type Actor, auditActorOf } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type ActionAuditEvent, auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { fieldsOfView, toDatasetDto } from './catalog.presenter.ts';
import { assertRules, type DatasetFields, type FieldProblem } from './catalog-rules.ts';
import {
  type DatasetView,
  distributionsOf,
  existingNames,
  findDatasetView,
  lockDataset,
  themeExists,
} from './dataset.repository.ts';
import type { Snapshot } from './history.ts';
import { bumpCatalogGeneration } from './search/search-cache.ts';
import { insertVersion } from './version.repository.ts';

// What every catalog write shares: finding and locking the resource, checking references, recording
// the new version and the audit entry in the same transaction.

export const datasetNotFound = () => notFound('catalog.dataset_not_found', 'Dataset');

/** Locks the resource for this transaction and returns it as it is now; 404 when it does not exist. */
export async function lockForWrite(trx: Db, id: string): Promise<DatasetView> {
  if ((await lockDataset(trx, id)) === undefined) throw datasetNotFound();
  const view = await findDatasetView(trx, { id });
  if (!view) throw datasetNotFound();
  return view;
}

/** The resource as its API shape, or undefined. */
export async function loadDatasetDto(
  db: Db,
  by: { id: string } | { name: string },
): Promise<DatasetDto | undefined> {
  const view = await findDatasetView(db, by);
  if (!view) return undefined;
  return toDatasetDto(view, await distributionsOf(db, [view.id]));
}

/** Rules plus the references the schema cannot check (theme, related resources); throws 400 with every problem. */
export async function assertFieldsValid(db: Db, f: DatasetFields): Promise<void> {
  const extra: FieldProblem[] = [];
  if (f.themeId && !(await themeExists(db, f.themeId)))
    extra.push({ path: '/themeId', message: `Unknown theme "${f.themeId}"` });
  const known = await existingNames(db, f.related);
  for (const name of f.related)
    if (!known.has(name)) extra.push({ path: '/related', message: `No resource is named "${name}"` });
  assertRules(f, extra);
}

export type VersionChange =
  | 'created'
  | 'updated'
  | 'submitted'
  | 'published'
  | 'rejected'
  | 'withdrawn'
  | 'distribution_added'
  | 'distribution_updated'
  | 'distribution_removed'
  | 'harvested';

// Changes to the data or its description renew freshness; moving through review does not.
const CONTENT_CHANGES = new Set<VersionChange>([
  'created',
  'updated',
  'distribution_added',
  'distribution_updated',
  'distribution_removed',
  'harvested',
]);

/**
 * Records a new version of the resource as it now stands in this transaction: bumps its version
 * number and modification time and keeps the full snapshot, from which history shows the diff.
 */
export async function recordVersion(
  trx: Db,
  who: Actor | AuditActor,
  datasetId: string,
  change: VersionChange,
  note: string | null = null,
): Promise<void> {
  const actor = 'label' in who ? who : auditActorOf(who);
  let version = 1;
  if (change !== 'created') {
    const row = await trx
      .updateTable('catalog_datasets')
      .set({
        version: sql`version + 1`,
        modified_at: sql`now()`,
        ...(CONTENT_CHANGES.has(change) ? { last_version_at: sql`now()` } : {}),
      })
      .where('id', '=', datasetId)
      .returning('version')
      .executeTakeFirstOrThrow();
    version = row.version;
  }
  await bumpCatalogGeneration(trx);
  const view = await findDatasetView(trx, { id: datasetId });
  if (!view) throw datasetNotFound();
  const dists = await distributionsOf(trx, [datasetId]);
  const snapshot: Snapshot = {
    ...fieldsOfView(view),
    status: view.status,
    distributions: dists.map((d) => ({
      id: d.id,
      name: d.name,
      format: d.format,
      url: d.url,
      checksum: d.checksum,
    })),
  };
  await insertVersion(trx, {
    datasetId,
    version,
    change,
    snapshot: snapshot as unknown as Record<string, unknown>,
    actorId: actor.id,
    actorLabel: actor.label,
    note,
  });
}

/** Appends a catalog audit entry about a resource in the caller's transaction. */
export const auditDataset = (
  trx: Db,
  actor: Actor | AuditActor,
  meta: RequestMeta | undefined,
  view: Pick<DatasetView, 'id' | 'name' | 'department_id'>,
  action: string,
  details: Record<string, unknown> = {},
) =>
  auditAction(trx, actor, meta, {
    action,
    target: { type: 'dataset', id: view.id },
    departmentId: view.department_id,
    details: { name: view.name, ...details },
  } satisfies ActionAuditEvent);

/** Sets the status (and what goes with it) of a locked resource; a first publication stamps published_at. */
export async function setStatus(
  trx: Db,
  id: string,
  changes: { status: string; review_note?: string | null; firstPublication?: boolean },
): Promise<void> {
  const { firstPublication, ...columns } = changes;
  await trx
    .updateTable('catalog_datasets')
    .set({ ...columns, ...(firstPublication ? { published_at: sql`now()` } : {}) })
    .where('id', '=', id)
    .execute();
}

/** 409 when a resource is not in one of the states an action needs. */
export function assertStatus(view: DatasetView, allowed: readonly string[], action: string): void {
  if (!allowed.includes(view.status))
    throw new AppError('catalog.invalid_state', 409, `Cannot ${action} a resource that is ${view.status}`, {
      status: view.status,
      allowed,
    });
}
