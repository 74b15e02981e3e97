// DataStore queries at scale: CKAN datastore_search on a 10,000,000-row table with a filter and a sort
// (p50/p95/p99 at 10 concurrent clients over HTTP), beside the same SQL run directly by 10 callers
// (the limit). The table is generated in SQL and published through the DataStore's own publish step
// (views, dictionary), with the sorted column indexed from the dictionary as a steward would.
//   npx tsx bench/datastore-query.ts   BENCH_QUERY_ROWS=10000000 BENCH_QUERY_SECONDS=10 (PostgreSQL only)
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { DictionaryColumn } from '../src/contracts/datastore.ts';
import { buildApp } from '../src/server/app.ts';
import {
  addLinkDistribution,
  createDataset,
  reviewDataset,
  submitDataset,
} from '../src/server/modules/catalog/index.ts';
import { createColumnIndex } from '../src/server/modules/datastore/build-version.ts';
import { lockTable } from '../src/server/modules/datastore/datastore.repository.ts';
import { publishVersion } from '../src/server/modules/datastore/publish-version.ts';
import { versionTable } from '../src/server/modules/datastore/table-names.ts';
import { createDepartment } from '../src/server/modules/identity/index.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { createContext } from '../src/server/platform/context.ts';
import { ephemeralSecrets } from '../src/server/platform/secrets.ts';
import {
  fmt,
  freshDatabase,
  loadOverHttp,
  machine,
  postgresAvailable,
  printTable,
  summarise,
  timed,
} from './bench-support.ts';

const ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_QUERY_SECONDS ?? 10);
const CONCURRENCY = 10;
const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区'];

const column = (id: string, type: DictionaryColumn['type'], indexed = false): DictionaryColumn => ({
  id,
  label: id,
  type,
  sensitivity: 'public',
  mask: 'none',
  ...(indexed ? { indexed } : {}),
});
const COLUMNS = [
  column('区县', 'text'),
  column('类别', 'integer'),
  column('金额', 'numeric'),
  column('登记日期', 'date', true),
  column('名称', 'text'),
];

const overHttp = (urls: string[]) => loadOverHttp(urls, CONCURRENCY, SECONDS);

async function direct(run: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await run(next++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return summarise(latencies, (performance.now() - started) / 1000);
}

async function main() {
  console.log(`DataStore query benchmark — ${machine()}`);
  if (!(await postgresAvailable())) {
    console.log('PostgreSQL is not available: nothing to measure.');
    return;
  }
  const bench = await freshDatabase('postgres', 12);
  try {
    const config = loadConfig({ dataDir: path.join(os.tmpdir(), 'civitas-bench-query') }, {});
    const ctx = createContext(
      { ...config, logLevel: 'silent', rateLimitPerMinute: 10_000_000 },
      bench.handle,
      ephemeralSecrets(),
    );
    const actor = systemActor('bench');
    const dept = await createDepartment(ctx, actor, {
      code: 'BQ',
      nameZh: '查询局',
      nameEn: 'Query Bureau',
      regionCode: '339900',
    });
    const ds = await createDataset(ctx, actor, {
      name: 'bench-query',
      titleZh: '登记',
      departmentId: dept.id,
      openType: 'open',
      shareType: 'unconditional',
      licenseId: 'cc-by',
    });
    const dist = (
      await addLinkDistribution(ctx, actor, ds.id, { name: 'rows', url: 'https://example.org/r.csv' })
    ).distributions[0]!.id;
    // Published and open: the benchmark's clients are anonymous, as a portal's visitors are.
    await submitDataset(ctx, actor, ds.id);
    await reviewDataset(ctx, actor, ds.id, { decision: 'publish' });
    const generated = await timed(() =>
      ctx.db.transaction().execute(async (trx) => {
        await lockTable(trx, dist, ds.id);
        await sql`create table ${versionTable(dist, 1)} as
          select g::bigint as _id,
            (array['上城区','拱墅区','西湖区','滨江区','萧山区','余杭区'])[1 + (g::bigint * 7919) % 6] as "区县",
            ((g::bigint * 104729) % 50)::integer as "类别",
            ((g::bigint * 15485863) % 1000000 / 100.0)::numeric as "金额",
            date '2015-01-01' + ((g::bigint * 2654435761) % 3650)::int as "登记日期",
            '岚山企业' || g as "名称"
          from generate_series(1, ${sql.lit(ROWS)}) g`.execute(trx);
        await sql`alter table ${versionTable(dist, 1)} add primary key (_id)`.execute(trx);
        await createColumnIndex(trx, dist, 1, '登记日期');
        await sql`analyze ${versionTable(dist, 1)}`.execute(trx);
        await publishVersion(trx, {
          distributionId: dist,
          datasetId: ds.id,
          departmentId: dept.id,
          loadId: null,
          version: 1,
          mode: 'replace',
          rows: ROWS,
          columns: COLUMNS,
          key: [],
          checksum: null,
          sourceName: 'generated',
          summary: null,
          keep: 5,
          actor,
        });
      }),
    );
    await sql`vacuum analyze ${versionTable(dist, 1)}`.execute(ctx.db);
    console.log(`generated ${fmt(ROWS)} rows with the date index in ${generated.seconds.toFixed(1)} s`);

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
