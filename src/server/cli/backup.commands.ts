import fs from 'node:fs';
import { createBackup, restoreBackup } from '../platform/backup.ts';
import type { Config } from '../platform/config.ts';
import { describeLockHolder } from '../platform/db-lock.ts';
import type { Io } from './cli-error.ts';
import { refuseIfLocked, withContext } from './with-context.ts';

// `civitas backup` and `civitas restore`, apart from the other commands so that a restore (which opens
// no application context) loads only what it uses.

export async function backupCommand(config: Config, io: Io, file: string): Promise<number> {
  return withContext(config, 'backup', async (ctx) => {
    const manifest = await createBackup(ctx, file);
    const size = fs.statSync(file).size;
    io.out(
      `Backup written to ${file} (${(size / 1024 / 1024).toFixed(1)} MB): ${manifest.engine} database, ` +
        `${manifest.auditHead.seq} audit entries, ${manifest.entries.length} files.`,
    );
    const fromEnv = Object.entries(config.secrets).filter(([, v]) => v !== undefined);
    if (fromEnv.length > 0) {
      io.err(
        'Note: some secrets come from the environment (CIVITAS_*_KEY); they are not in the backup. Keep them with it.',
      );
    }
    io.err('The backup holds the encryption keys: store it as carefully as the database itself.');
    return 0;
  });
}

export async function restoreCommand(config: Config, io: Io, file: string): Promise<number> {
  describeLockHolder('restore');
  refuseIfLocked(config);
  const result = await restoreBackup(config, file);
  const m = result.manifest;
  io.out(`Restored the backup made ${m.createdAt}: ${m.engine} database, ${m.auditHead.seq} audit entries.`);
  if (result.previousDataDir) io.out(`The replaced data directory is kept at ${result.previousDataDir}`);
  if (result.previousDatabase) io.out(`The replaced database is kept as "${result.previousDatabase}"`);
  io.out('Check it with: civitas audit verify');
  return 0;
}
