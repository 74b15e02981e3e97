// DataStore load end to end: a generated CSV of BENCH_ROWS rows × 20 columns (mixed types, Chinese
// text, the odd malformed cell) loaded by the real load path — on PostgreSQL the typed load (a
// sample, then one pass on two threads writing binary COPY of the typed table), on PGlite staging
// and SQL casts; then the primary key, ANALYZE, publish and the quality profile — beside the physical
// limit: `psql -c "\copy"` of the same file into an all-text table (PostgreSQL) and PGlite's own COPY
// of the same bytes into an all-text table (PGlite). A checkpoint precedes each measurement.
// CIVITAS_DATASTORE_TYPED_LOAD=false measures the staging path instead.
// Goal on PostgreSQL: end to end ≥ 50% of the raw COPY rate — fourteen runs on 2026-12-07 (22:25–23:00,
// the pass gathering the quality profile's extremes) gave 53–73 %, median 61.5 % (see docs/architecture.md).
// BENCH_SERVER_JIT=1 leaves the server's JIT setting (PostgreSQL's default: on) for the database.
// Other processes change the figures a lot on two cores: note the load average printed first.
//   npx tsx bench/datastore-load.ts   BENCH_ROWS=1000000 BENCH_PGLITE_ROWS=200000 (0 skips PGlite)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { addLinkDistribution, createDataset } from '../src/server/modules/catalog/index.ts';
import { executeLoad, queueLoad } from '../src/server/modules/datastore/index.ts';
import { createDepartment } from '../src/server/modules/identity/index.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { createContext } from '../src/server/platform/context.ts';
import { copyIn } from '../src/server/platform/copy-in.ts';
import type { Db } from '../src/server/platform/db.ts';
import { ephemeralSecrets } from '../src/server/platform/secrets.ts';
import { fmt, freshDatabase, onEachEngine, peakMemory, printTable, timed } from './bench-support.ts';
import { LOAD_COLUMNS, loadBenchFile } from './load-bench-file.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PGLITE_ROWS = Number(process.env.BENCH_PGLITE_ROWS ?? 200_000);

async function run(engine: 'postgres' | 'pglite', rows: number) {
  const file = loadBenchFile(rows);
  const size = fs.statSync(file).size;
  const bench = await freshDatabase(engine, 4);
  try {
    const config = loadConfig(
      { dataDir: path.join(os.tmpdir(), 'civitas-bench-load') },
      { CIVITAS_DATASTORE_TYPED_LOAD: process.env.CIVITAS_DATASTORE_TYPED_LOAD },
    );
    const ctx = createContext({ ...config, logLevel: 'silent' }, bench.handle, ephemeralSecrets());
    const { db } = ctx;
    const cols = LOAD_COLUMNS.map((_, i) => `c${i + 1} text`).join(', ');
    await sql.raw(`create table raw_limit (${cols})`).execute(db);
    await settle(engine, db);
    const limit = await timed(async () => {
      if (engine === 'postgres') {
        execFileSync('psql', [
          bench.where,
          '-qc',
          `\\copy raw_limit from '${file}' with (format csv, header)`,
        ]);
      } else {
        const head = Buffer.alloc(4096);
        const fd = fs.openSync(file, 'r');
        fs.readSync(fd, head, 0, head.length, 0);
        fs.closeSync(fd);
        const header = head.indexOf(10) + 1;
        await copyIn(
          bench.handle,
          `COPY raw_limit FROM {source} WITH (FORMAT csv)`,
          lineChunks(file, header),
        );
      }
    });
    await sql`drop table raw_limit`.execute(db);

    const actor = systemActor('bench');
    const dept = await createDepartment(ctx, actor, {
      code: 'BENCH',
      nameZh: '基准测试局',
      nameEn: 'Bench',
      regionCode: '339900',
    });
    const ds = await createDataset(ctx, actor, {
      name: `bench-${rows}`,
      titleZh: '企业名录',
      departmentId: dept.id,
      openType: 'open',
      shareType: 'unconditional',
      licenseId: 'cc-by',
    });
    const withLink = await addLinkDistribution(ctx, actor, ds.id, {
      name: '企业名录',
      url: 'https://example.org/x.csv',
    });
    const distributionId = withLink.distributions[0]!.id;
    const { loadId } = await db.transaction().execute((trx) =>
      queueLoad(trx, actor, {
        distributionId,
        departmentId: dept.id,
        datasetId: ds.id,
        source: { kind: 'file', path: file, name: path.basename(file), checksum: null, sizeBytes: size },
        mode: 'replace',
        key: [],
        options: {},
      }),
    );
    await settle(engine, db);
    const memory = peakMemory();
    const load = await timed(() =>
      executeLoad(ctx, loadId, { signal: new AbortController().signal, keepVersions: 5 }),
    );
    const peak = memory.stop();
    const outcome = load.value;
    if (outcome.status !== 'succeeded') throw new Error(`load ${outcome.status}`);
    const mb = size / 1024 / 1024;
    return {
      engine,
      rows,
      mb,
      limit: limit.seconds,
      load: load.seconds,
      path: outcome.report.path,
      timings: outcome.report.timings,
      types: outcome.report.columns.map((c) => c.type).join(' '),
      peak,
    };
  } finally {
    await bench.dispose();
  }
}

/**
 * Each measurement starts from written-out buffers: without this, the load (measured second) would
 * share the disk and the cores with the checkpoint that writes out the limit's 300 MB.
 */
async function settle(engine: 'postgres' | 'pglite', db: Db) {
  if (engine === 'postgres') await sql`checkpoint`.execute(db);
}

/** The file from `start` in chunks that end at line ends (no quoted newlines in the generated data). */
async function* lineChunks(file: string, start: number): AsyncIterable<Buffer> {
  let rest = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { start, highWaterMark: 4 * 1024 * 1024 })) {
    const data = Buffer.concat([rest, chunk as Buffer]);
    const end = data.lastIndexOf(10) + 1;
    rest = data.subarray(end);
    if (end > 0) yield data.subarray(0, end);
  }
  if (rest.length) yield rest;
}

const results = await onEachEngine('DataStore load benchmark', { postgres: ROWS, pglite: PGLITE_ROWS }, run);
printTable(
  ['engine', 'rows', 'MB', 'limit s', 'limit rows/s', 'load s', 'load rows/s', 'load MB/s', 'ratio', 'path'],
  results.map((r) => [
    r.engine,
    fmt(r.rows),
    r.mb.toFixed(0),
    r.limit.toFixed(2),
    fmt(Math.round(r.rows / r.limit)),
    r.load.toFixed(2),
    fmt(Math.round(r.rows / r.load)),
    (r.mb / r.load).toFixed(1),
    `${Math.round((r.limit / r.load) * 100)}%`,
    r.path,
  ]),
);
for (const r of results)
  console.log(
    `${r.engine} stages (ms): ${JSON.stringify(r.timings)}\n  types: ${r.types}` +
      `\n  memory of this process during the load: resident ${r.peak.rssBefore} → peak ${r.peak.rss} MB,` +
      ` V8 heap ${r.peak.heapBefore} → peak ${r.peak.heap} MB (file ${r.mb.toFixed(0)} MB)`,
  );
