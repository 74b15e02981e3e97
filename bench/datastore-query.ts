// DataStore queries at scale: CKAN datastore_search on a 10,000,000-row table with a filter and a sort
// (p50/p95/p99 at 10 concurrent clients over HTTP), beside the same SQL run directly by 10 callers
// (the limit). The table is generated in SQL and published through the DataStore's own publish step
// (views, dictionary), with the sorted column indexed from the dictionary as a steward would.
//   npx tsx bench/datastore-query.ts   BENCH_QUERY_ROWS=10000000 BENCH_QUERY_SECONDS=10 (PostgreSQL only)
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import {
  fmt,
  freshDatabase,
  loadOverHttp,
  machine,
  postgresAvailable,
  printTable,
  runCallers,
  type summarise,
} from './bench-support.ts';
import { benchContext, dictionaryColumn, generatedTable } from './generated-table.ts';

const ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_QUERY_SECONDS ?? 10);
const CONCURRENCY = 10;
const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区'];

const COLUMNS = [
  dictionaryColumn('区县'),
  dictionaryColumn('类别', { type: 'integer' }),
  dictionaryColumn('金额', { type: 'numeric' }),
  dictionaryColumn('登记日期', { type: 'date', indexed: true }),
  dictionaryColumn('名称'),
];

const overHttp = (urls: string[]) => loadOverHttp(urls, CONCURRENCY, SECONDS);
const direct = (run: (i: number) => Promise<unknown>) => runCallers(SECONDS, CONCURRENCY, run);

async function main() {
  console.log(`DataStore query benchmark — ${machine()}`);
  if (!(await postgresAvailable())) {
    console.log('PostgreSQL is not available: nothing to measure.');
    return;
  }
  const bench = await freshDatabase('postgres', 12);
  try {
    const ctx = benchContext(bench, 'civitas-bench-query', { rateLimitPerMinute: 10_000_000 });
    const actor = systemActor('bench');
    // Published and open: the benchmark's clients are anonymous, as a portal's visitors are.
    const { distributionId: dist, seconds } = await generatedTable(ctx, actor, {
      department: { code: 'BQ', nameZh: '查询局', nameEn: 'Query Bureau', regionCode: '339900' },
      dataset: {
        name: 'bench-query',
        titleZh: '登记',
        openType: 'open',
        shareType: 'unconditional',
        licenseId: 'cc-by',
      },
      distribution: { name: 'rows', url: 'https://example.org/r.csv' },
      rows: ROWS,
      select: sql`
            (array['上城区','拱墅区','西湖区','滨江区','萧山区','余杭区'])[1 + (g::bigint * 7919) % 6] as "区县",
            ((g::bigint * 104729) % 50)::integer as "类别",
            ((g::bigint * 15485863) % 1000000 / 100.0)::numeric as "金额",
            date '2015-01-01' + ((g::bigint * 2654435761) % 3650)::int as "登记日期",
            '岚山企业' || g as "名称"`,
      columns: COLUMNS,
      indexed: '登记日期',
      analyzeBeforePublish: true,
    });
    console.log(`generated ${fmt(ROWS)} rows with the date index in ${seconds.toFixed(1)} s`);

    const app = await buildApp(ctx, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const url = (district: string, offset: number, extra: string) =>
      `${base}/api/3/action/datastore_search?resource_id=${dist}&filters=${encodeURIComponent(JSON.stringify({ 区县: district }))}&sort=${encodeURIComponent('登记日期 desc')}&limit=100&offset=${offset}${extra}`;
    const probe = await fetch(url(DISTRICTS[0] as string, 0, '&include_total=false'));
    if (probe.status !== 200)
      throw new Error(`datastore_search answered ${probe.status}: ${await probe.text()}`);
    const urls = (extra: string) => DISTRICTS.flatMap((d) => [0, 100, 200, 300].map((o) => url(d, o, extra)));
    const rows: (string | number)[][] = [];
    const add = (what: string, r: ReturnType<typeof summarise>) =>
      rows.push([what, fmt(Math.round(r.rps)), r.p50.toFixed(1), r.p95.toFixed(1), r.p99.toFixed(1)]);

    add(
      'direct SQL: page (limit)',
      await direct((i) =>
        sql`select _id, "区县", "类别", "金额", "登记日期", "名称" from ${sql.id('datastore', dist)}
            where "区县" = ${DISTRICTS[i % 6]} order by "登记日期" desc, _id desc limit 100 offset ${(i % 4) * 100}`.execute(
          ctx.db,
        ),
      ),
    );
    add('datastore_search, include_total=false', await overHttp(urls('&include_total=false')));
    add('datastore_search, total estimated', await overHttp(urls('&total_estimation_threshold=100000')));
    add(
      'direct SQL: page + exact count (limit)',
      await direct(async (i) => {
        await sql`select _id from ${sql.id('datastore', dist)} where "区县" = ${DISTRICTS[i % 6]} order by "登记日期" desc, _id desc limit 100`.execute(
          ctx.db,
        );
        await sql`select count(*) from ${sql.id('datastore', dist)} where "区县" = ${DISTRICTS[i % 6]}`.execute(
          ctx.db,
        );
      }),
    );
    add('datastore_search, exact total (default)', await overHttp(urls('')));
    printTable(['query (10 clients)', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'], rows);
    await app.close();
  } finally {
    await bench.dispose();
  }
}

await main();
