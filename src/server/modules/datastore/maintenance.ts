import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { orphanStagingTables } from './datastore.repository.ts';
import { stagingTable } from './table-names.ts';

/** Drops staging tables of loads that are no longer running (left by a crash); returns how many. */
export async function cleanOrphanStaging(db: Db): Promise<number> {
  const orphans = await orphanStagingTables(db);
  for (const name of orphans) await sql`drop table if exists ${stagingTable(name)}`.execute(db);
  return orphans.length;
}
