import { type InsertObject, type Selectable, sql, type UpdateObject } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import type {
  CatalogHarvestRunsTable,
  CatalogHarvestSourcesTable,
  Database,
  HarvestRunStatus,
} from '../../../platform/db-schema.ts';

// Harvest sources and runs, and the harvested datasets a run compares the source with.

export type SourceRow = Selectable<CatalogHarvestSourcesTable>;
export type RunRow = Selectable<CatalogHarvestRunsTable>;

/** A source with its owning department. */
export interface SourceView extends SourceRow {
  department_code: string;
  department_name_zh: string;
  department_name_en: string;
  department_active: boolean;
}

export interface RunView extends RunRow {
  source_name: string;
}

const sourceViews = (db: Db) =>
  db
    .selectFrom('catalog_harvest_sources as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select([
      'd.code as department_code',
      'd.name_zh as department_name_zh',
      'd.name_en as department_name_en',
      'd.active as department_active',
    ]);

/** One source by id or name. */
export function findSource(db: Db, by: { id: string } | { name: string }): Promise<SourceView | undefined> {
  const q = sourceViews(db);
  return ('id' in by ? q.where('s.id', '=', by.id) : q.where('s.name', '=', by.name)).executeTakeFirst();
}

/** Every source, active ones first, by name. */
export function listSourceViews(db: Db): Promise<SourceView[]> {
  return sourceViews(db).orderBy('s.active', 'desc').orderBy('s.name').execute();
}

export async function insertSource(
  db: Db,
  row: InsertObject<Database, 'catalog_harvest_sources'>,
): Promise<void> {
  await db.insertInto('catalog_harvest_sources').values(row).execute();
}

export async function updateSourceRow(
  db: Db,
  id: string,
  patch: UpdateObject<Database, 'catalog_harvest_sources'>,
): Promise<void> {
  await db
    .updateTable('catalog_harvest_sources')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** How many datasets each source has brought in. */
export async function datasetCounts(db: Db, sourceIds: readonly string[]): Promise<Map<string, number>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('catalog_datasets')
    .select(['harvest_source_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('harvest_source_id', 'in', sourceIds)
    .groupBy('harvest_source_id')
    .execute();
  return new Map(rows.map((r) => [r.harvest_source_id as string, Number(r.n)]));
}

const runViews = (db: Db) =>
  db
    .selectFrom('catalog_harvest_runs as r')
    .innerJoin('catalog_harvest_sources as s', 's.id', 'r.source_id')
    .selectAll('r')
    .select('s.name as source_name');

/** The latest run of each source. */
export async function latestRuns(db: Db, sourceIds: readonly string[]): Promise<Map<string, RunView>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await runViews(db)
    .distinctOn('r.source_id')
    .where('r.source_id', 'in', sourceIds)
    .orderBy('r.source_id')
    .orderBy('r.queued_at', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.source_id, r]));
}

export function findRun(db: Db, id: string): Promise<RunView | undefined> {
  return runViews(db).where('r.id', '=', id).executeTakeFirst();
}

export function findRunByJob(db: Db, jobId: string): Promise<RunView | undefined> {
  return runViews(db).where('r.job_id', '=', jobId).executeTakeFirst();
}

/** A source's runs, newest first. */
export function listRunViews(db: Db, sourceId: string, limit: number): Promise<RunView[]> {
  return runViews(db)
    .where('r.source_id', '=', sourceId)
    .orderBy('r.queued_at', 'desc')
    .limit(limit)
    .execute();
}

export async function insertRun(db: Db, row: InsertObject<Database, 'catalog_harvest_runs'>): Promise<void> {
  await db.insertInto('catalog_harvest_runs').values(row).execute();
}

/** Marks a run started now, clearing what an interrupted earlier attempt left. */
export async function markRunStarted(db: Db, id: string): Promise<void> {
  await db
    .updateTable('catalog_harvest_runs')
    .set({
      status: 'running',
      started_at: sql`now()`,
      finished_at: null,
      counts: '{}',
      errors: '[]',
      timings: '{}',
    })
    .where('id', '=', id)
    .execute();
}

export interface RunOutcome {
  status: HarvestRunStatus;
  counts: Record<string, number>;
  errors: { stage: string; remoteId?: string; message: string }[];
  timings: Record<string, number>;
}

/** Records a run's counts and errors so far (status stays), or its end (status given as final). */
export async function saveRun(db: Db, id: string, outcome: RunOutcome, final: boolean): Promise<void> {
  await db
    .updateTable('catalog_harvest_runs')
    .set({
      status: outcome.status,
      counts: JSON.stringify(outcome.counts),
      errors: JSON.stringify(outcome.errors),
      timings: JSON.stringify(outcome.timings),
      ...(final ? { finished_at: sql`now()` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Ends queued or running runs of a source as cancelled (the source was deactivated). */
export async function cancelOpenRuns(db: Db, sourceId: string): Promise<string[]> {
  const rows = await db
    .updateTable('catalog_harvest_runs')
    .set({ status: 'cancelled', finished_at: sql`now()` })
    .where('source_id', '=', sourceId)
    .where('status', 'in', ['queued', 'running'])
    .returning('job_id')
    .execute();
  return rows.flatMap((r) => (r.job_id ? [r.job_id] : []));
}

/** A dataset this source brought in, as the importer compares it. */
export interface HarvestedDataset {
  id: string;
  name: string;
  remoteId: string;
  status: string;
  reviewNote: string | null;
  contentHash: string | undefined;
}

/** Every dataset of a source, keyed by remote id. */
export async function harvestedDatasets(db: Db, sourceId: string): Promise<Map<string, HarvestedDataset>> {
  const rows = await db
    .selectFrom('catalog_datasets')
    .select(['id', 'name', 'harvest_remote_id', 'status', 'review_note', 'extras'])
    .where('harvest_source_id', '=', sourceId)
    .execute();
  return new Map(
    rows.map((r) => [
      r.harvest_remote_id as string,
      {
        id: r.id,
        name: r.name,
        remoteId: r.harvest_remote_id as string,
        status: r.status,
        reviewNote: r.review_note,
        contentHash: r.extras?.harvest_content_hash,
      },
    ]),
  );
}

/** Names taken by datasets, among the given ones. */
export async function takenNames(db: Db, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.selectFrom('catalog_datasets').select('name').where('name', 'in', names).execute();
  return new Set(rows.map((r) => r.name));
}

/**
 * Locks the active scheduled sources that are due, skipping those another node is enqueueing right
 * now; call inside a transaction that also moves their next_run_at on.
 */
export function lockDueSources(db: Db, limit: number) {
  return db
    .selectFrom('catalog_harvest_sources')
    .select(['id', 'name', 'schedule', 'department_id'])
    .where('active', '=', true)
    .where('schedule', '<>', 'manual')
    .where('next_run_at', '<=', sql<Date>`now()`)
    .orderBy('next_run_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** The next time a schedule is due, counted from now. */
export const nextRunSql = (schedule: string) =>
  schedule === 'hourly'
    ? sql<Date>`now() + interval '1 hour'`
    : schedule === 'daily'
      ? sql<Date>`now() + interval '1 day'`
      : schedule === 'weekly'
        ? sql<Date>`now() + interval '7 days'`
        : null;
