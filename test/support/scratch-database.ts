import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testDatabaseUrl } from '../../src/server/platform/config.ts';

// A database of one test file's own on the suite's PostgreSQL server (DATABASE_URL), so files run in
// parallel without seeing each other's rows. On the embedded engine there is nothing to create.

export interface ScratchDatabase {
  /** Connection string of the new database; undefined when the suite runs on PGlite. */
  url: string | undefined;
  /** Drops the database once its last client has gone. */
  drop(): Promise<void>;
}

/** Runs one statement on the suite's server (create/drop database and the like). */
export async function adminQuery(query: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: testDatabaseUrl() });
  await c.connect();
  try {
    return await c.query(query, params);
  } finally {
    await c.end();
  }
}

/** A fresh, empty database named `<prefix>_<random>` when DATABASE_URL is set. */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const baseUrl = testDatabaseUrl();
  if (!baseUrl) return { url: undefined, drop: async () => {} };
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      // pg's Pool.end() resolves before its clients have said goodbye; forcing the drop while one is
      // still connected kills it with FATAL 57P01, an unhandled error that fails the run. Wait for them.
      for (let i = 0; i < 50; i++) {
        const { rows } = await adminQuery(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
