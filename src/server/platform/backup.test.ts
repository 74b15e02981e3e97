import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, checkpointIfNeeded, verifyAuditLog } from './audit/index.ts';
import { BackupError, completeInterruptedRestore, createBackup, restoreBackup } from './backup.ts';
import { writeTarGz } from './backup-archive.ts';
import { openContext } from './boot.ts';
import { type Config, loadConfig, testDatabaseUrl } from './config.ts';
import type { AppContext } from './context.ts';
import { DataDirLockedError } from './db-lock.ts';

// Runs against the engine of the suite: a real embedded data directory by default, a fresh
// PostgreSQL database (pg_dump/pg_restore) when DATABASE_URL is set.

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-backup-'));
const dataDir = path.join(root, 'data');
const baseUrl = testDatabaseUrl();
let config: Config;
let dbName: string | undefined;

async function admin(query: string) {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await c.query(query);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (baseUrl) {
    dbName = `civitas_bk_${randomBytes(4).toString('hex')}`;
    await admin(`create database ${dbName}`);
    const u = new URL(baseUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  config = { ...loadConfig({ dataDir }, {}), databaseUrl, logLevel: 'silent', demoOnEmpty: false };
});

afterAll(async () => {
  if (dbName) {
    const left = await admin(`select datname from pg_database where datname like '${dbName}%'`);
    for (const row of left.rows) await admin(`drop database if exists "${row.datname}" with (force)`);
  }
  fs.rmSync(root, { recursive: true, force: true });
});

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(config);
  try {
    return await fn(ctx);
  } finally {
    await ctx.database.close();
  }
}

async function addDepartment(ctx: AppContext, code: string) {
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('departments')
      .values({ id, code, name_zh: code, name_en: code, path: id })
      .execute();
    await appendAudit(trx, {
      action: 'identity.department.create',
      actor: { id: null, label: 'test' },
      departmentId: id,
    });
  });
}

const codes = (ctx: AppContext) =>
  ctx.db
    .selectFrom('departments')
    .select('code')
    .orderBy('code')
    .execute()
    .then((r) => r.map((d) => d.code));

/** Every file of a directory with its bytes' hash: "untouched" means exactly this stays equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else
        out[path.relative(dir, full)] =
          fs.readFileSync(full).toString('base64').slice(0, 64) + fs.statSync(full).size;
    }
  };
  walk(dir);
  return out;
}

describe('backup and restore', () => {
  const file = path.join(root, 'civitas.tar.gz');

  it('restores the state of the backup, keeps the replaced data and leaves a verifiable audit log', async () => {
    const manifest = await withContext(async (ctx) => {
      await addDepartment(ctx, 'HEALTH');
      await addDepartment(ctx, 'TRANSPORT');
      await checkpointIfNeeded(ctx.db, ctx.signer);
      fs.mkdirSync(path.join(dataDir, 'files', 'uploads'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'files', 'uploads', 'a.txt'), 'original attachment');
      return createBackup(ctx, file);
    });
    expect(manifest).toMatchObject({
      format: 'civitas-backup',
      version: 1,
      engine: config.databaseUrl ? 'postgres' : 'pglite',
    });
    expect(manifest.auditHead.seq).toBe(2);
    expect(manifest.entries.map((e) => e.name)).toContain('secrets.json');
    expect(manifest.entries.map((e) => e.name)).toContain('files/files/uploads/a.txt');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600); // it holds the secrets

    const secretsBefore = fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8');
    await withContext(async (ctx) => {
      await addDepartment(ctx, 'ZONING');
      await sql`delete from departments where code = 'HEALTH'`.execute(ctx.db);
    });
    fs.writeFileSync(path.join(dataDir, 'files', 'uploads', 'a.txt'), 'changed attachment');

    const result = await restoreBackup(config, file);
    expect(result.manifest.auditHead).toEqual(manifest.auditHead);
    expect(result.previousDataDir).toMatch(/data\.before-restore-\d{8}T\d{6}Z$/);
    if (config.databaseUrl) expect(result.previousDatabase).toMatch(/_before_/);
    expect(fs.readFileSync(path.join(result.previousDataDir!, 'files', 'uploads', 'a.txt'), 'utf8')).toBe(
      'changed attachment',
    );
    expect(fs.readFileSync(path.join(dataDir, 'files', 'uploads', 'a.txt'), 'utf8')).toBe(
      'original attachment',
    );
    expect(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).toBe(secretsBefore);
    expect(fs.existsSync(path.join(dataDir, 'civitas.lock'))).toBe(false);
    expect(fs.readdirSync(root).filter((n) => n.includes('.restore-'))).toEqual([]);

    await withContext(async (ctx) => {
      expect(await codes(ctx)).toEqual(['HEALTH', 'TRANSPORT']);
      expect(await verifyAuditLog(ctx.db, ctx.signer.publicKey)).toMatchObject({
        ok: true,
        verified: 2,
        checkpointsChecked: 1,
      });
    });
  });

  it('refuses a truncated or corrupted archive with a clear message and leaves the data untouched', async () => {
    const before = snapshot(dataDir);
    const bytes = fs.readFileSync(file);
    const truncated = path.join(root, 'truncated.tar.gz');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(restoreBackup(config, truncated)).rejects.toThrow(/unusable: the archive is truncated/);

    const corrupt = path.join(root, 'corrupt.tar.gz');
    const flipped = Buffer.from(bytes);
    for (let i = 0; i < 16; i++) flipped[Math.floor(bytes.length / 2) + i * 97]! ^= 0xff;
    fs.writeFileSync(corrupt, flipped);
    await expect(restoreBackup(config, corrupt)).rejects.toThrow(/unusable/);

    const notBackup = path.join(root, 'notes.txt');
    fs.writeFileSync(notBackup, 'hello');
    await expect(restoreBackup(config, notBackup)).rejects.toBeInstanceOf(BackupError);
    await expect(restoreBackup(config, path.join(root, 'missing.tar.gz'))).rejects.toThrow(/not found/);

    expect(snapshot(dataDir)).toEqual(before);
    expect(fs.readdirSync(root).filter((n) => n.includes('.restore-'))).toEqual([]);
    await withContext(async (ctx) => expect(await codes(ctx)).toEqual(['HEALTH', 'TRANSPORT']));
  });

  it('refuses while a server is using the database, touching nothing', async () => {
    const before = snapshot(dataDir);
    if (!config.databaseUrl) {
      // A live process (the test runner's parent) recorded as a running server holding the embedded database.
      const owner = { pid: process.ppid, command: 'start', port: 8080, startedAt: new Date().toISOString() };
      fs.writeFileSync(path.join(dataDir, 'civitas.lock'), JSON.stringify(owner));
      try {
        const err = await restoreBackup(config, file).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DataDirLockedError);
        expect((err as Error).message).toContain(`process ${process.ppid}`);
        expect((err as Error).message).toContain('port 8080');
        expect(snapshot(dataDir)).toEqual({ ...before, 'civitas.lock': expect.any(String) });
      } finally {
        fs.rmSync(path.join(dataDir, 'civitas.lock'));
      }
    } else {
      // PostgreSQL has no lock file: the atomic rename refuses while anyone is connected.
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        await expect(restoreBackup(config, file)).rejects.toThrow(/is in use\. Stop every Civitas server/);
      } finally {
        await client.end();
      }
      expect(snapshot(dataDir)).toEqual(before);
      const dbs = await admin(`select datname from pg_database where datname like '${dbName}%' order by 1`);
      expect(dbs.rows.map((r) => r.datname)).toEqual([dbName, expect.stringMatching(/_before_/)]);
    }
    expect(fs.readdirSync(root).filter((n) => n.includes('.restore-'))).toEqual([]);
  });

  // Without a lock timeout the rename waited for such a session forever: the restore hung.
  it.runIf(baseUrl)(
    'gives up, naming the holder, when another session holds a lock on the database',
    { timeout: 30_000 },
    async () => {
      const before = snapshot(dataDir);
      // A session elsewhere on the server (not connected to the database, so not "in use") that has
      // changed the database's comment in a transaction still open: it holds a lock on the database.
      const holder = new pg.Client({ connectionString: baseUrl, application_name: 'lock holder' });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query(`comment on database "${dbName}" is 'held'`);
        const err = await restoreBackup(config, file, new Date(), { lockWaitMs: 500 }).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(BackupError);
        expect((err as Error).message).toMatch(
          new RegExp(
            `Gave up swapping in the restored database .* lock on the database "${dbName}" held by another session: process \\d+ \\(lock holder`,
          ),
        );
      } finally {
        await holder.query('rollback').catch(() => {});
        await holder.end();
      }
      expect(snapshot(dataDir)).toEqual(before);
      expect(fs.readdirSync(root).filter((n) => n.includes('.restore-'))).toEqual([]);
      const dbs = await admin(`select datname from pg_database where datname like '${dbName}%' order by 1`);
      expect(dbs.rows.map((r) => r.datname)).toEqual([dbName, expect.stringMatching(/_before_/)]);
      await withContext(async (ctx) => expect(await codes(ctx)).toEqual(['HEALTH', 'TRANSPORT']));
    },
  );

  it('refuses a backup made by a newer Civitas before touching anything', async () => {
    const before = snapshot(dataDir);
    const secrets = Buffer.from('{}');
    const manifest = {
      format: 'civitas-backup',
      version: 1,
      engine: config.databaseUrl ? 'postgres' : 'pglite',
      createdAt: new Date().toISOString(),
      migrations: ['2026-11-22T0700-identity-and-audit', '2999-01-01T0000-from-the-future'],
      auditHead: { seq: 0, hash: '0'.repeat(64) },
      entries: [
        {
          name: 'secrets.json',
          size: secrets.length,
          sha256: createHash('sha256').update(secrets).digest('hex'),
        },
      ],
    };
    const future = path.join(root, 'future.tar.gz');
    await writeTarGz(future, [
      { name: 'manifest.json', source: { bytes: Buffer.from(JSON.stringify(manifest)) } },
      { name: 'secrets.json', source: { bytes: secrets } },
    ]);
    await expect(restoreBackup(config, future)).rejects.toThrow(
      /made by a newer Civitas .*2999-01-01T0000-from-the-future\)\. Upgrade Civitas first/,
    );
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('finishes a swap that a crash interrupted, and discards an unfinished restore', () => {
    const dir = path.join(root, 'crash', 'data');
    const deadPid = 2 ** 22 + 12345; // above pid_max: never alive
    fs.mkdirSync(`${dir}.restore-${deadPid}-20260101T000000Z.ready`, { recursive: true });
    fs.writeFileSync(`${dir}.restore-${deadPid}-20260101T000000Z.ready/.restore-complete`, 'x');
    fs.writeFileSync(`${dir}.restore-${deadPid}-20260101T000000Z.ready/secrets.json`, '{}');
    expect(completeInterruptedRestore(dir)).toMatch(/finished an interrupted restore/);
    expect(fs.readdirSync(dir)).toEqual(['secrets.json']);

    fs.mkdirSync(`${dir}.restore-${deadPid}-20260101T000001Z/unpacked`, { recursive: true });
    expect(completeInterruptedRestore(dir)).toMatch(/removed the leftovers/);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['data']);

    // a restore still running in a live process is left alone
    fs.mkdirSync(`${dir}.restore-${process.ppid}-20260101T000002Z`);
    expect(completeInterruptedRestore(dir)).toBeUndefined();
  });
});
