import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { loadDemo } from '../../../demo/index.ts';
import { verifyAudit } from '../modules/audit/index.ts';
import { rebuildSearchIndex } from '../modules/catalog/index.ts';
import { createApiToken, findPersonByUsername } from '../modules/identity/index.ts';
import { keyIdOf, sequenceAudit } from '../platform/audit/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import { createBackup, restoreBackup } from '../platform/backup.ts';
import { openContext } from '../platform/boot.ts';
import type { Config } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { DataDirLockedError, describeLockHolder, lockOwner } from '../platform/db-lock.ts';
import { auditAction } from '../platform/http/audit-action.ts';
import { migrateToLatest } from '../platform/migrate.ts';
import { describeDatabase, formatDemoAccounts } from './output.ts';

/** Where a command writes: stdout for results (scripts read it), stderr for notes. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** A failure the user can act on: printed as one line, no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Refuses, without touching the data directory, when a live process holds the embedded database;
 * checked before anything is opened so that even secrets.json is left alone.
 */
function refuseIfLocked(config: Config) {
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

export async function migrateCommand(config: Config, io: Io): Promise<number> {
  return withContext(
    config,
    'migrate',
    async (ctx) => {
      const applied = await migrateToLatest(ctx.db);
      if (applied.length === 0)
        io.out(`The database is up to date (${describeDatabase(config.databaseUrl, config.dataDir)}).`);
      else io.out(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
      return 0;
    },
    false,
  );
}

export async function demoCommand(config: Config, io: Io): Promise<number> {
  return withContext(config, 'demo', async (ctx) => {
    const summary = await loadDemo(ctx);
    if (!summary) throw new CliError('The demo city was not loaded');
    const { created, catalog, exchange } = summary;
    io.out(
      created.departments + created.people + created.roles + catalog.created + exchange.created === 0
        ? `The demo city is already loaded: ${summary.departments} departments, ${summary.people} people, ${catalog.resources} catalog resources, ${exchange.requests} exchange requests.`
        : `Loaded the demo city: created ${created.departments} departments, ${created.people} people, ${created.roles} role assignments, ${catalog.created} catalog resources, ${exchange.created} exchange requests (${exchange.calls} gateway calls logged).`,
    );
    io.out('');
    io.out(formatDemoAccounts(summary.accounts));
    return 0;
  });
}

function readPublicKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`Cannot read a public key from ${file}: ${(err as Error).message}`, 2);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CliError(`${file} is not an Ed25519 public key`, 2);
  return key;
}

export async function auditVerifyCommand(
  config: Config,
  io: Io,
  opts: { publicKey?: string },
): Promise<number> {
  const key = opts.publicKey ? readPublicKey(opts.publicKey) : undefined;
  return withContext(config, 'audit verify', async (ctx) => {
    const result = await verifyAudit(ctx, systemActor('cli'), {}, key ?? ctx.signer.publicKey);
    const keyId = keyIdOf(key ?? ctx.signer.publicKey);
    if (result.ok) {
      io.out(`verified ${result.verified} entries, ${result.checkpointsChecked} checkpoints (key ${keyId})`);
      return 0;
    }
    const p = result.problem!;
    io.out(`audit log broken at entry ${p.seq} (${p.kind}): ${p.message}`);
    io.out(
      `verified ${result.verified} entries before it, ${result.checkpointsChecked} checkpoints (key ${keyId})`,
    );
    return 1;
  });
}

export async function catalogReindexCommand(config: Config, io: Io): Promise<number> {
  return withContext(config, 'catalog reindex', async (ctx) => {
    const report = await rebuildSearchIndex(ctx.db, {
      onProgress: (rows) => io.err(`  ${rows} resources indexed`),
    });
    await auditAction(ctx.db, systemActor('cli'), undefined, {
      action: 'catalog.search.rebuild',
      details: { rows: report.rows, seconds: Math.round(report.seconds * 10) / 10 },
    });
    io.out(`Rebuilt the search index of ${report.rows} resources in ${report.seconds.toFixed(1)} s.`);
    return 0;
  });
}

export async function userTokenCommand(
  config: Config,
  io: Io,
  username: string,
  opts: { name?: string; expiresDays?: number },
): Promise<number> {
  return withContext(config, 'user token', async (ctx) => {
    const person = await findPersonByUsername(ctx, username);
    if (!person) throw new CliError(`No person with the username "${username}"`);
    const name = opts.name ?? 'cli';
    const { token, apiToken } = await createApiToken(ctx, systemActor('cli'), person.id, {
      name,
      expiresInDays: opts.expiresDays ?? null,
    });
    io.out(token);
    io.err(
      `API token "${name}" for ${person.username} created` +
        `${apiToken.expiresAt ? `, valid until ${apiToken.expiresAt}` : ', without expiry'}. It is shown only this once.`,
    );
    return 0;
  });
}

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
