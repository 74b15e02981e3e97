import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import {
  castExpression,
  DEFAULT_NULL_TOKENS,
  decideColumnTypes,
  inferenceQuery,
  jitOff,
  trimmedStaging,
} from '../src/server/modules/datastore/types/index.ts';
import type { Db } from '../src/server/platform/db.ts';
import { fmt, freshDatabase, onEachEngine, printTable, rng, timed } from './bench-support.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PGLITE_ROWS = Number(process.env.BENCH_PGLITE_ROWS ?? 100_000);
const CHUNK = 50_000;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Twenty columns as a city's spreadsheet has them, with the odd missing or malformed cell. */
const COLUMNS: { label: string; value: (r: (n: number) => number, i: number) => string }[] = [
  { label: '序号', value: (_, i) => String(i + 1) },
  { label: '人口数', value: (r) => String(r(5_000_000)) },
  { label: '金额', value: (r) => `${r(100_000)}.${p2(r(100))}` },
  { label: '合同金额', value: (r) => (r(1000) * 1_000_003 + r(1000)).toLocaleString('en-US') },
  { label: '成立日期', value: (r) => `20${p2(r(24))}-${p2(r(12) + 1)}-${p2(r(28) + 1)}` },
  { label: '发证日期', value: (r) => `20${p2(r(24))}年${r(12) + 1}月${r(28) + 1}日` },
  {
    label: '更新时间',
    value: (r) => `2023-${p2(r(12) + 1)}-${p2(r(28) + 1)} ${p2(r(24))}:${p2(r(60))}:${p2(r(60))}`,
  },
  { label: '开放时间', value: (r) => `${r(24)}:${p2(r(60))}` },
  { label: '是否公开', value: (r) => (r(2) ? '是' : '否') },
  { label: '行政区划代码', value: (r) => `0${r(1000)}`.padStart(4, '0') },
  { label: '联系方式', value: (r) => `13${r(10)}${String(r(100_000_000)).padStart(8, '0')}` },
  { label: '证件号码', value: (r) => `3301061990${p2(r(12) + 1)}${p2(r(28) + 1)}${r(10)}${r(10)}${r(10)}X` },
  { label: '姓名', value: (r) => `${SURNAMES[r(20)]}${SURNAMES[r(20)]}` },
  { label: '地址', value: (r) => `浙江省杭州市${DISTRICTS[r(6)]}文三路${r(500)}号` },
  { label: '病床数', value: (r) => (r(10_000) === 0 ? '约5' : String(r(800))) },
  { label: '面积', value: (r) => (r(10) === 0 ? 'NA' : `${r(1000)}.${r(10)}`) },
  { label: '达标', value: (r) => (r(2) ? 'Y' : 'N') },
  { label: '检查日期', value: (r) => `2023/${r(12) + 1}/${r(28) + 1}` },
  { label: '排名', value: (r) => ` ${r(1000)} ` },
  { label: '标志', value: (r) => String(r(2)) },
];

/** Rows [from, to) of the staging table in COPY text format. */
function copyText(from: number, to: number): string {
  const r = rng(from + 7);
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(`${i + 1}\t${COLUMNS.map((c) => c.value(r, i)).join('\t')}`);
  return `${lines.join('\n')}\n`;
}

const staging = COLUMNS.map((_, i) => `c${i + 1}`);
const createStaging = (db: Db) =>
  sql`create table staging (_row bigint, ${sql.join(staging.map((c) => sql`${sql.id(c)} text`))})`.execute(
    db,
  );

async function run(engine: 'postgres' | 'pglite', rows: number) {
  const bench = await freshDatabase(engine, 2);
  const { db } = bench.handle;
  try {
    await createStaging(db);
    let bytes = 0;
    const copy = await timed(async () => {
      if (engine === 'postgres') {
        const client = await bench.handle.pool!.connect();
        try {
          const chunks = (function* () {
            for (let at = 0; at < rows; at += CHUNK) {
              const text = copyText(at, Math.min(rows, at + CHUNK));
              bytes += Buffer.byteLength(text);
              yield text;
            }
          })();
          await pipeline(Readable.from(chunks), client.query(copyFrom('copy staging from stdin')));
        } finally {
          client.release();
        }
      } else {
        for (let at = 0; at < rows; at += CHUNK) {
          const text = copyText(at, Math.min(rows, at + CHUNK));
          bytes += Buffer.byteLength(text);
          await bench.handle.pglite!.query(`copy staging from '/dev/blob'`, [], { blob: new Blob([text]) });
        }
      }
    });
    await sql`vacuum analyze staging`.execute(db);
    const count = await timed(() => sql`select count(*) from staging`.execute(db));
    const ctas = await timed(() => sql`create table plain_copy as select * from staging`.execute(db));
    // As the pipeline runs them: in a transaction, JIT off (see jitOff); once with the server's JIT setting.
    const inTrx = <T>(fn: (trx: Db) => Promise<T>, jit = false) =>
      db.transaction().execute(async (trx) => {
        if (!jit) await jitOff().execute(trx);
        return fn(trx);
      });
    const infer = await timed(() =>
      inTrx((trx) => inferenceQuery('staging', staging, DEFAULT_NULL_TOKENS).execute(trx)),
    );
    // Opt-in only: with JIT on, a backend spends minutes in LLVM on this query without answering
    // interrupts (DROP DATABASE … WITH (FORCE) elsewhere waits for it); on a shared server, don't.
    const inferJit =
      engine === 'postgres' && process.env.BENCH_JIT === '1'
        ? await timed(() =>
            inTrx((trx) => inferenceQuery('staging', staging, DEFAULT_NULL_TOKENS).execute(trx), true),
          )
        : null;
    const labels = COLUMNS.map((c) => c.label);
    const decisions = decideColumnTypes(infer.value.rows, labels);
    const select = (trimmedFrom: boolean) =>
      sql.join(
        decisions.map(
          (d, i) =>
            sql`${castExpression(sql.ref(`s.${staging[i]}`), d.type, DEFAULT_NULL_TOKENS, { trimmed: trimmedFrom })} as ${sql.id(labels[i]!)}`,
        ),
      );
    const types = decisions.map((d) => d.type);
    const castSelf = await timed(() =>
      inTrx((trx) =>
        sql`create table typed_a as select s._row as _id, ${select(false)} from staging s`.execute(trx),
      ),
    );
    const castTrimmed = await timed(() =>
      inTrx((trx) =>
        sql`create table typed_b as select s._row as _id, ${select(true)} from ${trimmedStaging('staging', staging, types)} s`.execute(
          trx,
        ),
      ),
    );
    const cells = rows * COLUMNS.length;
    console.log(
      `\n${engine}: ${fmt(rows)} rows × ${COLUMNS.length} columns, ${fmt(bytes / 2 ** 20)} MiB of COPY text`,
    );
    printTable(
      ['step', 'seconds', 'cells/s'],
      [
        ['COPY into the staging table (limit)', copy.seconds.toFixed(2), fmt(cells / copy.seconds)],
        ['select count(*) (limit)', count.seconds.toFixed(2), fmt(cells / count.seconds)],
        ['create table as select * (limit)', ctas.seconds.toFixed(2), fmt(cells / ctas.seconds)],
        ['inferenceQuery (one pass)', infer.seconds.toFixed(2), fmt(cells / infer.seconds)],
        ...(inferJit
          ? [
              [
                'inferenceQuery with the server JIT',
                inferJit.seconds.toFixed(2),
                fmt(cells / inferJit.seconds),
              ],
            ]
          : []),
        [
          'typed table, castExpression on staging',
          castSelf.seconds.toFixed(2),
          fmt(cells / castSelf.seconds),
        ],
        [
          'typed table, castExpression on trimmedStaging',
          castTrimmed.seconds.toFixed(2),
          fmt(cells / castTrimmed.seconds),
        ],
      ],
    );
    console.log(
      decisions
        .map(
          (d, i) =>
            `${labels[i]}: ${d.type}${d.reason ? ` (${d.reason}${d.candidate ? ` ${d.candidate}, ${d.disagreeing} off` : ''})` : ''}`,
        )
        .join('; '),
    );
  } finally {
    await bench.dispose();
  }
}

await onEachEngine('DataStore inference', { postgres: ROWS, pglite: PGLITE_ROWS }, run);
