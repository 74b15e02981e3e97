// An experiment, not the product's load path: how fast could a load go if Node parsed the file,
// proved every value's type and sent PostgreSQL binary COPY rows of a typed table, instead of the
// product's COPY into an all-text staging table followed by a CREATE TABLE … AS with verified casts
// (bench/datastore-load.ts)? The same generated CSV; types from the first 10,000 rows by the reference
// classifier, then every value checked and encoded (bench/typed-copy-encoder.ts); the table's primary
// key and ANALYZE after. With one worker thread, and with two each taking half the file over its own
// connection (split at a line end: the generated file has no quoted line breaks). Inference reports,
// disagreeing columns, the quality profile and publishing are not done here, so the figures are a
// ceiling for the design, not a load time. Beside them: psql's \copy into an all-text table.
// Measured on 2026-12-07 (quiet machine, load average 2): \copy 2.05 s; one worker thread 7.6 s to
// parse, prove, encode and COPY, 8.35 s with key and ANALYZE (25 % of the raw rate); two threads 6.2 s
// (33 %) — below the issue's 50 % before any inference report or quality profile. Node is the bound:
// its CSV parser, the checks and encoding, and the garbage of one string per cell.
//   npx tsx bench/datastore-load-typed-copy.ts   BENCH_ROWS=1000000 BENCH_WORKERS=1,2
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  DelimitedParser,
  type ParsedRecord,
} from '../src/server/modules/datastore/readers/delimited-parser.ts';
import { classifyValue } from '../src/server/modules/datastore/types/classify.ts';
import { fmt, freshDatabase, machine, printTable, timed } from './bench-support.ts';
import { loadBenchFile } from './load-bench-file.ts';
import { COPY_HEADER, COPY_TRAILER, CopyTupleWriter, type TypedColumn } from './typed-copy-encoder.ts';

interface Part {
  url: string;
  file: string;
  start: number;
  end: number;
  firstId: number;
  types: TypedColumn[];
}

const HEAD_ROWS = 10_000;
const TYPE_ORDER: TypedColumn[] = ['boolean', 'integer', 'bigint', 'numeric', 'date', 'timestamp', 'time'];

/** The records of `file` between byte offsets (a line end each), parsed as the product's reader does. */
async function* records(file: string, start: number, end: number): AsyncIterable<(string | null)[]> {
  const parser = new DelimitedParser(',', '"', { maxFieldBytes: 1 << 24, maxQuotedLines: 10_000 });
  const decoder = new TextDecoder();
  const out: ParsedRecord[] = [];
  for await (const chunk of fs.createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 })) {
    parser.push(decoder.decode(chunk as Buffer, { stream: true }), out);
    for (const r of out) yield r.fields;
    out.length = 0;
  }
  parser.end(out);
  for (const r of out) if (r.fields.length > 1) yield r.fields;
}

/** COPYs one part of the file into table `typed`; returns its rows. */
async function copyPart(part: Part): Promise<number> {
  const client = new pg.Client({ connectionString: part.url });
  await client.connect();
  try {
    const writer = new CopyTupleWriter(part.types);
    async function* encoded(): AsyncIterable<Buffer> {
      yield COPY_HEADER;
      let id = part.firstId;
      for await (const values of records(part.file, part.start, part.end)) {
        writer.row(id++, values);
        if (writer.pendingBuffers() > 0) yield* writer.take();
      }
      yield* writer.take();
      yield COPY_TRAILER;
    }
    const stream = client.query(copyFrom('COPY typed FROM STDIN WITH (FORMAT binary)'));
    await pipeline(Readable.from(encoded()), stream);
    return stream.rowCount;
  } finally {
    await client.end();
  }
}

/** The narrowest type every non-null value of the head fits (text for identifiers and leading zeros). */
async function headTypes(file: string, start: number): Promise<TypedColumn[]> {
  const fits: Set<TypedColumn>[] = [];
  let n = 0;
  for await (const values of records(file, start, fs.statSync(file).size)) {
    values.forEach((v, c) => {
      const cls = classifyValue(v);
      if (cls.isNull) return;
      const allowed = new Set<TypedColumn>(cls.leadingZeros || cls.identifier ? [] : cls.types);
      fits[c] = fits[c] ? new Set([...fits[c]].filter((t) => allowed.has(t))) : allowed;
    });
    if (++n >= HEAD_ROWS) break;
  }
  return fits.map((set) => TYPE_ORDER.find((t) => set.has(t)) ?? 'text');
}

/** Line-end offsets splitting [start, size) into `count` parts, and the rows before each part. */
function split(file: string, start: number, count: number): { bounds: number[]; rowsBefore: number[] } {
  const data = fs.readFileSync(file);
  const bounds = [start];
  for (let k = 1; k < count; k++) {
    const at = start + Math.floor(((data.length - start) * k) / count);
    bounds.push(data.indexOf(10, at) + 1);
  }
  bounds.push(data.length);
  const rowsBefore = [0];
  let rows = 0;
  for (let k = 0; k < count - 1; k++) {
    for (let i = data.indexOf(10, bounds[k]!); i >= 0 && i < bounds[k + 1]!; i = data.indexOf(10, i + 1))
      rows++;
    rowsBefore.push(rows);
  }
  return { bounds, rowsBefore };
}

async function runWorkers(parts: Part[]): Promise<number> {
  const counts = await Promise.all(
    parts.map(
      (part) =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: part });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

async function main() {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const workerCounts = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
  const file = loadBenchFile(rows);
  const size = fs.statSync(file).size;
  console.log(`Typed binary COPY experiment — ${machine()}`);
  const bench = await freshDatabase('postgres', 2);
  try {
    const exec = (q: string) =>
      execFileSync('psql', [bench.where, '-qc', q], {
        env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
      });
    const header = fs.readFileSync(file).indexOf(10) + 1;
    const width = (fs.readFileSync(file, 'utf8').split('\n', 1)[0] ?? '').split(',').length;
    exec(`create table raw_limit (${Array.from({ length: width }, (_, i) => `c${i} text`).join(', ')})`);
    const limit = await timed(async () => exec(`\\copy raw_limit from '${file}' with (format csv, header)`));
    exec('drop table raw_limit');
    const types = await headTypes(file, header);
    console.log(`types from the first ${HEAD_ROWS} rows: ${types.join(' ')}`);
    const table: string[][] = [['raw \\copy (all text)', fmt(limit.seconds), '', '', '100 %']];
    for (const count of workerCounts) {
      exec('drop table if exists typed');
      exec(`create table typed (_id bigint, ${types.map((t, i) => `c${i} ${t}`).join(', ')})`);
      const copied = await timed(async () => {
        const { bounds, rowsBefore } = split(file, header, count);
        return runWorkers(
          rowsBefore.map((before, k) => ({
            url: bench.where,
            file,
            start: bounds[k]!,
            end: bounds[k + 1]!,
            firstId: before + 1,
            types,
          })),
        );
      });
      if (copied.value !== rows) throw new Error(`copied ${copied.value} rows of ${rows}`);
      const keyed = await timed(async () => exec('alter table typed add primary key (_id); analyze typed'));
      const total = copied.seconds + keyed.seconds;
      table.push([
        `${count} thread(s): parse, type, binary COPY`,
        fmt(copied.seconds),
        fmt(keyed.seconds),
        fmt(total),
        `${Math.round((100 * limit.seconds) / total)} %`,
      ]);
    }
    console.log(`${fmt(rows)} rows, ${fmt(size / 1024 / 1024)} MB`);
    printTable(['what', 'copy s', 'key + analyze s', 'total s', 'of the raw rate'], table);
  } finally {
    await bench.dispose();
  }
}

if (isMainThread) await main();
else parentPort!.postMessage(await copyPart(workerData as Part));
