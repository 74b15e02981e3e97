import { sql } from 'kysely';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import type { Db } from '../../platform/db.ts';
import { columnAccess, effectiveMask, READER_CLASSES, type ReaderClass } from './datastore.policy.ts';
import { liveTable, MASKED_SCHEMA, versionTable } from './table-names.ts';
import { maskExpression } from './types/index.ts';

// The views callers read through. `datastore."<id>"` shows the current version whole, for the
// provider's stewards; for everyone else an access view per class of reader applies the dictionary:
// masked columns are masked in SQL and hidden ones are left out, so neither datastore_search nor
// datastore_search_sql can reach a value the caller may not see.

/** How each column appears to a class of reader. */
export const columnsFor = (cls: ReaderClass, columns: readonly DictionaryColumn[]) =>
  columns
    .map((c) => ({ column: c, access: columnAccess(cls, c.sensitivity) }))
    .filter((c) => c.access !== 'hidden');

/** The relation a class of reader queries: the live view for stewards, an access view otherwise. */
export const relationFor = (distributionId: string, cls: ReaderClass) =>
  cls === 'steward' ? liveTable(distributionId) : sql.id(MASKED_SCHEMA, accessViewName(distributionId, cls));

export const accessViewName = (distributionId: string, cls: ReaderClass) => `${distributionId}:${cls}`;

/** The same relation as quoted text, for SQL that callers write (datastore_search_sql). */
export const relationTextFor = (distributionId: string, cls: ReaderClass) =>
  cls === 'steward'
    ? `"datastore"."${distributionId}"`
    : `"${MASKED_SCHEMA}"."${accessViewName(distributionId, cls)}"`;

/** Points the live view and the access views at `version`, with the dictionary's masking. */
export async function replaceViews(
  trx: Db,
  distributionId: string,
  version: number,
  columns: readonly DictionaryColumn[],
): Promise<void> {
  await dropViews(trx, distributionId);
  const source = versionTable(distributionId, version);
  await sql`create view ${liveTable(distributionId)} as select * from ${source}`.execute(trx);
  for (const cls of READER_CLASSES) {
    if (cls === 'steward') continue;
    await sql`create view ${relationFor(distributionId, cls)} as
      select ${accessSelectList(cls, columns)} from ${source}`.execute(trx);
  }
}

/** `_id` and the columns a class of reader sees, masked where the dictionary says. */
export function accessSelectList(cls: ReaderClass, columns: readonly DictionaryColumn[]) {
  const select = columnsFor(cls, columns).map(({ column, access }) =>
    access === 'clear'
      ? sql`${sql.id(column.id)}`
      : sql`${maskExpression(sql.id(column.id), effectiveMask(column.mask))} as ${sql.id(column.id)}`,
  );
  return sql.join([sql`_id`, ...select]);
}

export async function dropViews(trx: Db, distributionId: string): Promise<void> {
  await sql`drop view if exists ${liveTable(distributionId)}`.execute(trx);
  for (const cls of READER_CLASSES) {
    if (cls !== 'steward') await sql`drop view if exists ${relationFor(distributionId, cls)}`.execute(trx);
  }
}
