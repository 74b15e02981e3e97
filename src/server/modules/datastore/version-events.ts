import type { LoadMode } from '../../../contracts/datastore.ts';
import type { Db } from '../../platform/db.ts';
import type { VersionSummary } from './publish-version.ts';

// Other modules hear of every DataStore version that becomes current, inside the publishing
// transaction: work they queue (the exchange's webhook deliveries) exists exactly when the version
// does, and a load that rolls back announces nothing.

/** A version that has just become current. */
export interface VersionPublishedEvent {
  distributionId: string;
  datasetId: string;
  version: number;
  rowCount: number;
  mode: LoadMode;
  summary: VersionSummary | null;
}

export type VersionPublishedListener = (trx: Db, event: VersionPublishedEvent) => Promise<void>;

const listeners: VersionPublishedListener[] = [];

/** Registers a listener for new current versions (once; registering it again is a no-op). */
export function onVersionPublished(listener: VersionPublishedListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

/** Tells every listener, in the publishing transaction; a listener's failure fails the publication. */
export async function notifyVersionPublished(trx: Db, event: VersionPublishedEvent): Promise<void> {
  for (const listener of listeners) await listener(trx, event);
}
