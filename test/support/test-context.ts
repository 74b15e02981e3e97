import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/server/platform/config.ts';
import { type AppContext, createContext } from '../../src/server/platform/context.ts';
import { openDatabase } from '../../src/server/platform/db.ts';
import { migrateToLatest } from '../../src/server/platform/migrate.ts';
import { ephemeralSecrets } from '../../src/server/platform/secrets.ts';
import { scratchDatabase } from './scratch-database.ts';

export interface TestContext extends AppContext {
  /** Closes the database and drops it (PostgreSQL) — call in afterAll. */
  dispose(): Promise<void>;
}

/**
 * A migrated, empty database of its own for one test file: in-memory PGlite by default, a fresh
 * PostgreSQL database when DATABASE_URL is set (CI runs the suite both ways). Never a mock.
 */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const config: Config = {
    ...loadConfig({ dataDir: path.join(os.tmpdir(), `civitas-test-${randomBytes(4).toString('hex')}`) }, {}),
    logLevel: 'silent',
    demoOnEmpty: false,
    // Harvest tests serve their sources from this machine.
    harvestAllowInternal: true,
    // Exchange webhook tests receive on this machine.
    exchangeWebhookAllowPrivate: true,
    ...overrides,
  };
  const scratch = await scratchDatabase('civitas_t');
  const databaseUrl = scratch.url;
  const database = await openDatabase({ databaseUrl, poolSize: 5 });
  await migrateToLatest(database.db);
  const ctx = createContext({ ...config, databaseUrl }, database, ephemeralSecrets());
  return {
    ...ctx,
    dispose: async () => {
      await database.close();
      await scratch.drop();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
