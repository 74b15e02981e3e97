import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../src/server/platform/db.ts';
import { migrateToLatest } from '../src/server/platform/migrate.ts';

// Shared by the benchmarks: a fresh database per run on either engine, and table printing.

export const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  handle: DatabaseHandle;
  engine: 'pglite' | 'postgres';
  /** PostgreSQL URL of the fresh database, or the embedded data directory. */
  where: string;
  dispose(): Promise<void>;
}

/** A migrated, empty database: PGlite on disk in a temp dir (as the server runs it), or a new PostgreSQL database. */
export async function freshDatabase(engine: 'pglite' | 'postgres', poolSize = 10): Promise<BenchDatabase> {
  if (engine === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-bench-'));
    const handle = await openDatabase({ pgliteDir: path.join(dir, 'pglite'), lock: false });
    await migrateToLatest(handle.db);
    return {
      handle,
      engine,
      where: path.join(dir, 'pglite'),
      dispose: async () => {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.DATABASE_URL || DEFAULT_PG;
  const name = `civitas_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(q).finally(() => c.end());
  };
  await admin(`create database ${name}`);
  // The server is shared: a JIT compile (which once blocked DROP DATABASE) must never join a benchmark.
  // The app turns JIT off for its own sessions; this covers the benchmarks' direct SQL (the limits).
  // BENCH_SERVER_JIT=1 leaves the server's setting (PostgreSQL's default: on), as a deployment has it.
  if (process.env.BENCH_SERVER_JIT !== '1') await admin(`alter database ${name} set jit = off`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: u.toString(), poolSize });
  await migrateToLatest(handle.db);
  return {
    handle,
    engine,
    where: u.toString(),
    dispose: async () => {
      await handle.close();
      // pg's Pool.end() resolves before its clients have said goodbye; dropping the database with
      // force while one is still connected kills it with FATAL 57P01, an unhandled error. Wait.
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      for (let i = 0; i < 100; i++) {
        const { rows } = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
          name,
        ]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** True when the PostgreSQL server of DATABASE_URL (or the default local one) answers. */
export async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({
    connectionString: process.env.DATABASE_URL || DEFAULT_PG,
    connectionTimeoutMillis: 2000,
  });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Prints a left-aligned table. */
export function printTable(headers: string[], rows: (string | number)[][]) {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells) console.log(line(r));
}

export const fmt = (n: number) =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2);

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
}

/** Deterministic pseudo-random integers below n (xorshift32): every run generates the same data. */
export function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Request rate and p50/p95/p99 of a run's latencies (ms). */
export function summarise(latencies: number[], elapsed: number) {
  const s = [...latencies].sort((a, b) => a - b);
  return {
    n: s.length,
    rps: s.length / elapsed,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
  };
}

/**
 * `callers` concurrent callers, each running `run` one call after another for `seconds` (the direct
 * path a benchmark sets beside the server's); summarises the latencies (ms).
 */
export async function runCallers(seconds: number, callers: number, run: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await run(next++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return summarise(latencies, (performance.now() - started) / 1000);
}

const LOAD_CLIENT = fileURLToPath(new URL('./catalog-search-client.ts', import.meta.url));

/**
 * Sends `urls` round-robin from `concurrency` clients for `seconds`, in a process of its own (so the
 * server in this process keeps its event loop), and summarises the latencies; fails on any non-200.
 */
export async function loadOverHttp(urls: string[], concurrency: number, seconds: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', LOAD_CLIENT, JSON.stringify(urls), String(concurrency), String(seconds)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load client exited with ${code}`);
  const out = JSON.parse(stdout) as {
    latencies: number[];
    failures: number;
    elapsed: number;
    clientCpuSeconds?: number;
  };
  if (out.failures > 0) throw new Error(`${out.failures} requests failed`);
  return { ...summarise(out.latencies, out.elapsed), clientCpuSeconds: out.clientCpuSeconds ?? Number.NaN };
}

/** Prints the benchmark's heading (machine, load average), then runs it on PostgreSQL (when reachable) and PGlite (unless 0 rows). */
export async function onEachEngine<T>(
  title: string,
  rows: { postgres: number; pglite: number },
  run: (engine: 'postgres' | 'pglite', rows: number) => Promise<T>,
): Promise<T[]> {
  console.log(
    `${title} — ${machine()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const results: T[] = [];
  if (await postgresAvailable()) results.push(await run('postgres', rows.postgres));
  else console.log('PostgreSQL not reachable: skipped');
  if (rows.pglite > 0) results.push(await run('pglite', rows.pglite));
  return results;
}

/**
 * Starts a target script in its own Node process (with tsx); it prints one JSON line (its port and
 * whatever else callers need) once it listens.
 */
export function startTarget<T extends object>(
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<T & { child: ChildProcess }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, ...(JSON.parse(line) as T) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/**
 * This process's memory at its highest until stop(), sampled every 50 ms: resident set (on PGlite
 * it includes the embedded database's own memory) and V8's heap, in MB.
 */
export function peakMemory() {
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const mb = (n: number) => Math.round(n / 1024 / 1024);
      return { rssBefore: mb(before.rss), rss: mb(rss), heapBefore: mb(before.heapUsed), heap: mb(heap) };
    },
  };
}
