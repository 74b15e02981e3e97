// DataStore dumps at scale: /datastore/dump/{id} over real HTTP (curl reads it, in a process of its
// own) from the running app, of a generated table of BENCH_DUMP_ROWS rows × 20 mixed columns (four
// personal columns masked for the caller, an anonymous visitor), as CSV and JSON: the whole table,
// the whole table sorted by a column without an index, and a filtered + sorted dump (one district,
// by amount); XLSX of BENCH_DUMP_XLSX_ROWS rows. Beside them the physical limits: the database's own
// `COPY (select … from the masked view …) TO STDOUT` of the same rows (psql `\copy` to /dev/null on
// PostgreSQL, COPY TO STDOUT read from PGlite's protocol stream embedded), and a bare node:http
// server sending the dump's very bytes from memory. Prints this process's peak memory during each
// dump (the app runs here; on PGlite that includes the embedded database) and a SHA-256 of each
// dump, so that runs before and after a change can be checked for byte-identical output.
// Other processes change the figures a lot on two cores: note the load average printed with each.
// Measured 2026-12-07, PostgreSQL 1,000,000 rows, load average 2.4–3.9 (see docs/architecture.md,
// "Dump speed"), before → after reading the sorted _ids once per 500,000 rows, reading the next page
// while writing this one and stringifying JSON rows as the driver gives them (same bytes, by SHA-256):
//   CSV 6.7 → 7.3 s (limit: COPY 2.6–3.2 s, bare HTTP 1.3 s); JSON 12.7 → 7.5 s;
//   filtered + sorted CSV 15.8 → 2.2 s, JSON 34.2 → 2.2 s (COPY 0.6 s); sorted CSV 331 → 14.5 s
//   (COPY 3.3 s); XLSX 100,000 rows 9.0 → 7.0 s. PGlite 200,000 rows: CSV 6.3 → 5.6 s (its COPY
//   0.65 s), sorted 17.0 → 8.1 s. XLSX bytes differ from run to run (the workbook's timestamps).
// 2026-12-07, CSV and TSV on PostgreSQL by COPY (dump-copy.ts), load average 4.7–6.9, paged
// (BENCH_DUMP_COPY_SLOTS=0) → COPY, same SHA-256: CSV 7.3 → 3.3–4.9 s, TSV 13.7 → 5.4 s, filtered +
// sorted CSV 4.6 → 1.0 s, sorted CSV 25.7 → 5.8 s (psql COPY 2.6–5.4 s in the same runs).
//   npx tsx bench/datastore-dump.ts   BENCH_DUMP_ROWS=1000000 BENCH_DUMP_PGLITE_ROWS=200000 (0 skips PGlite)
//                                     BENCH_DUMP_XLSX_ROWS=100000 BENCH_DUMP_CASES=csv,tsv,json,… (default: all)
//                                     BENCH_DUMP_COPY_SLOTS=0 (CSV/TSV in pages, as before COPY)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { relationTextFor } from '../src/server/modules/datastore/access-views.ts';
import { copyDumpLimits } from '../src/server/modules/datastore/dump-copy.ts';
import { pgliteCopyOut } from '../src/server/platform/audit/audit-pglite-copy.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import { fmt, freshDatabase, onEachEngine, peakMemory, printTable, timed } from './bench-support.ts';
import { benchContext, dictionaryColumn, generatedTable } from './generated-table.ts';

const ROWS = Number(process.env.BENCH_DUMP_ROWS ?? 1_000_000);
const PGLITE_ROWS = Number(process.env.BENCH_DUMP_PGLITE_ROWS ?? 200_000);
const XLSX_ROWS = Number(process.env.BENCH_DUMP_XLSX_ROWS ?? 100_000);
const CASES = process.env.BENCH_DUMP_CASES?.split(',');
// BENCH_DUMP_COPY_SLOTS=0 serves CSV/TSV on PostgreSQL in pages, as before the COPY path (dump-copy.ts).
if (process.env.BENCH_DUMP_COPY_SLOTS !== undefined)
  copyDumpLimits.slots = Number(process.env.BENCH_DUMP_COPY_SLOTS);

const personal = (mask: 'name' | 'id_number' | 'phone' | 'email') =>
  ({ sensitivity: 'personal', mask }) as const;
const COLUMNS = [
  dictionaryColumn('区县'),
  dictionaryColumn('类别', { type: 'integer' }),
  dictionaryColumn('金额', { type: 'numeric' }),
  dictionaryColumn('登记日期', { type: 'date', indexed: true }),
  dictionaryColumn('名称'),
  dictionaryColumn('姓名', personal('name')),
  dictionaryColumn('身份证号', personal('id_number')),
  dictionaryColumn('联系电话', personal('phone')),
  dictionaryColumn('电子邮箱', personal('email')),
  dictionaryColumn('地址'),
  dictionaryColumn('更新时间', { type: 'timestamp' }),
  dictionaryColumn('营业时间', { type: 'time' }),
  dictionaryColumn('是否存续', { type: 'boolean' }),
  dictionaryColumn('员工人数', { type: 'integer' }),
  dictionaryColumn('注册资本', { type: 'numeric' }),
  dictionaryColumn('统一社会信用代码'),
  dictionaryColumn('序号', { type: 'bigint' }),
  dictionaryColumn('经营范围'),
  dictionaryColumn('邮编'),
  dictionaryColumn('备注'),
];

// Every 50th address holds a comma and quotes (quoted CSV fields); a third of the remarks are null.
const SELECT = sql`
  (array['上城区','拱墅区','西湖区','滨江区','萧山区','余杭区'])[1 + (g::bigint * 7919) % 6] as "区县",
  ((g::bigint * 104729) % 50)::integer as "类别",
  ((g::bigint * 15485863) % 100000000 / 100.0)::numeric as "金额",
  date '2015-01-01' + ((g::bigint * 2654435761) % 3650)::int as "登记日期",
  '岚山企业' || g as "名称",
  (array['王','李','张','刘','陈'])[1 + g % 5] || (array['伟','芳','娜','敏','静','强'])[1 + (g::bigint * 31) % 6]
    || (array['','华','明'])[1 + (g::bigint * 17) % 3] as "姓名",
  '330106' || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0') || lpad((g % 10000)::text, 4, '0') as "身份证号",
  '13' || lpad(((g::bigint * 48271) % 1000000000)::text, 9, '0') as "联系电话",
  'user' || g || '@example.cn' as "电子邮箱",
  '岚山市文三路' || (g % 500) || case when g % 50 = 0 then '号,"东"楼' else '号' end as "地址",
  timestamp '2023-01-01' + ((g::bigint * 2654435761) % 31536000) * interval '1 second' as "更新时间",
  time '00:00' + ((g::bigint * 7919) % 86400) * interval '1 second' as "营业时间",
  g % 3 <> 0 as "是否存续",
  ((g::bigint * 31) % 800)::integer as "员工人数",
  ((g::bigint * 7) % 10000000 / 100.0)::numeric(12,2) as "注册资本",
  '91339900MA' || lpad(((g::bigint * 48271) % 100000000)::text, 8, '0') as "统一社会信用代码",
  (g::bigint * 1000003) as "序号",
  '软件开发；信息技术咨询服务；数据处理' || (g % 10) as "经营范围",
  lpad(((g::bigint * 13) % 1000000)::text, 6, '0') as "邮编",
  case when g % 3 = 0 then '年度检查合格，无违规记录' end as "备注"`;

interface Case {
  name: string;
  /** Query string after the resource id (format and search parameters). */
  query: string;
  /** The rows' SQL after `from <masked view>`, for the COPY limit. */
  copy: string;
}

const FILTER = encodeURIComponent(JSON.stringify({ 区县: '西湖区' }));
const SORT = encodeURIComponent('金额 desc');
const DUMPS: Case[] = [
  { name: 'csv', query: 'format=csv', copy: 'order by _id' },
  { name: 'tsv', query: 'format=tsv', copy: 'order by _id' },
  { name: 'json', query: 'format=json', copy: 'order by _id' },
  {
    name: 'csv filtered+sorted',
    query: `format=csv&filters=${FILTER}&sort=${SORT}`,
    copy: `where "区县" = '西湖区' order by "金额" desc, _id desc`,
  },
  {
    name: 'json filtered+sorted',
    query: `format=json&filters=${FILTER}&sort=${SORT}`,
    copy: `where "区县" = '西湖区' order by "金额" desc, _id desc`,
  },
  { name: 'csv sorted', query: `format=csv&sort=${SORT}`, copy: 'order by "金额" desc, _id desc' },
  { name: 'xlsx', query: `format=xlsx&limit=${XLSX_ROWS}`, copy: `order by _id limit ${XLSX_ROWS}` },
];

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** curl reads `url` into `out` (in a process of its own); status, bytes and seconds as it counts them. */
function curl(url: string, out: string) {
  return new Promise<{ status: number; bytes: number; seconds: number }>((resolve, reject) => {
    const child = spawn('curl', ['-s', '-o', out, '-w', '%{http_code} %{size_download} %{time_total}', url]);
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`curl exited with ${code}`));
      const [status, bytes, seconds] = text.trim().split(' ').map(Number);
      resolve({ status: status!, bytes: bytes!, seconds: seconds! });
    });
  });
}

/**
 * A bare HTTP server sending the file's bytes as they are (read from the page cache in 64 KB
 * chunks, piped with backpressure): serving a dump with no work at all.
 */
async function bareServer(file: string) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    fs.createReadStream(file, { highWaterMark: 65536 }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, server };
}

async function sha(file: string) {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 12);
}

async function run(engine: 'postgres' | 'pglite', rows: number) {
  const bench = await freshDatabase(engine, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-bench-dump-'));
  const table: (string | number)[][] = [];
  try {
    const ctx = benchContext(bench, 'civitas-bench-dump', { rateLimitPerMinute: 10_000_000 });
    const { distributionId: dist, seconds } = await generatedTable(ctx, systemActor('bench'), {
      department: { code: 'BD', nameZh: '导出局', nameEn: 'Dump Bureau', regionCode: '339900' },
      dataset: {
        name: 'bench-dump',
        titleZh: '企业名录',
        openType: 'open',
        shareType: 'unconditional',
        licenseId: 'cc-by',
      },
      distribution: { name: 'rows', url: 'https://example.org/r.csv' },
      rows,
      select: SELECT,
      columns: COLUMNS,
      indexed: '登记日期',
    });
    console.log(
      `\n${engine}: generated ${fmt(rows)} rows × ${COLUMNS.length} columns in ${seconds.toFixed(1)} s`,
    );
    const app = await buildApp(ctx, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const view = relationTextFor(dist, 'public');
    const list = COLUMNS.map((c) => `"${c.id}"`).join(', ');
    const add = (what: string, n: number, bytes: number, s: number, extra: string[], load: string) =>
      table.push([
        what,
        fmt(n),
        (bytes / 1e6).toFixed(1),
        s.toFixed(2),
        fmt(Math.round(n / s)),
        (bytes / 1e6 / s).toFixed(1),
        ...extra,
        load,
      ]);
    try {
      for (const d of DUMPS) {
        if (CASES && !CASES.includes(d.name)) continue;
        const count = Number(
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from (select 1 from ${sql.raw(view)} ${sql.raw(d.copy)}) x`.execute(
              ctx.db,
            )
          ).rows[0]!.n,
        );
        // The limit first: the database's own COPY of the same rows (masked by the same view).
        const select = `select ${list} from ${view} ${d.copy}`;
        const load0 = loadAverage();
        const limit = await timed(async () => {
          if (engine === 'postgres') {
            const file = path.join(dir, 'copy.csv');
            await new Promise<void>((resolve, reject) => {
              const p = spawn('psql', [
                bench.where,
                '-qc',
                `\\copy (${select}) to '${file}' with (format csv, header)`,
              ]);
              p.on('exit', (code) =>
                code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`)),
              );
            });
            const size = fs.statSync(file).size;
            fs.rmSync(file);
            return size;
          }
          const batches = await pgliteCopyOut(bench.handle.pglite!, select);
          return batches.reduce((n, b) => n + b.length, 0);
        });
        add(
          `  limit: COPY ${engine === 'postgres' ? 'csv (psql)' : 'text (PGlite)'}`,
          count,
          limit.value,
          limit.seconds,
          ['', ''],
          load0,
        );
        const out = path.join(dir, `${d.name.replace(/\W+/g, '-')}.out`);
        const load1 = loadAverage();
        const memory = peakMemory();
        const got = await curl(`${base}/datastore/dump/${dist}?${d.query}`, out);
        const m = memory.stop();
        const peak = `${m.rssBefore}→${m.rss} / ${m.heapBefore}→${m.heap}`;
        if (got.status !== 200)
          throw new Error(`${d.name}: ${got.status} ${fs.readFileSync(out, 'utf8').slice(0, 500)}`);
        add(`dump ${d.name}`, count, got.bytes, got.seconds, [peak, await sha(out)], load1);
        if (d.name === 'csv' || d.name === 'json') {
          const bare = await bareServer(out);
          const load2 = loadAverage();
          const sent = await curl(bare.url, '/dev/null');
          add('  limit: bare HTTP, same bytes', count, sent.bytes, sent.seconds, ['', ''], load2);
          bare.server.close();
        }
        fs.rmSync(out);
      }
    } finally {
      await app.close();
    }
    console.log(`${engine} (rows/s and MB/s of the dump's rows and bytes; memory: resident / V8 heap, MB)`);
    printTable(['what', 'rows', 'MB', 's', 'rows/s', 'MB/s', 'peak memory', 'sha256', 'load avg'], table);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await bench.dispose();
  }
}

await onEachEngine('DataStore dump benchmark', { postgres: ROWS, pglite: PGLITE_ROWS }, run);
