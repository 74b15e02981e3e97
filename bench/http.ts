// HTTP throughput of the real app (PGlite and PostgreSQL) beside a bare Fastify hello-world on the
// same machine (the limit for one Node process): requests/s and latency percentiles from autocannon
// against 127.0.0.1. Each target runs in its own process; autocannon runs here.
//   npx tsx bench/http.ts        BENCH_HTTP_SECONDS=10 BENCH_HTTP_CONNECTIONS=32
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { fmt, machine, postgresAvailable, printTable, startTarget } from './bench-support.ts';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 32);
const TARGET = fileURLToPath(new URL('./http-target.ts', import.meta.url));

interface Target {
  child: ChildProcess;
  port: number;
  token?: string;
}

const startKind = (kind: string): Promise<Target> => startTarget<Omit<Target, 'child'>>(TARGET, [kind]);

async function stopTarget(t: Target) {
  const exited = new Promise((r) => t.child.once('exit', r));
  t.child.kill('SIGTERM');
  await exited;
}

async function measure(url: string, headers: Record<string, string> = {}) {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up: JIT, caches, pool
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return r;
}

async function main() {
  console.log(`# HTTP benchmark — ${machine()}`);
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other work on the machine skews figures)`,
  );
  console.log(
    `autocannon: ${CONNECTIONS} connections, ${SECONDS} s per row after a 2 s warm-up, 127.0.0.1, logging off\n`,
  );
  const rows: (string | number)[][] = [];
  let bareRate = 0;
  const add = (target: string, path: string, r: Awaited<ReturnType<typeof measure>>) => {
    if (!bareRate) bareRate = r.requests.mean;
    rows.push([
      target,
      path,
      fmt(r.requests.mean),
      `${r.latency.p50} ms`,
      `${r.latency.p99} ms`,
      r.errors + r.timeouts + r.non2xx,
      `${((r.requests.mean / bareRate) * 100).toFixed(0)}%`,
    ]);
  };

  const bare = await startKind('bare');
  try {
    add('bare Fastify', 'GET / (hello world)', await measure(`http://127.0.0.1:${bare.port}/`));
  } finally {
    await stopTarget(bare);
  }
  const engines = ['pglite'];
  if (await postgresAvailable()) engines.push('postgres');
  for (const engine of engines) {
    const t = await startKind(engine);
    try {
      add(`Civitas, ${engine}`, 'GET /healthz', await measure(`http://127.0.0.1:${t.port}/healthz`));
      // One trivial query: the price of a database round trip on this engine.
      add(`Civitas, ${engine}`, 'GET /readyz (1 query)', await measure(`http://127.0.0.1:${t.port}/readyz`));
      add(
        `Civitas, ${engine}`,
        'GET /api/me (Bearer)',
        await measure(`http://127.0.0.1:${t.port}/api/me`, { authorization: `Bearer ${t.token}` }),
      );
    } finally {
      await stopTarget(t);
    }
  }
  printTable(['server', 'request', 'req/s', 'p50', 'p99', 'errors+non-2xx', 'of bare'], rows);
}

await main();
