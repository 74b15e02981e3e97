import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { loadDemo } from '../../../demo/index.ts';
import { verifyAudit } from '../modules/audit/index.ts';
import { rebuildSearchIndex } from '../modules/catalog/index.ts';
import { createApiToken, findPersonByUsername } from '../modules/identity/index.ts';
import { keyIdOf } from '../platform/audit/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Config } from '../platform/config.ts';
import { auditAction } from '../platform/http/audit-action.ts';
import { migrateToLatest } from '../platform/migrate.ts';
import { CliError, type Io } from './cli-error.ts';
import { describeDatabase, formatDemoAccounts } from './output.ts';
import { withContext } from './with-context.ts';

export { backupCommand, restoreCommand } from './backup.commands.ts';
export { CliError, type Io } from './cli-error.ts';
export { withContext } from './with-context.ts';

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
