import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startTarget, summarise } from './bench-support.ts';

// The load side of bench/exchange-gateway.ts: target servers in processes of their own, autocannon
// against them, and what the processes cost in CPU (from /proc, Linux).

export const SOCKET_DIR = '/var/run/postgresql';

/**
 * The database URL over PostgreSQL's Unix socket when the server runs on this machine (as a
 * single-host deployment would connect): loopback TCP costs each query a few syscalls' worth more.
 */
export function localUrl(url: string): string {
  const u = new URL(url);
  const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost';
  if (
    !local ||
    process.env.BENCH_XG_TCP ||
    !fs.existsSync(path.join(SOCKET_DIR, `.s.PGSQL.${u.port || 5432}`))
  )
    return url;
  return `postgres://${u.username}@/${u.pathname.slice(1)}?host=${SOCKET_DIR}&port=${u.port || 5432}`;
}

/** The machine's load averages (1, 5, 15 minutes). */
export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Starts a target script (it prints one JSON line {port} when listening); BENCH_XG_PROFILE profiles it. */
export function start(script: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const prof = process.env.BENCH_XG_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_XG_PROFILE}`]
    : [];
  return startTarget<{ port: number }>(script, args, prof);
}

/** Stops a target and waits for it to exit. */
export async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Seconds a process has waited, runnable, for a CPU (/proc/<pid>/schedstat): how much the machine starved it. */
export function cpuWaitSeconds(pid: number | undefined): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return Number.NaN;
  }
}

export interface Run {
  rps: number;
  p50: number;
  p99: number;
  n: number;
  failures: number;
}

/**
 * autocannon from `connections` connections for `seconds`, latencies taken from its response events
 * (sub-millisecond precision); `pathOf` gives each request its own path.
 */
export function hammer(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
  pathOf?: () => string,
): Promise<Run & { calls: number; sent: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const options = {
      url,
      connections,
      duration: seconds,
      headers,
      ...(pathOf
        ? {
            requests: [
              {
                method: 'GET',
                setupRequest: (req: object) => {
                  sent++;
                  return { ...req, path: pathOf() };
                },
              },
            ],
          }
        : {}),
    };
    const instance = (
      autocannon as unknown as (
        o: object,
        cb: (err: unknown) => void,
      ) => { on(e: 'response', f: (c: unknown, status: number, bytes: number, ms: number) => void): void }
    )(options, (err) => {
      if (err) return reject(err);
      const s = summarise(latencies, (performance.now() - started) / 1000);
      resolve({ ...s, failures, calls: latencies.length + failures, sent });
    });
    instance.on('response', (_c, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
      else failures++;
    });
  });
}

/** The machine's busy CPU seconds so far (all cores, user + system + irq, from /proc/stat). */
export function machineBusySeconds(): number {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

/** CPU seconds used by every PostgreSQL process (backends, WAL writer, checkpointer, autovacuum…). */
export function postgresCpuSeconds(): number {
  let sum = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) sum += cpuSeconds(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return sum;
}
