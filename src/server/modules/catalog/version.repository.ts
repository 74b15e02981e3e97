import type { Db } from '../../platform/db.ts';

export interface VersionRow {
  version: number;
  change: string;
  snapshot: Record<string, unknown>;
  actor_label: string;
  note: string | null;
  at: Date;
}

export async function insertVersion(
  db: Db,
  v: {
    datasetId: string;
    version: number;
    change: string;
    snapshot: Record<string, unknown>;
    actorId: string | null;
    actorLabel: string;
    note: string | null;
  },
): Promise<void> {
  await db
    .insertInto('catalog_versions')
    .values({
      dataset_id: v.datasetId,
      version: v.version,
      change: v.change,
      snapshot: JSON.stringify(v.snapshot),
      actor_id: v.actorId,
      actor_label: v.actorLabel,
      note: v.note,
    })
    .execute();
}

/** Versions newest first. */
export async function listVersions(db: Db, datasetId: string, limit = 200): Promise<VersionRow[]> {
  return db
    .selectFrom('catalog_versions')
    .select(['version', 'change', 'snapshot', 'actor_label', 'note', 'at'])
    .where('dataset_id', '=', datasetId)
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
}
