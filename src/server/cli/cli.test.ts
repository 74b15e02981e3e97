import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { appendAudit, checkpointIfNeeded } from '../platform/audit/index.ts';
import { openContext } from '../platform/boot.ts';
import { type Config, loadConfig, processEnvironment, testDatabaseUrl } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';

// The real command, spawned the way users run it (bin/civitas.mjs on this Node), against the
// suite's engine: a temporary embedded data directory, or a fresh PostgreSQL database.

const BIN = fileURLToPath(new URL('../../../bin/civitas.mjs', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-cli-'));
const dataDir = path.join(root, 'data');
const baseUrl = testDatabaseUrl();
let databaseUrl: string | undefined;
let dbName: string | undefined;

async function admin(query: string) {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  await c.query(query).finally(() => c.end());
}

beforeAll(async () => {
  if (baseUrl) {
    dbName = `civitas_cli_${randomBytes(4).toString('hex')}`;
    await admin(`create database ${dbName}`);
    const u = new URL(baseUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
});
afterAll(async () => {
  if (dbName) {
    // `restore` keeps the replaced database as <name>_before_<time>: drop those too.
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    const left = await c.query<{ datname: string }>('select datname from pg_database where datname like $1', [
      `${dbName}%`,
    ]);
    await c.end();
    for (const row of left.rows) await admin(`drop database if exists "${row.datname}" with (force)`);
  }
  fs.rmSync(root, { recursive: true, force: true });
});

/** Environment of a child: only what Civitas reads, so the developer's own settings cannot leak in. */
function envFor(extra: Record<string, string | undefined> = {}, engine: 'suite' | 'embedded' = 'suite') {
  const env: Record<string, string> = {
    PATH: processEnvironment().PATH ?? '',
    HOME: os.homedir(),
    CIVITAS_DEMO: 'false',
  };
  if (engine === 'suite' && databaseUrl) env.DATABASE_URL = databaseUrl;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A command taking longer than this has hung: it is killed and the test fails saying where. */
const COMMAND_LIMIT_MS = 45_000;

/** What the PostgreSQL server's other sessions are doing and waiting for (for a hung command's report). */
async function serverSessions(): Promise<string> {
  if (!baseUrl) return '';
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    const res = await c.query<Record<string, unknown>>(
      `select pid, datname, application_name, state, wait_event_type, wait_event, left(query, 120) as query
       from pg_stat_activity where pid <> pg_backend_pid() and state is distinct from 'idle'`,
    );
    return JSON.stringify(res.rows, null, 1);
  } finally {
    await c.end();
  }
}

function civitas(
  args: string[],
  env = envFor(),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Once, on PostgreSQL, `restore` ran past the test's minute with nothing to show why.
    const hung = setTimeout(() => {
      void serverSessions()
        .catch((e: Error) => `(sessions unavailable: ${e.message})`)
        .then((sessions) => {
          child.kill('SIGKILL');
          reject(
            new Error(
              `civitas ${args.join(' ')} still running after ${COMMAND_LIMIT_MS / 1000} s\n` +
                `stdout: ${stdout}\nstderr: ${stderr}\nserver sessions: ${sessions}`,
            ),
          );
        });
    }, COMMAND_LIMIT_MS);
    child.on('error', (e) => {
      clearTimeout(hung);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(hung);
      resolve({ code, stdout, stderr });
    });
  });
}

const config = (): Config => ({
  ...loadConfig({ dataDir }, {}),
  databaseUrl,
  demoOnEmpty: false,
  logLevel: 'silent',
});

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(config());
  try {
    return await fn(ctx);
  } finally {
    await ctx.database.close();
  }
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('civitas CLI', () => {
  it('documents every command with --help', async () => {
    const top = await civitas(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['start', 'migrate', 'demo', 'audit', 'user', 'backup <file>', 'restore <file>']) {
      expect(top.stdout).toContain(command);
    }
    expect(top.stdout).toContain('--data-dir');
    const verify = await civitas(['audit', 'verify', '--help']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('--public-key <pem-file>');
    const token = await civitas(['user', 'token', '--help']);
    expect(token.stdout).toMatch(/--name <name>[\s\S]*--expires-days <days>/);
    const start = await civitas(['start', '--help']);
    expect(start.stdout).toMatch(/--port <port>[\s\S]*--host <host>/);
    const unknown = await civitas(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('lists every configuration problem at once and exits 2 without a stack trace', async () => {
    const res = await civitas(
      ['migrate', '--data-dir', dataDir],
      envFor({ PORT: 'abc', CIVITAS_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://db/x' }),
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('configuration has problems');
    expect(res.stderr).toContain('DATABASE_URL must start with postgres://');
    expect(res.stderr).toContain('CIVITAS_LOG_LEVEL must be one of');
    expect(res.stderr).toContain('port (--port / PORT) must be an integer');
    noStack(res.stderr);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('migrates, then reports the database up to date', async () => {
    const first = await civitas(['migrate', '--data-dir', dataDir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^Applied \d+ migration\(s\): 2026-11-22T0700-identity-and-audit, 2026-11-22T1000-catalog/,
    );
    const again = await civitas(['migrate', '--data-dir', dataDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('The database is up to date');
  });

  it('verifies the audit log (exit 0), and names the first broken entry of a tampered one (exit 1)', async () => {
    await withContext(async (ctx) => {
      for (let i = 1; i <= 5; i++) {
        await ctx.db
          .transaction()
          .execute((trx) =>
            appendAudit(trx, { action: 'test.event', actor: { id: null, label: 'test' }, details: { i } }),
          );
      }
      await checkpointIfNeeded(ctx.db, ctx.signer);
      fs.writeFileSync(path.join(root, 'audit-key.pem'), ctx.signer.publicKeyPem());
    });
    const ok = await civitas(['audit', 'verify', '--data-dir', dataDir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^verified 5 entries, 1 checkpoints/);
    const withKey = await civitas([
      'audit',
      'verify',
      '--data-dir',
      dataDir,
      '--public-key',
      path.join(root, 'audit-key.pem'),
    ]);
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toMatch(/^verified 6 entries, 1 checkpoints/); // the first verification was audited too

    await withContext((ctx) => sql`update audit_log set details = '{"i":99}' where seq = 3`.execute(ctx.db));
    const broken = await civitas(['audit', 'verify', '--data-dir', dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('audit log broken at entry 3 (changed)');
    expect(broken.stdout).toContain('verified 2 entries before it');
    await withContext((ctx) => sql`update audit_log set details = '{"i":3}' where seq = 3`.execute(ctx.db));
  });

  it('prints only a new API token on stdout, and the token authenticates', async () => {
    const personId = randomUUID();
    await withContext((ctx) =>
      ctx.db
        .insertInto('people')
        .values({
          id: personId,
          username: 'alice',
          kind: 'staff',
          display_name: 'Alice',
          password_hash: 'x',
          is_platform_admin: true,
        })
        .execute(),
    );
    const res = await civitas([
      'user',
      'token',
      'alice',
      '--name',
      'ci',
      '--expires-days',
      '7',
      '--data-dir',
      dataDir,
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^cvt_[A-Za-z0-9_-]+\n$/);
    expect(res.stderr).toContain('API token "ci" for alice created, valid until');
    const token = res.stdout.trim();

    const missing = await civitas(['user', 'token', 'nobody', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('No person with the username "nobody"');

    await withContext(async (ctx) => {
      const app = await buildApp(ctx, { logger: false });
      try {
        const me = await app.inject({
          method: 'GET',
          url: '/api/audit?limit=1',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(me.statusCode).toBe(200);
        const forged = await app.inject({
          method: 'GET',
          url: '/api/audit',
          headers: { authorization: `Bearer ${token}x` },
        });
        expect(forged.statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });
  });

  // Three commands, each of which may take a while on a loaded machine (pg_dump, pg_restore).
  it('backs up and restores through the command line', { timeout: 150_000 }, async () => {
    const file = path.join(root, 'cli-backup.tar.gz');
    const backup = await civitas(['backup', file, '--data-dir', dataDir]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backup written to .*cli-backup\.tar\.gz/);
    await withContext((ctx) => sql`delete from people where username = 'alice'`.execute(ctx.db));
    const restore = await civitas(['restore', file, '--data-dir', dataDir]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('The replaced data directory is kept at');
    const back = await withContext((ctx) => ctx.db.selectFrom('people').select('username').execute());
    expect(back.map((p) => p.username)).toEqual(['alice']);

    const damaged = path.join(root, 'damaged.tar.gz');
    fs.writeFileSync(damaged, fs.readFileSync(file).subarray(0, 2000));
    const refused = await civitas(['restore', damaged, '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /civitas: The backup .*damaged\.tar\.gz is unusable: the archive is truncated/,
    );
    noStack(refused.stderr);
  });

  it('refuses plainly, touching nothing, while a server holds the embedded database', async () => {
    const dir = path.join(root, 'locked');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'secrets.json'), '{}');
    // This test process stands in for a running server: alive, and not the child.
    const owner = { pid: process.pid, command: 'start', port: 8080, startedAt: new Date().toISOString() };
    fs.writeFileSync(path.join(dir, 'civitas.lock'), JSON.stringify(owner));
    const before = fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
    for (const args of [
      ['backup', path.join(root, 'x.tgz')],
      ['restore', path.join(root, 'x.tgz')],
      ['migrate'],
      ['audit', 'verify'],
    ]) {
      const res = await civitas([...args, '--data-dir', dir], envFor({}, 'embedded'));
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`Civitas server is running (process ${process.pid}, port 8080)`);
      expect(res.stderr).toContain('stop it first');
      noStack(res.stderr);
    }
    expect(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])).toEqual(before);
    expect(fs.existsSync(path.join(root, 'x.tgz'))).toBe(false);
  });

  it('reports an unexpected error in one line, with the stack only under --verbose', async () => {
    const notADir = path.join(root, 'a-file');
    fs.writeFileSync(notADir, '');
    const plain = await civitas(['migrate', '--data-dir', notADir], envFor({}, 'embedded'));
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(
      /^civitas: unexpected error: .*\n\(run again with --verbose for details\)\n$/,
    );
    const verbose = await civitas(['migrate', '--verbose', '--data-dir', notADir], envFor({}, 'embedded'));
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('starts, serves, and on SIGTERM stops gracefully with exit 0', async () => {
    const child = spawnCli(
      ['start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
      envFor({ CIVITAS_LOG_LEVEL: 'warn' }),
    );
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /Civitas is running at (http:\/\/\S+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      exited.then(() => reject(new Error(`exited early:\n${stdout}\n${stderr}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    if (!databaseUrl)
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'civitas.lock'), 'utf8')).pid).toBe(child.pid);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('SIGTERM received');
    expect(stdout).toContain('Stopped.');
    expect(fs.existsSync(path.join(dataDir, 'civitas.lock'))).toBe(false);
  });
});
