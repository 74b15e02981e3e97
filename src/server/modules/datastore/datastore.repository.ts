import { sql } from 'kysely';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import type { Db } from '../../platform/db.ts';
import type { LoadMode, LoadStatus } from '../../platform/db-schema.ts';

// The DataStore's bookkeeping tables (the typed tables themselves are handled in table-ddl.ts).

export type LoadRow = Awaited<ReturnType<typeof findLoad>> & {};
export type TableRow = Awaited<ReturnType<typeof findTable>> & {};

export const findTable = (db: Db, distributionId: string) =>
  db
    .selectFrom('datastore_tables')
    .selectAll()
    .where('distribution_id', '=', distributionId)
    .executeTakeFirst();

/** The table's row, created empty when missing, locked until the caller's transaction ends: loads of one distribution run one after another. */
export async function lockTable(trx: Db, distributionId: string, datasetId: string) {
  await trx
    .insertInto('datastore_tables')
    .values({ distribution_id: distributionId, dataset_id: datasetId, columns: '[]' })
    .onConflict((oc) => oc.column('distribution_id').doNothing())
    .execute();
  return trx
    .selectFrom('datastore_tables')
    .selectAll()
    .where('distribution_id', '=', distributionId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function updateTableRow(
  trx: Db,
  distributionId: string,
  values: {
    current_version?: number;
    row_count?: number;
    columns?: DictionaryColumn[];
    key_columns?: string[];
    quality?: unknown;
  },
) {
  await trx
    .updateTable('datastore_tables')
    .set({
      ...(values.current_version !== undefined ? { current_version: values.current_version } : {}),
      ...(values.row_count !== undefined ? { row_count: values.row_count } : {}),
      ...(values.columns !== undefined ? { columns: JSON.stringify(values.columns) } : {}),
      ...(values.key_columns !== undefined ? { key_columns: values.key_columns } : {}),
      ...(values.quality !== undefined ? { quality: JSON.stringify(values.quality) } : {}),
      updated_at: sql`now()`,
    })
    .where('distribution_id', '=', distributionId)
    .execute();
}

export async function insertLoad(
  trx: Db,
  row: {
    id: string;
    distribution_id: string;
    job_id: string | null;
    status: LoadStatus;
    mode: LoadMode;
    key_columns: string[];
    requested_by: string;
    requested_by_id: string | null;
    options: Record<string, unknown>;
    source: Record<string, unknown>;
  },
) {
  await trx
    .insertInto('datastore_loads')
    .values({ ...row, options: JSON.stringify(row.options), source: JSON.stringify(row.source) })
    .execute();
}

export const findLoad = (db: Db, id: string) =>
  db.selectFrom('datastore_loads').selectAll().where('id', '=', id).executeTakeFirst();

export const latestLoad = (db: Db, distributionId: string) =>
  db
    .selectFrom('datastore_loads')
    .selectAll()
    .where('distribution_id', '=', distributionId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();

export const listLoads = (db: Db, distributionId: string, limit: number) =>
  db
    .selectFrom('datastore_loads')
    .selectAll()
    .where('distribution_id', '=', distributionId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();

/** Replaces the report of a load that succeeded (its final timings). */
export async function amendLoadReport(db: Db, id: string, report: unknown): Promise<void> {
  await db
    .updateTable('datastore_loads')
    .set({ report: JSON.stringify(report) })
    .where('id', '=', id)
    .where('status', '=', 'succeeded')
    .execute();
}

/** Moves a load on; a load already finished (e.g. cancelled meanwhile) is left as it is. Returns whether it moved. */
export async function setLoadState(
  db: Db,
  id: string,
  values: {
    status?: LoadStatus;
    progress?: Record<string, unknown>;
    report?: unknown;
    error?: unknown;
    version?: number;
    job_id?: string;
  },
): Promise<boolean> {
  const finished = values.status && values.status !== 'running' && values.status !== 'queued';
  const result = await db
    .updateTable('datastore_loads')
    .set({
      ...(values.status ? { status: values.status } : {}),
      ...(values.status === 'running' ? { started_at: sql`coalesce(started_at, now())` } : {}),
      ...(finished ? { finished_at: sql`now()` } : {}),
      ...(values.progress ? { progress: JSON.stringify(values.progress) } : {}),
      ...(values.report !== undefined ? { report: JSON.stringify(values.report) } : {}),
      ...(values.error !== undefined ? { error: JSON.stringify(values.error) } : {}),
      ...(values.version !== undefined ? { version: values.version } : {}),
      ...(values.job_id !== undefined ? { job_id: values.job_id } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertVersion(
  trx: Db,
  row: {
    distribution_id: string;
    version: number;
    load_id: string | null;
    mode: string;
    row_count: number;
    checksum: string | null;
    source_name: string | null;
    columns: DictionaryColumn[];
    summary: Record<string, unknown>;
    actor_id: string | null;
    actor_label: string;
  },
) {
  await trx
    .insertInto('datastore_versions')
    .values({ ...row, columns: JSON.stringify(row.columns), summary: JSON.stringify(row.summary) })
    .execute();
}

export const listVersions = (db: Db, distributionId: string) =>
  db
    .selectFrom('datastore_versions')
    .selectAll()
    .where('distribution_id', '=', distributionId)
    .orderBy('version', 'desc')
    .execute();

export const findVersion = (db: Db, distributionId: string, version: number) =>
  db
    .selectFrom('datastore_versions')
    .selectAll()
    .where('distribution_id', '=', distributionId)
    .where('version', '=', version)
    .executeTakeFirst();

export const maxVersion = async (db: Db, distributionId: string) =>
  (
    await db
      .selectFrom('datastore_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('distribution_id', '=', distributionId)
      .executeTakeFirst()
  )?.v ?? 0;

/** Kept versions beyond the newest `keep`: their tables are to be dropped. */
export const versionsBeyond = (db: Db, distributionId: string, keep: number) =>
  db
    .selectFrom('datastore_versions')
    .select('version')
    .where('distribution_id', '=', distributionId)
    .where('kept', '=', true)
    .orderBy('version', 'desc')
    .offset(keep)
    .limit(1000)
    .execute();

export async function markDropped(trx: Db, distributionId: string, versions: number[]) {
  if (versions.length === 0) return;
  await trx
    .updateTable('datastore_versions')
    .set({ kept: false })
    .where('distribution_id', '=', distributionId)
    .where('version', 'in', versions)
    .execute();
}

/** Staging tables left by loads that are no longer running (a crash between COPY and the end). */
export async function orphanStagingTables(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'datastore_staging' and c.relkind = 'r'
      and not exists (select 1 from datastore_loads l where l.id::text = c.relname and l.status = 'running')`.execute(
    db,
  );
  return rows.rows.map((r) => r.name);
}
