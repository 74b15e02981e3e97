import { spawn } from 'node:child_process';
import pg from 'pg';
import { BackupError } from './backup-archive.ts';
import { processEnvironment } from './config.ts';

// PostgreSQL backups use the server's own tools (custom format: compressed, restorable table by
// table). The password travels in the environment, never on a command line other users can read.

function connection(url: string, database?: string) {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  if (database) u.pathname = `/${encodeURIComponent(database)}`;
  return {
    dbname: u.toString(),
    env: password ? { ...processEnvironment(), PGPASSWORD: password } : processEnvironment(),
  };
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

/** pg_dump in custom format to `file`. */
export async function pgDump(url: string, file: string): Promise<void> {
  const c = connection(url);
  await run(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-acl', `--file=${file}`, `--dbname=${c.dbname}`],
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
export async function pgRestoreInto(url: string, database: string, file: string): Promise<void> {
  const c = connection(url, database);
  await run(
    'pg_restore',
    ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', `--dbname=${c.dbname}`, file],
    c.env,
  );
}

/** Runs `fn` with a client connected to another database of the same server. */
export async function withDatabase<T>(
  url: string,
  database: string,
  fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Refuses early, before any work, when other sessions use the database (the rename would wait, then fail). */
export async function assertUnused(url: string, live: string): Promise<void> {
  const res = await withDatabase(url, 'postgres', (c) =>
    c.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [live],
    ),
  );
  if ((res.rows[0]?.n ?? 0) > 0) throw inUse(live);
}

const inUse = (live: string) =>
  new BackupError(
    `The database "${live}" is in use. Stop every Civitas server (and other clients) using it, then restore again.`,
  );

/** Renames live → keep and temp → live in one transaction: other sessions see the old or the new, never neither. */
export async function swapDatabases(url: string, live: string, temp: string, keep: string): Promise<void> {
  await withDatabase(url, 'postgres', async (c) => {
    try {
      await c.query('begin');
      await c.query(`alter database ${ident(live)} rename to ${ident(keep)}`);
      await c.query(`alter database ${ident(temp)} rename to ${ident(live)}`);
      await c.query('commit');
    } catch (err) {
      await c.query('rollback').catch(() => {});
      if ((err as { code?: string }).code === '55006') {
        throw inUse(live);
      }
      throw err;
    }
  });
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await withDatabase(url, 'postgres', (c) => c.query(`drop database if exists ${ident(name)}`));
}
