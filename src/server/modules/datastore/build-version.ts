import { type RawBuilder, sql } from 'kysely';
import type { DatastoreType, LoadMode } from '../../../contracts/datastore.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import {
  columnIndexName,
  DATASTORE_SCHEMA,
  STAGING_SCHEMA,
  stagingTable,
  versionName,
  versionTable,
} from './table-names.ts';
import { castExpression, pgTypeOf, trimmedStaging } from './types/index.ts';
import { verifiedCast } from './verified-cast.ts';

// Step three of a load: the typed version table, built by one CREATE TABLE … AS SELECT from the
// staging table (and, for appends and upserts, from the current version), inside the transaction
// that will also make it current — so a failure anywhere leaves no table and no version behind.

/** A column of the file, with the type inference gave it and where it sits in the staging table. */
export interface IncomingColumn {
  id: string;
  label: string;
  type: DatastoreType;
  staging: string;
}

/** A column of the version being built. */
export interface BuiltColumn {
  id: string;
  label: string;
  type: DatastoreType;
  /** The staging column that fills it, when the file has it. */
  staging: string | null;
  /** The type in the previous version, when it had the column. */
  previousType: DatastoreType | null;
}

export interface BuildPlan {
  distributionId: string;
  loadId: string;
  version: number;
  mode: LoadMode;
  incoming: IncomingColumn[];
  previous: { version: number; columns: { id: string; label: string; type: DatastoreType }[] } | null;
  /** Key column ids (upserts; indexes and version summaries for every mode). */
  key: string[];
  /** Columns the steward asked to index (kept from the previous version's dictionary). */
  indexed: string[];
  nullTokens: readonly string[];
  /**
   * guarded — casts that never fail (types from every value); verified — casts that raise on any value
   * not fitting its type (types from a sample, proven on every row by the build succeeding).
   */
  casts: 'guarded' | 'verified';
  /** The file's row number of a staged row, for the rows an error names (staged row numbers when absent). */
  fileRow?: ((stagedRow: number) => number) | undefined;
}

/** Indexes one column of a version table (for filters and sorts the steward expects). */
export async function createColumnIndex(trx: Db, distributionId: string, version: number, columnId: string) {
  const name = sql.id(columnIndexName(distributionId, version, columnId));
  await sql`create index if not exists ${name} on ${versionTable(distributionId, version)} (${sql.id(columnId)})`.execute(
    trx,
  );
}

export async function dropColumnIndex(trx: Db, distributionId: string, version: number, columnId: string) {
  await sql`drop index if exists ${sql.id(DATASTORE_SCHEMA, columnIndexName(distributionId, version, columnId))}`.execute(
    trx,
  );
}

const NUMERIC_WIDTH: Partial<Record<DatastoreType, number>> = { integer: 1, bigint: 2, numeric: 3 };

/** The narrowest type holding values of both: the wider number, else text. */
export function commonType(a: DatastoreType, b: DatastoreType): DatastoreType {
  if (a === b) return a;
  const wa = NUMERIC_WIDTH[a];
  const wb = NUMERIC_WIDTH[b];
  if (wa && wb) return wa > wb ? a : b;
  return 'text';
}

/** The columns of the new version: the file's (replace), or the previous ones widened where needed plus the file's new ones. */
export function planColumns(plan: BuildPlan): BuiltColumn[] {
  if (plan.mode === 'replace' || !plan.previous) {
    return plan.incoming.map((c) => ({ ...c, previousType: null }));
  }
  const incoming = new Map(plan.incoming.map((c) => [c.id, c]));
  const columns: BuiltColumn[] = plan.previous.columns.map((p) => {
    const file = incoming.get(p.id);
    return {
      id: p.id,
      label: p.label,
      type: file ? commonType(p.type, file.type) : p.type,
      staging: file?.staging ?? null,
      previousType: p.type,
    };
  });
  const known = new Set(columns.map((c) => c.id));
  for (const c of plan.incoming) if (!known.has(c.id)) columns.push({ ...c, previousType: null });
  return columns;
}

const typed = (type: DatastoreType) => sql.raw(pgTypeOf(type));

/** A previous version's value converted to the new column type (widening only, so never failing). */
function fromPrevious(c: BuiltColumn, alias: string): RawBuilder<unknown> {
  if (!c.previousType) return sql`null::${typed(c.type)}`;
  const ref = sql.ref(`${alias}.${c.id}`);
  if (c.previousType === c.type) return ref;
  return c.type === 'text' ? sql`${ref}::text` : sql`${ref}::${typed(c.type)}`;
}

/** A file's value cast to the column type. */
function fromFile(c: BuiltColumn, plan: BuildPlan): RawBuilder<unknown> {
  if (!c.staging) return sql`null::${typed(c.type)}`;
  if (plan.casts === 'verified') return verifiedCast(sql.ref(`s.${c.staging}`), c.type, plan.nullTokens);
  // The staging table is read through trimmedStaging: values are trimmed once, not once per test.
  return castExpression(sql.ref(`s.${c.staging}`), c.type, plan.nullTokens, { trimmed: true });
}

/** The staging table with every non-text column trimmed once (guarded casts), or as it is (verified casts trim as needed). */
function trimmedFile(plan: BuildPlan, columns: BuiltColumn[]) {
  if (plan.casts === 'verified') return stagingTable(plan.loadId);
  const filled = columns.filter((c) => c.staging !== null);
  return trimmedStaging(
    stagingTable(plan.loadId),
    filled.map((c) => c.staging as string),
    filled.map((c) => c.type),
  );
}

const named = (columns: BuiltColumn[], value: (c: BuiltColumn) => RawBuilder<unknown>) =>
  sql.join(columns.map((c) => sql`${value(c)} as ${sql.id(c.id)}`));

/** Builds the version table; returns its columns and row count. */
export async function buildVersionTable(
  trx: Db,
  plan: BuildPlan,
): Promise<{ columns: BuiltColumn[]; rows: number; nonNull: Record<string, number> }> {
  const columns = planColumns(plan);
  const target = versionTable(plan.distributionId, plan.version);
  const staging = trimmedFile(plan, columns);
  const fileRows = sql`select s._row as _id, ${named(columns, (c) => fromFile(c, plan))} from ${staging} s`;

  if (plan.mode === 'replace' || !plan.previous) {
    await sql`create table ${target} as ${fileRows}`.execute(trx);
  } else {
    const prev = versionTable(plan.distributionId, plan.previous.version);
    const prevRows = sql`select p._id, ${named(columns, (c) => fromPrevious(c, 'p'))} from ${prev} p`;
    const base = sql`(select coalesce(max(_id), 0) from ${prev})`;
    if (plan.mode === 'append') {
      await sql`create table ${target} as
        ${prevRows}
        union all
        select s._row + ${base}, ${named(columns, (c) => fromFile(c, plan))} from ${staging} s`.execute(trx);
    } else {
      await buildUpsert(trx, plan, columns, target, prev, base);
    }
  }
  return finishVersionTable(trx, plan, columns, target);
}

/**
 * Makes the typed table a typed load filled in the staging schema (typed-load/copy-pass.ts) the new
 * version's table. Only for a replace: the file's rows are the whole version.
 */
export async function adoptTypedTable(
  trx: Db,
  plan: BuildPlan,
  counted: TableCounts,
): Promise<{ columns: BuiltColumn[]; rows: number; nonNull: Record<string, number> }> {
  if (plan.mode !== 'replace' && plan.previous) throw new Error('a typed table can only replace a version');
  const columns = planColumns(plan);
  const name = versionName(plan.distributionId, plan.version);
  await sql`alter table ${stagingTable(plan.loadId)} rename to ${sql.id(name)}`.execute(trx);
  await sql`alter table ${sql.id(STAGING_SCHEMA, name)} set schema ${sql.id(DATASTORE_SCHEMA)}`.execute(trx);
  return finishVersionTable(trx, plan, columns, versionTable(plan.distributionId, plan.version), counted);
}

/** Rows, and non-null values per column id, of a version table. */
export interface TableCounts {
  rows: number;
  nonNull: Record<string, number>;
}

/** The version table's key, indexes and statistics; its row and non-null counts (counted here unless known). */
async function finishVersionTable(
  trx: Db,
  plan: BuildPlan,
  columns: BuiltColumn[],
  target: RawBuilder<unknown>,
  known?: TableCounts,
): Promise<{ columns: BuiltColumn[] } & TableCounts> {
  await sql`alter table ${target} add primary key (_id)`.execute(trx);
  if (plan.key.length > 0) {
    await sql`create index on ${target} (${sql.join(plan.key.map((k) => sql.id(k)))})`.execute(trx);
  }
  for (const id of plan.indexed.filter((i) => columns.some((c) => c.id === i))) {
    await createColumnIndex(trx, plan.distributionId, plan.version, id);
  }
  await sql`analyze ${target}`.execute(trx);
  if (known) return { columns, ...known };
  const counted = await sql<Record<string, number | string>>`select count(*) as _rows, ${sql.join(
    columns.map((c, i) => sql`count(${sql.id(c.id)}) as ${sql.id(`n${i}`)}`),
  )} from ${target}`.execute(trx);
  const row = counted.rows[0] ?? {};
  return {
    columns,
    rows: Number(row._rows ?? 0),
    nonNull: Object.fromEntries(columns.map((c, i) => [c.id, Number(row[`n${i}`] ?? 0)])),
  };
}

/** Rows of an upsert's file a missing-key refusal lists at most. */
const MISSING_KEY_ROWS = 20;

/**
 * Upsert: rows of the file replace the previous rows with the same key (keeping their _id and the
 * values of columns the file does not have), the others are added; of several file rows with one key
 * the last wins. Previous rows with keys the file does not have stay. A file row with an empty key
 * refuses the whole load (refuseMissingKeys).
 */
async function buildUpsert(
  trx: Db,
  plan: BuildPlan,
  columns: BuiltColumn[],
  target: RawBuilder<unknown>,
  prev: RawBuilder<unknown>,
  base: RawBuilder<unknown>,
) {
  const keys = sql.join(plan.key.map((k) => sql.id(k)));
  const allKeysSet = sql.join(
    plan.key.map((k) => sql`${sql.id(k)} is not null`),
    sql` and `,
  );
  const matches = (a: string, b: string) =>
    sql.join(
      plan.key.map((k) => sql`${sql.ref(`${a}.${k}`)} = ${sql.ref(`${b}.${k}`)}`),
      sql` and `,
    );
  const keyed = columns.filter((c) => plan.key.includes(c.id));
  await refuseMissingKeys(trx, plan, columns, keyed, allKeysSet);
  await sql`create table ${target} as
    with f as (
      select s._row, ${named(columns, (c) => fromFile(c, plan))} from ${trimmedFile(plan, columns)} s
    ),
    n as (select distinct on (${keys}) * from f order by ${keys}, _row desc),
    p as (select p._id, ${named(columns, (c) => fromPrevious(c, 'p'))} from ${prev} p),
    first_p as (select distinct on (${keys}) _id, ${sql.join(keyed.map((c) => sql.id(c.id)))} from p order by ${keys}, _id)
    select p._id, ${sql.join(columns.map((c) => sql.ref(`p.${c.id}`)))} from p
      where not exists (select 1 from n where ${matches('n', 'p')})
    union all
    select coalesce(fp._id, ${base} + n._row), ${sql.join(
      // Columns the file does not have keep the matched row's values (CKAN's upsert updates fields).
      columns.map((c) =>
        c.staging === null && c.previousType ? sql.ref(`pp.${c.id}`) : sql.ref(`n.${c.id}`),
      ),
    )}
      from n left join first_p fp on ${matches('fp', 'n')} left join p pp on pp._id = fp._id`.execute(trx);
}

/**
 * An upsert places each row by its key, as CKAN's datastore_upsert requires one: a row without it
 * matches nothing, so every reload of the same file would add it again. Such a file is refused whole —
 * the load is atomic, and a steward would rather fix the listed rows (or append them) than find that
 * some rows were silently left out or duplicated.
 */
async function refuseMissingKeys(
  trx: Db,
  plan: BuildPlan,
  columns: BuiltColumn[],
  keyed: BuiltColumn[],
  allKeysSet: RawBuilder<unknown>,
): Promise<void> {
  const missing = await sql<{ _row: number | string; n: number | string }>`
    with f as (
      select s._row, ${named(keyed, (c) => fromFile(c, plan))} from ${trimmedFile(plan, columns)} s
    )
    select _row, count(*) over () as n from f where not (${allKeysSet})
    order by _row limit ${MISSING_KEY_ROWS}`.execute(trx);
  if (missing.rows.length === 0) return;
  const count = Number(missing.rows[0]?.n);
  const fileRow = plan.fileRow ?? ((n: number) => n);
  const rows = missing.rows.map((r) => fileRow(Number(r._row)));
  const key = keyed.map((c) => c.label);
  throw new AppError(
    'datastore.upsert_key_missing',
    422,
    `${count} row(s) of the file have no value in the key column ${key.join(', ')} (rows ${rows.join(', ')}${
      count > rows.length ? ', …' : ''
    }): an upsert places rows by their key, so nothing was loaded. Fill in the key, or add such rows with append.`,
    { key, rows, count },
  );
}
