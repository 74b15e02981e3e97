import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { migrations } from '../migrations/index.ts';
import {
  ArchiveError,
  type ArchiveInput,
  BackupError,
  readTar,
  readTarGz,
  saveEntry,
  sha256File,
  writeTarGz,
} from './backup-archive.ts';
import {
  assertUnused,
  createDatabase,
  dropDatabase,
  type PgOptions,
  pgDump,
  pgRestoreInto,
  pgRestoreList,
  swapDatabases,
  withDatabase,
} from './backup-postgres.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import type { Engine } from './db.ts';
import { acquireDataDirLock } from './db-lock.ts';

/** What a backup holds, written as its first entry (manifest.json). */
export interface BackupManifest {
  format: 'civitas-backup';
  version: 1;
  engine: Engine;
  createdAt: string;
  /** Migrations applied in the backed-up database: a newer backup cannot go into older code. */
  migrations: string[];
  auditHead: { seq: number; hash: string };
  entries: { name: string; size: number; sha256: string }[];
}

export { BackupError };

const PGLITE_ENTRY = 'database/pglite.tar';
const PG_ENTRY = 'database/postgres.dump';
const SECRETS = 'secrets.json';
const SKIP = new Set(['pglite', 'civitas.lock', SECRETS]);
const MARKER = '.restore-complete';

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
/** `base`, or `base-2`, `base-3`… when taken (two restores within one second). */
function unusedPath(base: string): string {
  let candidate = base;
  for (let i = 2; fs.existsSync(candidate); i++) candidate = `${base}-${i}`;
  return candidate;
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Regular files of the data directory besides the database and secrets (uploaded files and the like). */
function dataFiles(dataDir: string, rel = ''): string[] {
  const dir = path.join(dataDir, rel);
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if ((!rel && SKIP.has(entry.name)) || entry.name.endsWith('.tmp')) continue;
    if (entry.isDirectory()) out.push(...dataFiles(dataDir, name));
    else if (entry.isFile()) out.push(name);
  }
  return out;
}

/**
 * Writes one .tar.gz with the database (PGlite data directory dump, or pg_dump custom format), the
 * secrets without which encrypted identifiers are unreadable, and the data directory's other files.
 * Written under a temporary name and renamed, so a crash never leaves a half backup under `file`.
 */
export async function createBackup(ctx: AppContext, file: string): Promise<BackupManifest> {
  const { config, db } = ctx;
  const target = path.resolve(file);
  const partial = `${target}.partial-${process.pid}`;
  const scratch: string[] = [partial];
  try {
    const inputs: ArchiveInput[] = [];
    const entries: BackupManifest['entries'] = [];
    const migrations = await sql<{ name: string }>`select name from civitas_migrations order by name`.execute(
      db,
    );
    const head = await db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();

    if (ctx.database.pglite) {
      await ctx.database.pglite.exec('checkpoint');
      const dump = new Uint8Array(await (await ctx.database.pglite.dumpDataDir('none')).arrayBuffer());
      inputs.push({ name: PGLITE_ENTRY, source: { bytes: dump } });
      entries.push({ name: PGLITE_ENTRY, size: dump.length, sha256: sha256(dump) });
    } else {
      const dumpFile = `${target}.pgdump-${process.pid}`;
      scratch.push(dumpFile);
      await pgDump(config.databaseUrl!, dumpFile);
      inputs.push({ name: PG_ENTRY, source: { file: dumpFile } });
      entries.push({ name: PG_ENTRY, size: fs.statSync(dumpFile).size, sha256: await sha256File(dumpFile) });
    }
    const secretsFile = path.join(config.dataDir, SECRETS);
    if (fs.existsSync(secretsFile)) {
      const bytes = fs.readFileSync(secretsFile);
      inputs.push({ name: SECRETS, source: { bytes }, mode: 0o600 });
      entries.push({ name: SECRETS, size: bytes.length, sha256: sha256(bytes) });
    }
    for (const rel of dataFiles(config.dataDir)) {
      const abs = path.join(config.dataDir, rel);
      inputs.push({ name: `files/${rel}`, source: { file: abs } });
      entries.push({ name: `files/${rel}`, size: fs.statSync(abs).size, sha256: await sha256File(abs) });
    }

    const manifest: BackupManifest = {
      format: 'civitas-backup',
      version: 1,
      engine: ctx.engine,
      createdAt: new Date().toISOString(),
      migrations: migrations.rows.map((r) => r.name),
      auditHead: { seq: head.seq, hash: head.hash },
      entries,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await writeTarGz(partial, [{ name: 'manifest.json', source: { bytes: manifestBytes } }, ...inputs]);
    fs.renameSync(partial, target);
    return manifest;
  } finally {
    for (const f of scratch) fs.rmSync(f, { force: true });
  }
}

/** Reads and checks a backup into `into` (a fresh directory): every entry, its size and its checksum. */
async function unpack(file: string, into: string): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new BackupError(`Backup file not found: ${file}`);
  let manifest: BackupManifest | undefined;
  const seen = new Map<string, { size: number; sha256: string }>();
  try {
    await readTarGz(file, async (entry, data) => {
      if (!manifest) {
        if (entry.name !== 'manifest.json')
          throw new BackupError('this is not a Civitas backup (no manifest.json first)');
        const chunks: Buffer[] = [];
        for await (const c of data) chunks.push(c);
        manifest = parseManifest(Buffer.concat(chunks).toString('utf8'));
        return;
      }
      const expected = manifest.entries.find((e) => e.name === entry.name);
      if (!expected || seen.has(entry.name) || entry.type !== '0') {
        throw new BackupError(`unexpected entry "${entry.name}" in the backup`);
      }
      seen.set(entry.name, await saveEntry(data, path.join(into, 'unpacked', entry.name)));
    });
  } catch (err) {
    if (err instanceof ArchiveError) throw new BackupError(`The backup ${file} is unusable: ${err.message}`);
    if (err instanceof BackupError) throw new BackupError(`The backup ${file} is unusable: ${err.message}`);
    throw err;
  }
  if (!manifest) throw new BackupError(`The backup ${file} is unusable: it is empty`);
  for (const e of manifest.entries) {
    const got = seen.get(e.name);
    if (!got) throw new BackupError(`The backup ${file} is unusable: "${e.name}" is missing`);
    if (got.size !== e.size || got.sha256 !== e.sha256) {
      throw new BackupError(`The backup ${file} is unusable: "${e.name}" does not match its checksum`);
    }
  }
  return manifest;
}

function parseManifest(text: string): BackupManifest {
  let m: BackupManifest;
  try {
    m = JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError('manifest.json is not valid JSON');
  }
  if (m.format !== 'civitas-backup') throw new BackupError('this is not a Civitas backup');
  if (m.version !== 1)
    throw new BackupError(`backup format version ${m.version} is not supported by this Civitas`);
  if (!Array.isArray(m.entries) || !m.auditHead || (m.engine !== 'pglite' && m.engine !== 'postgres')) {
    throw new BackupError('manifest.json is incomplete');
  }
  for (const e of m.entries) {
    if (typeof e.name !== 'string' || e.name.startsWith('/') || e.name.split('/').includes('..')) {
      throw new BackupError(`unsafe path "${e.name}" in the backup`);
    }
  }
  return m;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the replaced data directory is kept (undefined when there was none). */
  previousDataDir: string | undefined;
  /** PostgreSQL: the name under which the replaced database is kept. */
  previousDatabase: string | undefined;
}

/**
 * Restores a backup. Refuses while a server holds the embedded database; checks the whole archive and
 * loads the database into a temporary place first; only then swaps it in with renames, keeping the
 * previous data directory as `<dataDir>.before-restore-<time>` (and on PostgreSQL the previous
 * database as `<name>_before_<time>`). Nothing is changed when it throws before the swap.
 */
export async function restoreBackup(
  config: Config,
  file: string,
  now = new Date(),
  options: PgOptions = {},
): Promise<RestoreResult> {
  const dataDir = config.dataDir;
  const existed = fs.existsSync(dataDir);
  const lock = config.databaseUrl ? undefined : acquireDataDirLock(dataDir);
  const work = `${dataDir}.restore-${process.pid}-${stamp(now)}`;
  const staged = `${work}.ready`;
  try {
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true, mode: 0o700 });
    const manifest = await unpack(path.resolve(file), work);
    const engine: Engine = config.databaseUrl ? 'postgres' : 'pglite';
    if (manifest.engine !== engine) {
      throw new BackupError(
        `This backup holds an ${manifest.engine === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL'} database, ` +
          `but Civitas is configured for ${engine === 'pglite' ? 'the embedded database' : 'PostgreSQL'}; ` +
          'restore it with the same kind of database it came from.',
      );
    }
    const unknown = manifest.migrations.filter((m) => !(m in migrations));
    if (unknown.length > 0) {
      throw new BackupError(
        `This backup was made by a newer Civitas (its database has migrations this version does not know: ${unknown.join(', ')}). ` +
          'Upgrade Civitas first, then restore.',
      );
    }
    const fresh = path.join(work, 'data');
    fs.mkdirSync(fresh, { mode: 0o700 });
    for (const e of manifest.entries) {
      const from = path.join(work, 'unpacked', e.name);
      if (e.name === SECRETS) fs.renameSync(from, path.join(fresh, SECRETS));
      else if (e.name.startsWith('files/')) {
        const to = path.join(fresh, e.name.slice('files/'.length));
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.renameSync(from, to);
      }
    }

    let previousDatabase: string | undefined;
    if (engine === 'pglite') {
      await loadPglite(path.join(work, 'unpacked', PGLITE_ENTRY), path.join(fresh, 'pglite'), manifest);
    } else {
      previousDatabase = await restorePostgres(
        config.databaseUrl!,
        path.join(work, 'unpacked', PG_ENTRY),
        manifest,
        now,
        options,
      );
    }

    // The swap: a marker says the new directory is complete, so an interrupted swap can be finished.
    fs.writeFileSync(path.join(fresh, MARKER), now.toISOString());
    const lockFile = path.join(dataDir, 'civitas.lock');
    if (lock && fs.existsSync(lockFile)) fs.copyFileSync(lockFile, path.join(fresh, 'civitas.lock'));
    fs.renameSync(fresh, staged);
    let previousDataDir: string | undefined;
    if (existed) {
      previousDataDir = unusedPath(`${dataDir}.before-restore-${stamp(now)}`);
      fs.renameSync(dataDir, previousDataDir);
      fs.rmSync(path.join(previousDataDir, 'civitas.lock'), { force: true });
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true }); // only what the lock created
    }
    fs.renameSync(staged, dataDir);
    fs.rmSync(path.join(dataDir, MARKER), { force: true });
    return { manifest, previousDataDir, previousDatabase };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    // A staged copy that never replaced the data directory is garbage; one that did is the data directory.
    if (fs.existsSync(staged) && fs.existsSync(dataDir)) fs.rmSync(staged, { recursive: true, force: true });
    lock?.release();
  }
}

/** Loads the PGlite dump into `dir` and checks that the database opens and matches the manifest. */
async function loadPglite(dumpFile: string, dir: string, manifest: BackupManifest) {
  // PGlite aborts the process on a malformed tar, so check its structure ourselves first.
  try {
    await readTar(fs.createReadStream(dumpFile), async () => {});
  } catch (err) {
    throw new BackupError(`The database dump in the backup is damaged: ${(err as Error).message}`);
  }
  const bytes = fs.readFileSync(dumpFile);
  const pglite = new PGlite({ dataDir: dir, loadDataDir: new Blob([bytes], { type: 'application/x-tar' }) });
  try {
    await pglite.waitReady;
    const head = await pglite.query<{ seq: number; hash: string }>(
      'select seq::int as seq, hash from audit_head where id = 1',
    );
    const row = head.rows[0];
    if (!row || row.seq !== manifest.auditHead.seq || row.hash !== manifest.auditHead.hash) {
      throw new BackupError('The database in the backup does not match its manifest (audit head differs)');
    }
  } finally {
    if (!pglite.closed) await pglite.close();
  }
}

/** Restores into a new database next to the live one, checks it, then swaps names in one transaction. */
async function restorePostgres(
  url: string,
  dumpFile: string,
  manifest: BackupManifest,
  now: Date,
  options: PgOptions,
): Promise<string> {
  await pgRestoreList(dumpFile);
  const live = decodeURIComponent(new URL(url).pathname.slice(1));
  const base = live.slice(0, 40);
  const suffix = `${stamp(now).toLowerCase()}${String(now.getMilliseconds()).padStart(3, '0')}`;
  const temp = `${base}_restore_${suffix}`;
  const keep = `${base}_before_${suffix}`;
  await assertUnused(url, live);
  await createDatabase(url, temp, options);
  try {
    await pgRestoreInto(url, temp, dumpFile, options);
    const head = await withDatabase(
      url,
      temp,
      (c) =>
        c.query<{ seq: number; hash: string }>('select seq::int as seq, hash from audit_head where id = 1'),
      options,
    );
    const row = head.rows[0];
    if (!row || row.seq !== manifest.auditHead.seq || row.hash !== manifest.auditHead.hash) {
      throw new BackupError('The database in the backup does not match its manifest (audit head differs)');
    }
    await swapDatabases(url, live, temp, keep, options);
  } catch (err) {
    await dropDatabase(url, temp, options).catch(() => {});
    throw err;
  }
  return keep;
}

/**
 * Finishes or discards a restore that a crash interrupted: a complete staged directory replaces a
 * missing data directory; anything else left over is removed. Returns what it did, for the operator.
 */
export function completeInterruptedRestore(dataDir: string): string | undefined {
  const parent = path.dirname(dataDir);
  const prefix = `${path.basename(dataDir)}.restore-`;
  if (!fs.existsSync(parent)) return undefined;
  const notes: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid === process.pid || isAlive(pid)) continue;
    const full = path.join(parent, name);
    if (name.endsWith('.ready') && fs.existsSync(path.join(full, MARKER)) && !fs.existsSync(dataDir)) {
      fs.rmSync(path.join(full, 'civitas.lock'), { force: true });
      fs.renameSync(full, dataDir);
      fs.rmSync(path.join(dataDir, MARKER), { force: true });
      notes.push(`finished an interrupted restore into ${dataDir}`);
    } else {
      fs.rmSync(full, { recursive: true, force: true });
      notes.push(`removed the leftovers of an unfinished restore (${full})`);
    }
  }
  return notes.length ? notes.join('; ') : undefined;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
