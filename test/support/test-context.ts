import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Config, loadConfig, testDatabaseUrl } from '../../src/server/platform/config.ts';
import { type AppContext, createContext } from '../../src/server/platform/context.ts';
import { openDatabase } from '../../src/server/platform/db.ts';
import { migrateToLatest } from '../../src/server/platform/migrate.ts';
import { ephemeralSecrets } from '../../src/server/platform/secrets.ts';

export interface TestContext extends AppContext {
  /** Closes the database and drops it (PostgreSQL) — call in afterAll. */
  dispose(): Promise<void>;
}

/**
 * A migrated, empty database of its own for one test file: in-memory PGlite by default, a fresh
 * PostgreSQL database when DATABASE_URL is set (CI runs the suite both ways). Never a mock.
 */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const baseUrl = testDatabaseUrl();
  const config: Config = {
    ...loadConfig({ dataDir: path.join(os.tmpdir(), `civitas-test-${randomBytes(4).toString('hex')}`) }, {}),
    logLevel: 'silent',
    demoOnEmpty: false,
    // Harvest tests serve their sources from this machine.
    harvestAllowInternal: true,
    ...overrides,
  };
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (baseUrl) {
    const name = `civitas_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      // pg's Pool.end() resolves before its clients have said goodbye; forcing the drop while one is
      // still connected kills it with FATAL 57P01, an unhandled error that fails the run. Wait for them.
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
          name,
        ]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const database = await openDatabase({ databaseUrl, poolSize: 5 });
  await migrateToLatest(database.db);
  const ctx = createContext({ ...config, databaseUrl }, database, ephemeralSecrets());
  return {
    ...ctx,
    dispose: async () => {
      await database.close();
      await dropDatabase();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
