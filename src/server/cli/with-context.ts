import { sequenceAudit } from '../platform/audit/index.ts';
import { openContext } from '../platform/boot.ts';
import type { Config } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { DataDirLockedError, describeLockHolder, lockOwner } from '../platform/db-lock.ts';

/**
 * Refuses, without touching the data directory, when a live process holds the embedded database;
 * checked before anything is opened so that even secrets.json is left alone.
 */
export function refuseIfLocked(config: Config) {
  if (config.databaseUrl) return;
  const owner = lockOwner(config.dataDir);
  if (owner) throw new DataDirLockedError(config.dataDir, owner);
}

/** Opens the configured database for a command (refusing while a server holds the embedded one), runs fn, closes. */
export async function withContext<T>(
  config: Config,
  command: string,
  fn: (ctx: AppContext) => Promise<T>,
  migrate = true,
): Promise<T> {
  describeLockHolder(command);
  refuseIfLocked(config);
  const ctx = await openContext(config, { migrate });
  try {
    const result = await fn(ctx);
    // What the command recorded gets its place in the chain now, not at the next server start.
    if (migrate) await sequenceAudit(ctx.db);
    return result;
  } finally {
    await ctx.database.close();
  }
}
