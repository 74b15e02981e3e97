// Exchange gateway throughput: logged, masked once-only lookups by resident ID through the real
// server over HTTP (50 concurrent clients, autocannon), beside the same lookup as a direct SQL query
// by 50 callers (the limit; plain and as a prepared statement) and a bare HTTP server answering a constant. On PostgreSQL, a
// 100,000-row people table (resident ID indexed and a data-subject column, name and phone masked),
// one grant with a rate limit high enough not to bind. Then both once more with a single caller: the
// latency a call adds without queueing for the cores. Afterwards every call must be in the access
// log: the rows are counted and the chain verified. JIT is off for the benchmark database. Last,
// the 50-client comparison again in short alternating rounds, and the median of its overheads.
//   npx tsx bench/exchange-gateway.ts   BENCH_XG_ROWS=100000 BENCH_XG_SECONDS=10 BENCH_XG_CONNECTIONS=50
//                                       BENCH_XG_ROUNDS=5 BENCH_XG_ROUND_SECONDS=4
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { newCredential } from '../src/server/modules/exchange/credential.ts';
import { verifyAccessLog } from '../src/server/modules/exchange/index.ts';
import { createDepartment } from '../src/server/modules/identity/index.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import {
  fmt,
  freshDatabase,
  machine,
  postgresAvailable,
  printTable,
  runCallers,
  timed,
} from './bench-support.ts';
import {
  cpuSeconds,
  cpuWaitSeconds,
  hammer,
  loadAverage as load,
  localUrl,
  machineBusySeconds,
  postgresCpuSeconds,
  type Run,
  SOCKET_DIR,
  start,
  stop,
} from './exchange-gateway-load.ts';
import { benchContext, dictionaryColumn as column, generatedTable } from './generated-table.ts';

const ROWS = Number(process.env.BENCH_XG_ROWS ?? 100_000);
const SECONDS = Number(process.env.BENCH_XG_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_XG_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_XG_ROUNDS ?? 5);
const ROUND_SECONDS = Number(process.env.BENCH_XG_ROUND_SECONDS ?? 4);
const GATEWAY_TARGET = fileURLToPath(new URL('./exchange-gateway-target.ts', import.meta.url));
const HTTP_TARGET = fileURLToPath(new URL('./http-target.ts', import.meta.url));

/** The resident ID of generated row g, as the SQL below makes it: region, birth date, sequence, check. */
function residentIdOf(g: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(g / 1000) * 86_400_000).toISOString().slice(0, 10);
  return `339901${birth.replaceAll('-', '')}${String(g % 1000).padStart(3, '0')}${g % 11 === 0 ? 'X' : g % 10}`;
}

const COLUMNS = [
  column('resident_id', {
    sensitivity: 'personal',
    mask: 'id_number',
    subject: 'resident_id',
    indexed: true,
  }),
  column('name', { sensitivity: 'personal', mask: 'name' }),
  column('phone', { sensitivity: 'personal', mask: 'phone' }),
  column('district', {}),
  column('address', { sensitivity: 'internal' }),
];

/** The direct lookup as a prepared statement (parsed and planned once per connection). */
const preparedLookupOn = (pool: pg.Pool, text: string, pick: () => string) => () =>
  pool.query({ name: 'bench_direct_lookup', text, values: [pick()] });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** `callers` (default `CONNECTIONS`) running `run` one after another for `seconds`. */
const direct = async (
  seconds: number,
  run: (i: number) => Promise<unknown>,
  callers = CONNECTIONS,
): Promise<Run> => ({
  ...(await runCallers(seconds, callers, run)),
  failures: 0,
});

/**
 * An approved request of `granteeId` for the people table and its active grant (API delivery, a rate
 * limit too high to bind), written directly; returns the grant's id and its credential.
 */
async function grantPeople(
  ctx: AppContext,
  table: { datasetId: string; distributionId: string; ownerId: string },
  granteeId: string,
) {
  const { credential, hash, prefix } = newCredential();
  const requestId = randomUUID();
  const grantId = randomUUID();
  const common = {
    dataset_id: table.datasetId,
    distribution_id: table.distributionId,
    owner_department_id: table.ownerId,
    system_name: '社会救助系统',
    purpose: '低保资格核对',
    legal_basis: '《社会救助暂行办法》',
    fields: ['resident_id', 'name', 'phone', 'district'],
    delivery: 'api' as const,
  };
  await ctx.db
    .insertInto('exchange_requests')
    .values({
      ...common,
      id: requestId,
      requester_department_id: granteeId,
      requested_by: null,
      requested_by_label: 'bench',
      duration_days: 365,
      state: 'approved',
      grant_id: grantId,
    })
    .execute();
  await ctx.db
    .insertInto('exchange_grants')
    .values({
      ...common,
      id: grantId,
      request_id: requestId,
      grantee_department_id: granteeId,
      rate_limit_per_minute: 100_000_000,
      state: 'active',
      expires_at: new Date(Date.now() + 365 * 86_400_000),
      credential_hash: hash,
      credential_prefix: prefix,
      credential_issued_at: new Date(),
    })
    .execute();
  return { grantId, credential };
}

async function main() {
  console.log(`Exchange gateway benchmark — ${machine()}`);
  console.log(`load average at start: ${load()} (other work on the machine skews figures)`);
  if (!(await postgresAvailable())) {
    console.log('PostgreSQL is not available: nothing to measure.');
    return;
  }
  const bench = await freshDatabase('postgres', 4);
  let server: ChildProcess | undefined;
  try {
    const dbName = new URL(bench.where).pathname.slice(1);
    // Every later connection (the server's, the direct callers') runs without JIT.
    await sql`alter database ${sql.id(dbName)} set jit = off`.execute(bench.handle.db);
    const ctx = benchContext(bench, 'civitas-bench-exchange');
    const actor = systemActor('bench');
    const people = await generatedTable(ctx, actor, {
      department: { code: 'XO', nameZh: '公安局', nameEn: 'Police' },
      dataset: {
        name: 'bench-people',
        titleZh: '人口基础信息',
        openType: 'none',
        shareType: 'conditional',
        shareCondition: '经审批后共享',
      },
      distribution: { name: 'people', url: 'https://example.org/p.csv' },
      rows: ROWS,
      select: sql`
            '339901' || to_char(date '1960-01-01' + (g / 1000), 'YYYYMMDD') || lpad((g % 1000)::text, 3, '0')
              || case when g % 11 = 0 then 'X' else (g % 10)::text end as resident_id,
            '居民' || g as name,
            '138' || lpad(g::text, 8, '0') as phone,
            (array['东港区','岚山区','莒县','五莲县'])[1 + g % 4] as district,
            '岚山路' || (g % 500) || '号' as address`,
      columns: COLUMNS,
      indexed: 'resident_id',
    });
    const dist = people.distributionId;
    console.log(
      `generated ${fmt(ROWS)} people rows with the resident-ID index in ${people.seconds.toFixed(1)} s`,
    );
    const grantee = await createDepartment(ctx, actor, {
      code: 'XG',
      nameZh: '民政局',
      nameEn: 'Civil Affairs',
    });
    const { grantId, credential } = await grantPeople(
      ctx,
      { datasetId: people.datasetId, distributionId: dist, ownerId: people.department.id },
      grantee.id,
    );

    const rows: (string | number)[][] = [];
    const add = (what: string, r: Run) =>
      rows.push([what, fmt(Math.round(r.rps)), r.p50.toFixed(2), r.p99.toFixed(2), r.failures]);
    const pick = () => residentIdOf(1 + Math.floor(Math.random() * ROWS));

    // The limit: the same lookup as plain SQL by 50 callers with a connection each.
    const url = localUrl(bench.where);
    console.log(
      `connections: ${url.includes('host=/') ? `Unix socket ${SOCKET_DIR}` : 'TCP'} (BENCH_XG_TCP=1 for TCP)`,
    );
    const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
    const text = `select _id, resident_id, name, phone, district from datastore."${dist}" where resident_id = $1`;
    await direct(2, () => pool.query(text, [pick()]));
    const pids = async () =>
      (
        await sql<{ pid: number }>`select pid from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(
          ctx.db,
        )
      ).rows.map((r) => r.pid);
    const directBackends = await pids();
    const sumCpu = (list: number[]) => list.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const directPgBefore = sumCpu(directBackends);
    const directClientBefore = process.cpuUsage();
    const limit = await direct(SECONDS, () => pool.query(text, [pick()]));
    const directClient = (() => {
      const u = process.cpuUsage(directClientBefore);
      return (u.user + u.system) / 1e6;
    })();
    const directPg = sumCpu(directBackends) - directPgBefore;
    // One caller at a time: the cost of a lookup without queueing for the two cores.
    const single = await direct(Math.min(SECONDS, 5), () => pool.query(text, [pick()]), 1);
    // The same as a prepared statement (parsed and planned once per connection), as the gateway's
    // own queries run: the stricter limit.
    await direct(2, preparedLookupOn(pool, text, pick));
    const prepared = await direct(SECONDS, preparedLookupOn(pool, text, pick));
    await pool.end();
    add(`direct SQL lookup (${CONNECTIONS} callers, the limit)`, limit);
    add(`direct SQL lookup, prepared (${CONNECTIONS} callers)`, prepared);
    add('direct SQL lookup (1 caller)', single);

    const bare = await start(HTTP_TARGET, ['bare']);
    try {
      await hammer(`http://127.0.0.1:${bare.port}/`, 2, CONNECTIONS);
      add(
        `bare Fastify, constant answer (${CONNECTIONS} connections)`,
        await hammer(`http://127.0.0.1:${bare.port}/`, SECONDS, CONNECTIONS),
      );
    } finally {
      await stop(bare.child);
    }

    const target = await start(GATEWAY_TARGET, [url]);
    server = target.child;
    const base = `http://127.0.0.1:${target.port}`;
    const headers = {
      authorization: `Bearer ${credential}`,
      'x-civitas-purpose': 'eligibility-check',
      'x-civitas-case': 'DB-2026-0001',
      'x-civitas-user': 'clerk-17',
    };
    const pathOf = () => `/exchange/v1/resources/${dist}/lookup?field=resident_id&value=${pick()}`;
    const probe = await fetch(base + pathOf(), { headers });
    const probeBody = await probe.text();
    if (probe.status !== 200 || !probeBody.includes('"records":[{'))
      throw new Error(`gateway answered ${probe.status}: ${probeBody}`);
    console.log(`one answer: ${probeBody.slice(0, 240)}`);
    const warm = await hammer(base, 2, CONNECTIONS, headers, pathOf);
    // The server's PostgreSQL backends (its pool, opened during the warm-up), to count their CPU too.
    const backends = await pids();
    const pgCpu = () => sumCpu(backends);
    const pgBefore = pgCpu();
    const cpuBefore = cpuSeconds(server.pid);
    const waitBefore = cpuWaitSeconds(server.pid);
    const busyBefore = machineBusySeconds();
    const allPgBefore = postgresCpuSeconds();
    const loaderBefore = process.cpuUsage();
    const run = await hammer(base, SECONDS, CONNECTIONS, headers, pathOf);
    const loaderCpu = (() => {
      const u = process.cpuUsage(loaderBefore);
      return (u.user + u.system) / 1e6;
    })();
    const busy = machineBusySeconds() - busyBefore;
    const allPg = postgresCpuSeconds() - allPgBefore;
    const serverCpu = cpuSeconds(server.pid) - cpuBefore;
    const serverWait = cpuWaitSeconds(server.pid) - waitBefore;
    const backendCpu = pgCpu() - pgBefore;
    add(`gateway lookup, logged + masked (${CONNECTIONS} connections)`, run);
    const alone = await hammer(base, Math.min(SECONDS, 5), 1, headers, pathOf);
    add('gateway lookup, logged + masked (1 connection)', alone);

    // The same comparison again in short alternating rounds: on a shared machine the cores' speed
    // drifts within a minute, and runs side by side in time compare better than one run each.
    const rounds: string[][] = [];
    const overheads: number[] = [];
    const preparedOverheads: number[] = [];
    let roundCalls = 0;
    let roundSent = 0;
    const roundPool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
    await direct(1, preparedLookupOn(roundPool, text, pick));
    for (let i = 0; i < ROUNDS; i++) {
      const plain = await direct(ROUND_SECONDS, () => roundPool.query(text, [pick()]));
      const prep = await direct(ROUND_SECONDS, preparedLookupOn(roundPool, text, pick));
      const gw = await hammer(base, ROUND_SECONDS, CONNECTIONS, headers, pathOf);
      roundCalls += gw.calls;
      roundSent += gw.sent;
      overheads.push(gw.p50 - plain.p50);
      preparedOverheads.push(gw.p50 - prep.p50);
      rounds.push(
        [i + 1, plain.rps, plain.p50, prep.rps, prep.p50, gw.rps, gw.p50, gw.p50 - plain.p50].map((v, j) =>
          j === 0 ? String(v) : j % 2 === 1 && j < 7 ? fmt(Math.round(v)) : v.toFixed(2),
        ),
      );
    }
    await roundPool.end();
    await stop(server);
    server = undefined;

    // Calls still in flight when a run ends are answered (and logged) after autocannon stopped counting.
    const calls = 1 + warm.calls + run.calls + alone.calls + roundCalls;
    const sent = 1 + warm.sent + run.sent + alone.sent + roundSent;
    const logged = await sql<{ n: number; ok: number }>`
      select count(*)::int as n, count(*) filter (where outcome = 'ok')::int as ok
      from exchange_access_log where grant_id = ${grantId}`.execute(ctx.db);
    const verified = await timed(() => verifyAccessLog(ctx));

    printTable(['what', 'calls/s', 'p50 ms', 'p99 ms', 'failures'], rows);
    console.log('');
    console.log(
      `p50 overhead of the gateway over the direct query: ${(run.p50 - limit.p50).toFixed(2)} ms at ${CONNECTIONS} connections` +
        ` (${(run.p50 - prepared.p50).toFixed(2)} ms over the prepared one)` +
        ` (the issue's measure: with both cores saturated, latency is queueing, ≈ connections ÷ calls/s),` +
        ` ${(alone.p50 - single.p50).toFixed(2)} ms at 1 connection (the work a call adds)`,
    );
    console.log('');
    console.log(`${ROUNDS} alternating rounds of ${ROUND_SECONDS} s at ${CONNECTIONS} connections:`);
    printTable(['round', 'direct/s', 'p50', 'prepared/s', 'p50', 'gateway/s', 'p50', 'overhead ms'], rounds);
    console.log(
      `median p50 overhead over the rounds: ${median(overheads).toFixed(2)} ms over the direct query,` +
        ` ${median(preparedOverheads).toFixed(2)} ms over the prepared one`,
    );
    const n = logged.rows[0]!.n;
    console.log(
      `access log: ${fmt(n)} rows (${fmt(logged.rows[0]!.ok)} ok); calls answered ${fmt(calls)}, sent ${fmt(sent)}` +
        ` — ${n >= calls && n <= sent ? 'every answered call logged' : 'MISMATCH'}`,
    );
    const v = verified.value;
    console.log(
      `chain: ${v.ok ? 'intact' : `BROKEN (${v.problem?.kind} at ${v.problem?.seq})`}, ${fmt(v.verified)} entries chained and verified in ${verified.seconds.toFixed(1)} s`,
    );
    console.log(
      `gateway server process: ${serverCpu.toFixed(1)} CPU s in ${SECONDS} s, ${((serverCpu / run.calls) * 1e6).toFixed(0)} µs per call` +
        ` (one core's worth of such calls: ${fmt(run.calls / serverCpu)}/s); it waited ${serverWait.toFixed(1)} s runnable for a CPU`,
    );
    const perCall = (serverCpu + backendCpu) / run.calls;
    console.log(
      `its ${backends.length} PostgreSQL backends: ${backendCpu.toFixed(1)} CPU s, ${((backendCpu / run.calls) * 1e6).toFixed(0)} µs per call;` +
        ` together ${(perCall * 1e6).toFixed(0)} µs of CPU per logged call: ${fmt(2 / perCall)} calls/s if both cores were free`,
    );
    const us = (s: number) => ((s / run.calls) * 1e6).toFixed(0);
    console.log(
      `the machine during that run: ${busy.toFixed(1)} busy CPU s, ${us(busy)} µs per call — server ${us(serverCpu)},` +
        ` PostgreSQL ${us(allPg)} (its backends ${us(backendCpu)}, the rest WAL writer, checkpointer, autovacuum…),` +
        ` load generator (autocannon, this process) ${us(loaderCpu)}, other (kernel threads, interrupts, other processes) ${us(busy - serverCpu - allPg - loaderCpu)}`,
    );
    const directPerCall = (directClient + directPg) / limit.n;
    console.log(
      `direct SQL: ${((directClient / limit.n) * 1e6).toFixed(0)} µs client + ${((directPg / limit.n) * 1e6).toFixed(0)} µs PostgreSQL CPU per lookup;` +
        ` the gateway spends ${((perCall - directPerCall) * 1e6).toFixed(0)} µs more CPU per call (HTTP, checks, masking, log row and chain)`,
    );
    console.log(`load average at end: ${load()}`);
  } finally {
    if (server) await stop(server);
    await bench.dispose();
  }
}

await main();
