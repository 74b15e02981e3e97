// Audit log throughput on both engines: chained appends beside raw INSERTs of the same rows (the
// physical limit), concurrent writers on PostgreSQL, and verification of a 100k-entry chain, as
// verifyAuditLog does it (COPY) and with plain queries, beside its parts (the COPY's bytes alone,
// query rows alone, hashing rows already in memory).
//   npx tsx bench/audit.ts   BENCH_APPENDS=2000 (0: verify only) BENCH_VERIFY_ROWS=100000 BENCH_VERIFY_RUNS=3
//                            BENCH_WRITERS=16
import { hash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import {
  chainQuery,
  fetchChainPage,
  PAGE,
  PGLITE_COPY_ROWS,
  storedFieldsOf,
} from '../src/server/platform/audit/audit-chain-reader.ts';
import { pgliteCopyOut } from '../src/server/platform/audit/audit-pglite-copy.ts';
import {
  type AuditEvent,
  AuditSigner,
  appendAudit,
  auditRowOf,
  canonicalBody,
  entryHash,
  GENESIS_HASH,
  hashedFieldsOf,
  sequenceAudit,
  storedBody,
  verifyAuditLog,
} from '../src/server/platform/audit/index.ts';
import type { Db } from '../src/server/platform/db.ts';
import { ephemeralSecrets } from '../src/server/platform/secrets.ts';
import {
  type BenchDatabase,
  fmt,
  freshDatabase,
  machine,
  postgresAvailable,
  printTable,
  timed,
} from './bench-support.ts';

const APPENDS = Number(process.env.BENCH_APPENDS ?? 2000);
const VERIFY_ROWS = Number(process.env.BENCH_VERIFY_ROWS ?? 100_000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 16);
const VERIFY_RUNS = Number(process.env.BENCH_VERIFY_RUNS ?? 3);

const departments = Array.from({ length: 20 }, () => randomUUID());
const people = Array.from({ length: 50 }, () => randomUUID());

/** A realistic entry: an update of a catalog record by a member of staff. */
function event(i: number): AuditEvent {
  return {
    action: 'catalog.dataset.update',
    actor: { id: people[i % people.length]!, label: `staff.${i % people.length}` },
    target: { type: 'dataset', id: `ds-${i % 5000}` },
    departmentId: departments[i % departments.length]!,
    details: { field: 'title', from: `旧标题 ${i}`, to: `新标题 ${i}`, reason: 'annual review' },
    ip: '10.1.2.3',
    requestId: randomUUID(),
  };
}

/** The row appendAudit would store for entry `seq`, chained in Node (what a plain INSERT gets to write). */
function rowOf(seq: number, prevHash: string, e: AuditEvent, at = new Date()) {
  const row = auditRowOf(e, at);
  const hash = entryHash(
    prevHash,
    seq,
    canonicalBody(hashedFieldsOf({ ...row, entry_id: 0, seq, prev_hash: prevHash, hash: null })),
  );
  return { ...row, seq, prev_hash: prevHash, hash };
}

async function resetLog(db: Db) {
  await sql`truncate audit_log, audit_checkpoints`.execute(db);
  await sql`update audit_head set seq = 0, hash = ${GENESIS_HASH}`.execute(db);
}

/** One transaction per row, `writers` at a time; returns rows per second. */
async function runWriters(count: number, writers: number, write: (i: number) => Promise<unknown>) {
  let next = 0;
  const { seconds } = await timed(() =>
    Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = next++; i < count; i = next++) await write(i);
      }),
    ),
  );
  return { seconds, perSecond: count / seconds };
}

async function appendBench(b: BenchDatabase, writers: number) {
  const db = b.handle.db;
  await resetLog(db);
  await sql`drop table if exists audit_raw`.execute(db);
  // The same columns, primary key and indexes, no chain: what one INSERT per transaction costs here.
  await sql`create table audit_raw (like audit_log including all)`.execute(db);
  const events = Array.from({ length: APPENDS }, (_, i) => event(i));
  let prev = GENESIS_HASH;
  const rows = events.map((e, i) => {
    const r = rowOf(i + 1, prev, e);
    prev = r.hash;
    return r;
  });

  // As in a server: the sequencer chains committed entries every 200 ms while the writers run; the
  // time counts until the last entry is chained, so the chaining work is inside the figure.
  let writing = true;
  const sequencer = (async () => {
    while (writing) {
      await sequenceAudit(db);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const chainedRun = await timed(async () => {
    await runWriters(APPENDS, writers, (i) =>
      db.transaction().execute((trx) => appendAudit(trx, events[i]!)),
    );
    writing = false;
    await sequencer;
    await sequenceAudit(db);
  });
  const chained = { seconds: chainedRun.seconds, perSecond: APPENDS / chainedRun.seconds };
  const raw = await runWriters(APPENDS, writers, (i) =>
    db.transaction().execute((trx) =>
      trx
        .insertInto('audit_raw' as 'audit_log')
        .values(rows[i]!)
        .execute(),
    ),
  );
  const check = await verifyAuditLog(db, new AuditSigner(ephemeralSecrets().signingKeyPem).publicKey);
  if (!check.ok || check.verified !== APPENDS)
    throw new Error(`append benchmark left a broken chain: ${JSON.stringify(check)}`);
  await sql`drop table audit_raw`.execute(db);
  return { chained, raw };
}

/** Writes a valid chain of `n` entries quickly (multi-row INSERTs), as if appended one by one. */
async function fillChain(db: Db, n: number) {
  await resetLog(db);
  let prev = GENESIS_HASH;
  const base = Date.now() - n;
  for (let start = 1; start <= n; start += 1000) {
    const batch = [];
    for (let seq = start; seq < Math.min(start + 1000, n + 1); seq++) {
      const r = rowOf(seq, prev, event(seq), new Date(base + seq));
      prev = r.hash;
      batch.push(r);
    }
    await db.insertInto('audit_log').values(batch).execute();
  }
  await sql`update audit_head set seq = ${n}, hash = ${prev}`.execute(db);
}

async function verifyBench(b: BenchDatabase) {
  const db = b.handle.db;
  await fillChain(db, VERIFY_ROWS);
  await sql`analyze audit_log`.execute(db);
  const key = new AuditSigner(ephemeralSecrets().signingKeyPem).publicKey;
  // Node's CPU time per run too: on a busy machine it says more than the wall time (on PostgreSQL
  // the server's own work, in another process, is not in it).
  const verifyWith = async (reader: 'copy' | 'query') => {
    const runs = [];
    let cpu = Number.POSITIVE_INFINITY;
    for (let i = 0; i < VERIFY_RUNS; i++) {
      const before = process.cpuUsage();
      const r = await timed(() => verifyAuditLog(db, key, { database: b.handle, reader }));
      const used = process.cpuUsage(before);
      if (!r.value.ok || r.value.verified !== VERIFY_ROWS)
        throw new Error(`verify failed: ${JSON.stringify(r.value)}`);
      runs.push(r.seconds);
      cpu = Math.min(cpu, (used.user + used.system) / 1e6);
    }
    return { runs, cpu };
  };
  const { runs, cpu } = await verifyWith('copy');
  const { runs: queryRuns, cpu: queryCpu } = await verifyWith('query');
  // Where the time goes: the COPY's bytes alone, unparsed (the floor under the COPY readers)...
  let bytes = 0;
  const copyOnly = await timed(async () => {
    const pool = b.handle.pool;
    if (pool) {
      const client = await pool.connect();
      const copy = `COPY (${chainQuery(1)}) TO STDOUT (FORMAT text, ENCODING 'UTF8')`;
      for await (const chunk of client.query(copyTo(copy))) bytes += (chunk as Buffer).length;
      client.release();
      return;
    }
    for (let from = 1; from <= VERIFY_ROWS; from += PGLITE_COPY_ROWS) {
      for (const rows of await pgliteCopyOut(b.handle.pglite!, chainQuery(from, PGLITE_COPY_ROWS)))
        bytes += rows.length;
    }
  });
  // ...the same through query pages...
  const all: Awaited<ReturnType<typeof fetchChainPage>> = [];
  const fetchOnly = await timed(async () => {
    for (let from = 1; ; ) {
      const page = await fetchChainPage(db, from);
      for (const row of page) all.push(row);
      if (page.length < PAGE) break;
      from = page.at(-1)!.seq + 1;
    }
  });
  // ...then hashing rows already in memory.
  const hashOnly = await timed(async () => {
    let ok = 0;
    for (const row of all) {
      const body = storedBody(storedFieldsOf(row));
      if (hash('sha256', `${row.prev_hash}\n${row.seq}\n${body}`, 'hex') === row.hash) ok++;
    }
    if (ok !== VERIFY_ROWS) throw new Error('hash-only pass disagrees');
  });
  // The same pass with the general canonicalize() and createHash(), parsing what is stored as text.
  const hashLibrary = await timed(async () => {
    for (const row of all) {
      const f = storedFieldsOf(row);
      const body = canonicalBody({ ...f, at: new Date(f.atIso), details: JSON.parse(f.detailsJson) });
      if (entryHash(row.prev_hash, row.seq, body) !== row.hash) throw new Error('library pass disagrees');
    }
  });
  // The floor under fetching: one count over the table, no rows shipped to Node.
  const scan = await timed(() => sql`select count(*), max(length(hash)) from audit_log`.execute(db));
  return {
    runs,
    cpu,
    queryRuns,
    queryCpu,
    copyOnly: copyOnly.seconds,
    copyMiB: bytes / 2 ** 20,
    fetchOnly: fetchOnly.seconds,
    hashOnly: hashOnly.seconds,
    hashLibrary: hashLibrary.seconds,
    scan: scan.seconds,
  };
}

async function main() {
  console.log(`# Audit log benchmark — ${machine()}`);
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other work on the machine skews figures)`,
  );
  console.log(`appends: ${APPENDS} per run, one transaction each; verify: ${VERIFY_ROWS} entries`);
  const engines: ('pglite' | 'postgres')[] = ['pglite'];
  if (await postgresAvailable()) engines.push('postgres');
  else console.log('(PostgreSQL not reachable: set DATABASE_URL to include it)');

  const appendRows: (string | number)[][] = [];
  const verifyRows: (string | number)[][] = [];
  for (const engine of engines) {
    const b = await freshDatabase(engine, WRITERS + 4);
    try {
      // BENCH_APPENDS=0 measures verification alone.
      const configs = APPENDS === 0 ? [] : engine === 'postgres' ? [1, WRITERS] : [1];
      for (const writers of configs) {
        const { chained, raw } = await appendBench(b, writers);
        appendRows.push([
          engine,
          writers,
          fmt(chained.perSecond),
          fmt(raw.perSecond),
          `${((chained.perSecond / raw.perSecond) * 100).toFixed(0)}%`,
          `${((1000 * writers) / chained.perSecond).toFixed(2)} ms`,
        ]);
      }
      const v = await verifyBench(b);
      const best = Math.min(...v.runs);
      const perSecond = (seconds: number) => `${fmt(VERIFY_ROWS / seconds)} (${seconds.toFixed(2)} s)`;
      verifyRows.push([
        engine,
        fmt(VERIFY_ROWS / best),
        v.runs.map((s) => `${s.toFixed(2)} s`).join(' / '),
        `${v.cpu.toFixed(2)} s`,
        fmt(VERIFY_ROWS / Math.min(...v.queryRuns)),
        `${v.queryCpu.toFixed(2)} s`,
        `${perSecond(v.copyOnly)}, ${v.copyMiB.toFixed(0)} MiB`,
        perSecond(v.fetchOnly),
        perSecond(v.hashOnly),
        fmt(VERIFY_ROWS / v.hashLibrary),
        `${v.scan.toFixed(3)} s`,
      ]);
    } finally {
      await b.dispose();
    }
  }
  console.log(
    '\n## Appends (entries/s; raw = plain INSERT of the same rows into a table with the same columns)',
  );
  printTable(
    ['engine', 'writers', 'appendAudit/s', 'raw INSERT/s', 'chained/raw', 'latency/append'],
    appendRows,
  );
  console.log(
    `\n## Verify ${VERIFY_ROWS} entries (goal ≥ 300,000/s): COPY readers (verifyAuditLog with the database handle), the query reader, and their parts`,
  );
  printTable(
    [
      'engine',
      'verify entries/s',
      'runs (first cold)',
      'Node CPU',
      'verify, query reader /s',
      'its Node CPU',
      'COPY bytes only /s',
      'query rows only /s',
      'hash rows only /s',
      'hash, canonicalize() /s',
      'count(*) scan',
    ],
    verifyRows,
  );
}

await main();
