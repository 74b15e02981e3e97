import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import type { CatalogDistributionRow } from '../../platform/db-schema.ts';
import type { DatasetScope } from './catalog.policy.ts';

// What other modules (the DataStore) need to know about a distribution and the resource it belongs
// to, to authorise work on it; and the hook they use to hear of newly stored files.

/** A distribution with the facts its resource's policies need. */
export interface DistributionScope extends DatasetScope {
  distribution: CatalogDistributionRow;
  datasetId: string;
  datasetName: string;
  departmentId: string;
  updateCycle: string;
}

/** A distribution and its resource's scope, or undefined. */
export async function findDistributionScope(db: Db, id: string): Promise<DistributionScope | undefined> {
  const row = await db
    .selectFrom('catalog_distributions as dist')
    .innerJoin('catalog_datasets as ds', 'ds.id', 'dist.dataset_id')
    .innerJoin('departments as d', 'd.id', 'ds.department_id')
    .selectAll('dist')
    .select([
      'ds.name as dataset_name',
      'ds.status as dataset_status',
      'ds.share_type',
      'ds.open_type',
      'ds.department_id',
      'ds.update_cycle',
      'd.path as department_path',
    ])
    .where('dist.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    dataset_name,
    dataset_status,
    share_type,
    open_type,
    department_id,
    update_cycle,
    department_path,
    ...dist
  } = row;
  return {
    distribution: dist,
    datasetId: dist.dataset_id,
    datasetName: dataset_name,
    departmentId: department_id,
    departmentPath: department_path,
    status: dataset_status,
    shareType: share_type,
    openType: open_type,
    updateCycle: update_cycle,
  };
}

/** A file just stored as a distribution (added, or replacing the previous bytes). */
export interface StoredFileEvent {
  distributionId: string;
  datasetId: string;
  departmentId: string;
  format: string;
  storageKey: string;
  filename: string;
  sizeBytes: number;
  checksum: string;
}

export type FileDistributionListener = (trx: Db, actor: Actor, event: StoredFileEvent) => Promise<void>;

const listeners: FileDistributionListener[] = [];

/**
 * Hears of every file stored as a distribution, inside the transaction that records it (so work it
 * queues exists exactly when the file does). The DataStore registers here to load tabular files.
 */
export function onFileDistributionStored(listener: FileDistributionListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

export async function notifyFileStored(trx: Db, actor: Actor, event: StoredFileEvent): Promise<void> {
  for (const listener of listeners) await listener(trx, actor, event);
}
