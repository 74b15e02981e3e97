import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './db-lock.ts';
import type { Database } from './db-schema.ts';

export type Db = Kysely<Database>;
export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /** The PGlite instance when embedded (backup, COPY from blobs); undefined on PostgreSQL. */
  pglite: PGlite | undefined;
  /** The pg pool on PostgreSQL (COPY streams, benchmarks); undefined when embedded. */
  pool: pg.Pool | undefined;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
// Calendar dates stay 'YYYY-MM-DD' text: a JS Date would shift them by the server's time zone.
const DATE = 1082;

// bigint counters (audit sequence, row counts) stay far below 2^53; numbers are easier everywhere.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

const pools = new WeakMap<Db, pg.Pool>();

/**
 * The pg pool behind `db` when it is an open PostgreSQL database itself — not a transaction (whose
 * statements must stay on its connection) and not PGlite: for statements run by name (runNamed).
 */
export const poolOf = (db: Db): pg.Pool | undefined => pools.get(db);

/**
 * Settings of every session the app opens on PostgreSQL. JIT off: PostgreSQL compiles a query once
 * its estimated cost passes jit_above_cost, which the app's statements over large tables do — a
 * load's disagreement scan, a count over millions of DataStore rows — and the compile costs more than
 * it saves at these sizes (seconds for a load's wide type checks, measured against the same query
 * without). An `options` parameter in the database URL replaces these.
 */
const SESSION_OPTIONS = '-c jit=off';

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; undefined opens an in-memory PGlite (tests). */
  pgliteDir?: string | undefined;
  /** Lock the embedded data directory against a second process (the server and CLI do, tests don't). */
  lock?: boolean;
  poolSize?: number;
}

/** Opens PostgreSQL when a URL is given, else PGlite persisted in pgliteDir (or in memory). */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      options: SESSION_OPTIONS,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      await pool.end();
      throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL: ${(err as Error).message}`);
    }
    pools.set(db, pool);
    return { db, engine: 'postgres', pglite: undefined, pool, close: () => db.destroy() };
  }

  let lock: DataDirLock | undefined;
  if (options.pgliteDir) {
    fs.mkdirSync(options.pgliteDir, { recursive: true });
    if (options.lock !== false) lock = acquireDataDirLock(path.dirname(options.pgliteDir));
  }
  const pglite = new PGlite({
    dataDir: options.pgliteDir,
    // Trigram matching for catalog search (typos, very short queries); PostgreSQL ships it in contrib.
    extensions: { pg_trgm },
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => v, [DATE]: (v: string) => v },
  });
  try {
    await pglite.waitReady;
  } catch (err) {
    lock?.release();
    throw new DatabaseUnavailableError(`Cannot open the embedded database: ${(err as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    pglite,
    pool: undefined,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      lock?.release();
    },
  };
}

export class DatabaseUnavailableError extends Error {}

/** The embedded database directory inside a data directory. */
export const pgliteDirOf = (dataDir: string) => path.join(dataDir, 'pglite');
