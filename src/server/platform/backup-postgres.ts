import { spawn } from 'node:child_process';
import pg from 'pg';
import { BackupError } from './backup-archive.ts';
import { processEnvironment } from './config.ts';

// PostgreSQL backups use the server's own tools (custom format: compressed, restorable table by
// table). The password travels in the environment, never on a command line other users can read.
//
// Nothing here may wait forever: a lock held by another session (a database comment or setting being
// changed in an open transaction, a table locked by a forgotten session) makes PostgreSQL wait without
// end by default, and a tool asking for a password waits for a terminal. Every session gives up on a
// lock after LOCK_WAIT_MS with an error naming what it waited for, the tools never prompt, and every
// session names itself (application_name) so pg_stat_activity shows who is who.

/** How long a backup or restore session waits for a lock held by another session before giving up. */
export const LOCK_WAIT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 30_000;

export interface PgOptions {
  /** Lock wait before giving up (tests shorten it); LOCK_WAIT_MS by default. */
  lockWaitMs?: number;
}

function connection(url: string, application: string, database?: string) {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  if (database) u.pathname = `/${encodeURIComponent(database)}`;
  const env: NodeJS.ProcessEnv = { ...processEnvironment(), PGAPPNAME: application };
  if (password) env.PGPASSWORD = password;
  return { dbname: u.toString(), env };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new BackupError(
              `${tool} was not found on PATH. Install the PostgreSQL client tools (Debian/Ubuntu: postgresql-client, ` +
                'the same major version as the server or newer) to back up or restore a PostgreSQL database.',
            )
          : e,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          new BackupError(`${tool} failed (exit ${code}): ${err.trim().split('\n').slice(0, 5).join(' | ')}`),
        );
    });
  });
}

/** pg_dump in custom format to `file`; gives up when a table stays locked by another session. */
export async function pgDump(url: string, file: string, options: PgOptions = {}): Promise<void> {
  const c = connection(url, 'civitas backup');
  const lockWaitMs = options.lockWaitMs ?? LOCK_WAIT_MS;
  await run(
    'pg_dump',
    [
      '--format=custom',
      '--no-owner',
      '--no-acl',
      '--no-password',
      `--lock-wait-timeout=${lockWaitMs}`,
      `--file=${file}`,
      `--dbname=${c.dbname}`,
    ],
    c.env,
  );
}

/** Reads the dump's table of contents: pg_restore refuses a damaged or foreign file here. */
export async function pgRestoreList(file: string): Promise<void> {
  try {
    await run('pg_restore', ['--list', file], processEnvironment());
  } catch (err) {
    if (err instanceof BackupError && err.message.startsWith('pg_restore was not found')) throw err;
    throw new BackupError(`The database dump in the backup is damaged: ${(err as Error).message}`);
  }
}

/** Restores the dump into the (new, empty) database `database`, all or nothing. */
export async function pgRestoreInto(
  url: string,
  database: string,
  file: string,
  options: PgOptions = {},
): Promise<void> {
  const c = connection(url, 'civitas restore', database);
  const lockTimeout = `-c lock_timeout=${options.lockWaitMs ?? LOCK_WAIT_MS}`;
  const env = { ...c.env, PGOPTIONS: c.env.PGOPTIONS ? `${c.env.PGOPTIONS} ${lockTimeout}` : lockTimeout };
  await run(
    'pg_restore',
    [
      '--no-owner',
      '--no-acl',
      '--no-password',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${c.dbname}`,
      file,
    ],
    env,
  );
}

/**
 * Runs `fn` with a client connected to another database of the same server. Its statements give up
 * on a lock after `lockWaitMs` (SQLSTATE 55P03), so a session holding the database cannot make a
 * restore wait forever.
 */
export async function withDatabase<T>(
  url: string,
  database: string,
  fn: (c: pg.Client) => Promise<T>,
  options: PgOptions = {},
): Promise<T> {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  const client = new pg.Client({
    connectionString: u.toString(),
    application_name: 'civitas restore',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: `-c lock_timeout=${options.lockWaitMs ?? LOCK_WAIT_MS}`,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** How long assertUnused waits for sessions that are closing (as PostgreSQL's own rename does). */
const CLOSING_SESSIONS_MS = 5_000;

/**
 * Refuses early, before any work, when other sessions use the database (the rename would wait, then
 * fail). Sessions still going away get a few seconds: pg's Pool.end() resolves before its server
 * sessions have ended, so a program that has just closed its pool may still be listed.
 */
export async function assertUnused(url: string, live: string): Promise<void> {
  await withDatabase(url, 'postgres', async (c) => {
    const deadline = Date.now() + CLOSING_SESSIONS_MS;
    for (;;) {
      const res = await c.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [live],
      );
      if ((res.rows[0]?.n ?? 0) === 0) return;
      if (Date.now() >= deadline) throw inUse(live);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

/** Sessions holding a lock on the database `name` (for the message when waiting for one timed out). */
async function lockHolders(c: pg.Client, name: string): Promise<string> {
  const res = await c
    .query<{ pid: number; app: string; datname: string | null; mode: string }>(
      `select l.pid, coalesce(nullif(a.application_name, ''), a.backend_type, '?') as app, a.datname, l.mode
         from pg_locks l
         left join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'object' and l.granted and l.pid <> pg_backend_pid()
          and l.classid = 'pg_database'::regclass
          and l.objid = (select oid from pg_database where datname = $1)`,
      [name],
    )
    .catch(() => ({ rows: [] }));
  return res.rows
    .map((r) => `process ${r.pid} (${r.app}${r.datname ? ` on "${r.datname}"` : ''}, ${r.mode})`)
    .join(', ');
}

const lockTimedOut = (err: unknown) => (err as { code?: string }).code === '55P03';

/** A lock wait that timed out, as an error the operator can act on. */
async function lockError(c: pg.Client, name: string, what: string, options: PgOptions) {
  const holders = await lockHolders(c, name);
  return new BackupError(
    `Gave up ${what} after waiting ${Math.round((options.lockWaitMs ?? LOCK_WAIT_MS) / 1000)} s for a lock on ` +
      `the database "${name}" held by another session${holders ? `: ${holders}` : ''}. ` +
      'Nothing was changed; end that session (or its transaction), then restore again.',
  );
}

const inUse = (live: string) =>
  new BackupError(
    `The database "${live}" is in use. Stop every Civitas server (and other clients) using it, then restore again.`,
  );

/** Renames live → keep and temp → live in one transaction: other sessions see the old or the new, never neither. */
export async function swapDatabases(
  url: string,
  live: string,
  temp: string,
  keep: string,
  options: PgOptions = {},
): Promise<void> {
  await withDatabase(
    url,
    'postgres',
    async (c) => {
      let renaming = live;
      try {
        await c.query('begin');
        await c.query(`alter database ${ident(live)} rename to ${ident(keep)}`);
        renaming = temp;
        await c.query(`alter database ${ident(temp)} rename to ${ident(live)}`);
        await c.query('commit');
      } catch (err) {
        await c.query('rollback').catch(() => {});
        if ((err as { code?: string }).code === '55006') {
          throw inUse(live);
        }
        if (lockTimedOut(err))
          throw await lockError(c, renaming, 'swapping in the restored database', options);
        throw err;
      }
    },
    options,
  );
}

/** Creates the empty database a restore loads into. */
export async function createDatabase(url: string, name: string, options: PgOptions = {}): Promise<void> {
  await withDatabase(
    url,
    'postgres',
    async (c) => {
      try {
        await c.query(`create database ${ident(name)}`);
      } catch (err) {
        if (lockTimedOut(err))
          throw await lockError(c, 'template1', 'creating a database to restore into', options);
        throw err;
      }
    },
    options,
  );
}

export async function dropDatabase(url: string, name: string, options: PgOptions = {}): Promise<void> {
  await withDatabase(url, 'postgres', (c) => c.query(`drop database if exists ${ident(name)}`), options);
}
