import type { Config } from './config.ts';
import { type AppContext, createContext } from './context.ts';
import { type DatabaseHandle, openDatabase, pgliteDirOf } from './db.ts';
import { migrateToLatest } from './migrate.ts';
import { loadSecrets } from './secrets.ts';

/** Opens the configured database (locking the embedded one), loads secrets and migrates: what every command needs. */
export async function openContext(config: Config, options: { migrate?: boolean } = {}): Promise<AppContext> {
  const secrets = loadSecrets(config);
  const database: DatabaseHandle = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : pgliteDirOf(config.dataDir),
  });
  try {
    if (options.migrate !== false) await migrateToLatest(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return createContext(config, database, secrets);
}
