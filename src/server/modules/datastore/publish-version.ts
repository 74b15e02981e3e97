import { sql } from 'kysely';
import type { DictionaryColumn, LoadMode } from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import { replaceViews } from './access-views.ts';
import { insertVersion, markDropped, updateTableRow, versionsBeyond } from './datastore.repository.ts';
import { versionTable } from './table-names.ts';
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
}

/** Rows added, removed and changed between two versions, over the columns both have. */
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
    const keys = sql.join(key.map((k) => sql`${sql.id(k)}::text as ${sql.id(k)}`));
    const using = sql.join(key.map((k) => sql.id(k)));
    const r = await sql<{ added: number; removed: number; changed: number }>`
      with a as (select distinct on (${using}) ${keys}, ${hash} as h from ${after}),
           b as (select distinct on (${using}) ${keys}, ${hash} as h from ${before})
      select count(*) filter (where b.h is null)::int as added,
             count(*) filter (where a.h is null)::int as removed,
             count(*) filter (where a.h <> b.h)::int as changed
      from a full join b using (${using})`.execute(trx);
    const row = r.rows[0];
    return { added: row?.added ?? 0, removed: row?.removed ?? 0, changed: row?.changed ?? 0, by: 'key' };
  }
  const r = await sql<{ added: number; removed: number }>`
    select (select count(*) from (select ${hash} from ${after} except all select ${hash} from ${before}) x)::int as added,
           (select count(*) from (select ${hash} from ${before} except all select ${hash} from ${after}) y)::int as removed`.execute(
    trx,
  );
  return { added: r.rows[0]?.added ?? 0, removed: r.rows[0]?.removed ?? 0, changed: 0, by: 'row' };
}

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
