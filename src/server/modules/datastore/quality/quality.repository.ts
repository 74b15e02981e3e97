import { sql } from 'kysely';
import type { QualityRule, QualityScore, RuleResult } from '../../../../contracts/datastore-quality.ts';
import type { Db } from '../../../platform/db.ts';
import type { ColumnFacts } from './profile.ts';

// Where quality lives: the rules and the last computation on the table's bookkeeping row, and the
// resource's score on its catalog row (a column this module's migration added, so that search shows
// it without a join; nothing else in the catalog writes it).

/** What `datastore_tables.quality` holds after a computation. */
export interface StoredQuality {
  version: number;
  computedAt: string;
  /** When the profiled version was published (timeliness is measured from it). */
  versionAt?: string;
  durationMs?: number;
  rows?: number;
  columns?: ColumnFacts[];
  rules?: RuleResult[];
  score?: QualityScore;
  /** Set instead of the figures when the computation failed. */
  error?: string;
}

export const rulesOf = (value: unknown) => (Array.isArray(value) ? (value as QualityRule[]) : []);
export const storedQualityOf = (value: unknown) =>
  value && typeof value === 'object' ? (value as StoredQuality) : null;

/** Stores a computation unless a newer version became current meanwhile (its own will follow). */
export async function saveQuality(db: Db, distributionId: string, quality: StoredQuality): Promise<boolean> {
  const r = await db
    .updateTable('datastore_tables')
    .set({ quality: JSON.stringify(quality) })
    .where('distribution_id', '=', distributionId)
    .where('current_version', '=', quality.version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function saveRules(trx: Db, distributionId: string, rules: readonly QualityRule[]) {
  await trx
    .updateTable('datastore_tables')
    .set({ rules: JSON.stringify(rules), updated_at: sql`now()` })
    .where('distribution_id', '=', distributionId)
    .execute();
}

/** When a version was published. */
export async function versionCreatedAt(
  db: Db,
  distributionId: string,
  version: number,
): Promise<Date | null> {
  const row = await db
    .selectFrom('datastore_versions')
    .select('created_at')
    .where('distribution_id', '=', distributionId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? new Date(row.created_at) : null;
}

/** The loaded tables of a resource, with their dictionaries and last quality computation. */
export const datasetTables = (db: Db, datasetId: string) =>
  db
    .selectFrom('datastore_tables')
    .select(['distribution_id', 'current_version', 'columns', 'quality'])
    .where('dataset_id', '=', datasetId)
    .where('current_version', 'is not', null)
    .execute();

export async function setDatasetScore(db: Db, datasetId: string, score: number | null): Promise<void> {
  await db
    .updateTable('catalog_datasets')
    .set({ quality_score: score })
    .where('id', '=', datasetId)
    .execute();
}

export async function datasetScoreOf(db: Db, datasetId: string): Promise<number | null> {
  const row = await db
    .selectFrom('catalog_datasets')
    .select('quality_score')
    .where('id', '=', datasetId)
    .executeTakeFirst();
  return row?.quality_score ?? null;
}
