import { sql } from 'kysely';
import type { DatastoreType, DictionaryColumn, LoadMode } from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import { replaceViews } from './access-views.ts';
import { insertVersion, markDropped, updateTableRow, versionsBeyond } from './datastore.repository.ts';
import { DATASTORE_SCHEMA, versionName, versionTable } from './table-names.ts';
import { recastCheckQuery } from './types/index.ts';
import { notifyVersionPublished } from './version-events.ts';

// Step four of a load, in the same transaction as the build: compare with the previous version, make
// the new one current (views, dictionary, version row, audit entry) and drop versions past the
// number kept.

export interface VersionSummary {
  added: number;
  removed: number;
  changed: number;
  /** How rows were matched: by the key columns, or as whole rows (then a change counts as one removed and one added). */
  by: 'key' | 'row';
  /** Columns whose type an append or upsert widened to hold the file's values (absent when none). */
  typeChanges?: TypeChange[];
}

/** A column widened by a load, with the values that did not fit its former type. */
export interface TypeChange {
  column: string;
  from: DatastoreType;
  to: DatastoreType;
  /** Values of the new version that the former type could not hold. */
  count: number;
  /** The first of them by _id; `row` is the value's row in the loaded file, where it is known. */
  examples: { id: number; value: string; row?: number }[];
}

const TYPE_CHANGE_EXAMPLES = 5;

/** PostgreSQL's names of the column types (format_type), back to the DataStore's. */
const FROM_PG: Record<string, DatastoreType> = {
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'time without time zone': 'time',
  text: 'text',
};

/**
 * The shared columns whose type differs between two versions — an append or upsert widens a column
 * (integer → numeric → text) when the file's values do not fit — each with the values that caused it,
 * so the steward learns of it from the report rather than from a broken chart.
 */
export async function typeChanges(
  trx: Db,
  distributionId: string,
  previous: number,
  current: number,
  shared: string[],
): Promise<TypeChange[]> {
  if (shared.length === 0) return [];
  const types = await sql<{ rel: string; id: string; type: string }>`
    select c.relname as rel, a.attname as id, format_type(a.atttypid, null) as type
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${DATASTORE_SCHEMA}
      and c.relname in (${versionName(distributionId, previous)}, ${versionName(distributionId, current)})
      and a.attnum > 0 and not a.attisdropped`.execute(trx);
  const typeOf = (version: number, id: string) => {
    const row = types.rows.find((r) => r.rel === versionName(distributionId, version) && r.id === id);
    return row ? FROM_PG[row.type] : undefined;
  };
  const changes: TypeChange[] = [];
  for (const column of shared) {
    const from = typeOf(previous, column);
    const to = typeOf(current, column);
    if (!from || !to || from === to) continue;
    const check = await recastCheckQuery(
      versionTable(distributionId, current),
      column,
      from,
      [],
      TYPE_CHANGE_EXAMPLES,
    ).execute(trx);
    const found = check.rows[0];
    changes.push({
      column,
      from,
      to,
      count: Number(found?.count ?? 0),
      examples: (found?.examples ?? []).map((e) => ({ id: Number(e.key), value: e.value })),
    });
  }
  return changes;
}

/**
 * Rows added, removed and changed between two versions, over the columns both have. With a key, rows
 * are grouped by it: within a key, identical rows on both sides are unchanged, the rest pair up as
 * changed and the surplus is added or removed — so an appended row whose key is already there counts
 * as added, not as a change. Rows with an empty key part are compared as whole rows (they match no key).
 */
export async function summarize(
  trx: Db,
  distributionId: string,
  previous: number,
  current: number,
  shared: string[],
  key: string[],
): Promise<VersionSummary> {
  const before = versionTable(distributionId, previous);
  const after = versionTable(distributionId, current);
  const hash = sql`md5(row(${sql.join(shared.map((c) => sql`${sql.id(c)}::text`))})::text)`;
  if (key.length > 0 && key.every((k) => shared.includes(k))) {
    // '' stands for "no complete key" (a full join needs an equality it can hash or merge).
    const k = sql`case when ${sql.join(
      key.map((c) => sql`${sql.id(c)} is null`),
      sql` or `,
    )} then '' else json_build_array(${sql.join(key.map((c) => sql`${sql.id(c)}::text`))})::text end`;
    const r = await sql<{ added: number; removed: number; changed: number }>`
      with a as (select ${k} as k, ${hash} as h, count(*) as n from ${after} group by 1, 2),
           b as (select ${k} as k, ${hash} as h, count(*) as n from ${before} group by 1, 2),
           j as (select coalesce(a.k, b.k) as k, coalesce(a.n, 0) as na, coalesce(b.n, 0) as nb
                 from a full join b on a.k = b.k and a.h = b.h),
           g as (select k, sum(na - least(na, nb)) as ra, sum(nb - least(na, nb)) as rb from j group by k)
      select coalesce(sum(case when k = '' then ra else ra - least(ra, rb) end), 0)::int as added,
             coalesce(sum(case when k = '' then rb else rb - least(ra, rb) end), 0)::int as removed,
             coalesce(sum(case when k = '' then 0 else least(ra, rb) end), 0)::int as changed
      from g`.execute(trx);
    const row = r.rows[0];
    return withTypeChanges(
      { added: row?.added ?? 0, removed: row?.removed ?? 0, changed: row?.changed ?? 0, by: 'key' },
      await typeChanges(trx, distributionId, previous, current, shared),
    );
  }
  const r = await sql<{ added: number; removed: number }>`
    select (select count(*) from (select ${hash} from ${after} except all select ${hash} from ${before}) x)::int as added,
           (select count(*) from (select ${hash} from ${before} except all select ${hash} from ${after}) y)::int as removed`.execute(
    trx,
  );
  return withTypeChanges(
    { added: r.rows[0]?.added ?? 0, removed: r.rows[0]?.removed ?? 0, changed: 0, by: 'row' },
    await typeChanges(trx, distributionId, previous, current, shared),
  );
}

/**
 * The widened columns' examples with their row in the file just loaded, so the load report names
 * them as it names its issues and disagreeing values. A replace numbers its rows _id 1… in file
 * order and an append after the previous version's highest _id; an upsert keeps matched rows' _ids,
 * so there only the _id is given.
 */
export async function withFileRows(
  trx: Db,
  summary: VersionSummary,
  how: {
    mode: LoadMode;
    distributionId: string;
    previous: number;
    fileRow?: ((staged: number) => number) | undefined;
  },
): Promise<VersionSummary> {
  const { fileRow } = how;
  if (!summary.typeChanges || !fileRow || how.mode === 'upsert') return summary;
  let base = 0;
  if (how.mode === 'append') {
    const r = await sql<{ m: number | string }>`select coalesce(max(_id), 0) as m
      from ${versionTable(how.distributionId, how.previous)}`.execute(trx);
    base = Number(r.rows[0]?.m ?? 0);
  }
  return {
    ...summary,
    typeChanges: summary.typeChanges.map((c) => ({
      ...c,
      examples: c.examples.map((e) => (e.id > base ? { ...e, row: fileRow(e.id - base) } : e)),
    })),
  };
}

const withTypeChanges = (summary: VersionSummary, changes: TypeChange[]): VersionSummary =>
  changes.length ? { ...summary, typeChanges: changes } : summary;

export interface Publication {
  distributionId: string;
  datasetId: string;
  departmentId: string;
  loadId: string | null;
  version: number;
  mode: LoadMode;
  rows: number;
  columns: DictionaryColumn[];
  key: string[];
  checksum: string | null;
  sourceName: string | null;
  summary: VersionSummary | null;
  keep: number;
  actor: Actor;
}

/** Makes the built version current and forgets the oldest beyond `keep`. */
export async function publishVersion(trx: Db, p: Publication): Promise<void> {
  await replaceViews(trx, p.distributionId, p.version, p.columns);
  await insertVersion(trx, {
    distribution_id: p.distributionId,
    version: p.version,
    load_id: p.loadId,
    mode: p.mode,
    row_count: p.rows,
    checksum: p.checksum,
    source_name: p.sourceName,
    columns: p.columns,
    summary: p.summary ? { ...p.summary } : {},
    actor_id: p.actor.personId || null,
    actor_label: p.actor.username,
  });
  await updateTableRow(trx, p.distributionId, {
    current_version: p.version,
    row_count: p.rows,
    columns: p.columns,
    key_columns: p.key,
  });
  const old = (await versionsBeyond(trx, p.distributionId, p.keep)).map((v) => v.version);
  for (const v of old) await sql`drop table if exists ${versionTable(p.distributionId, v)}`.execute(trx);
  await markDropped(trx, p.distributionId, old);
  await notifyVersionPublished(trx, {
    distributionId: p.distributionId,
    datasetId: p.datasetId,
    version: p.version,
    rowCount: p.rows,
    mode: p.mode,
    summary: p.summary,
  });
  await auditAction(trx, p.actor, undefined, {
    action: 'datastore.version.created',
    target: { type: 'distribution', id: p.distributionId },
    departmentId: p.departmentId,
    details: {
      datasetId: p.datasetId,
      version: p.version,
      mode: p.mode,
      rows: p.rows,
      loadId: p.loadId,
      checksum: p.checksum,
      ...(p.summary ? { summary: p.summary } : {}),
      ...(old.length ? { droppedVersions: old } : {}),
    },
  });
}
