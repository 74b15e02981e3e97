// DataStore quality on a typed version table as a load leaves it (20 columns: 12 typed, 8 text,
// ANALYZEd), beside the limits: a plain count(*) and a plain aggregate pass (count/min/max of every
// column, no classifier). Then the same profile with nine rules counted in its pass.
//   npx tsx bench/datastore-quality.ts   BENCH_ROWS=1000000 BENCH_PGLITE_ROWS=100000 (0: skip PGlite)
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { QualityRule } from '../src/contracts/datastore-quality.ts';
import { type ProfiledColumn, profileTable } from '../src/server/modules/datastore/quality/profile.ts';
import { checkTable } from '../src/server/modules/datastore/quality/rule-check.ts';
import { versionTable } from '../src/server/modules/datastore/table-names.ts';
import { jitOff } from '../src/server/modules/datastore/types/index.ts';
import type { Db } from '../src/server/platform/db.ts';
import { fmt, freshDatabase, onEachEngine, printTable, timed } from './bench-support.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PGLITE_ROWS = Number(process.env.BENCH_PGLITE_ROWS ?? 100_000);

const SURNAMES =
  "array['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','高','林','罗']";
const DISTRICTS = "array['上城区','拱墅区','西湖区','滨江区','萧山区','余杭区']";

/** Twenty columns of a city's register, typed as inference leaves them, with odd blanks and misfits. */
const COLUMNS: (ProfiledColumn & { expr: string })[] = [
  { id: '序号', type: 'bigint', expr: 'g::bigint' },
  { id: '人口数', type: 'integer', expr: '((g::bigint * 7919) % 5000000)::int' },
  { id: '金额', type: 'numeric', expr: '((g::bigint * 31) % 10000000 / 100.0)::numeric(12,2)' },
  { id: '合同金额', type: 'numeric', expr: '((g::bigint * 1000003) % 999999937)::numeric' },
  { id: '成立日期', type: 'date', expr: "date '2000-01-01' + (g % 9000)" },
  {
    id: '发证日期',
    type: 'date',
    expr: "case when g % 50 = 0 then null else date '2010-01-01' + (g % 5000) end",
  },
  { id: '更新时间', type: 'timestamp', expr: "timestamp '2023-01-01' + (g % 500000) * interval '1 minute'" },
  { id: '开放时间', type: 'time', expr: "time '08:00' + (g % 600) * interval '1 minute'" },
  { id: '是否公开', type: 'boolean', expr: 'g % 2 = 0' },
  { id: '达标', type: 'boolean', expr: 'case when g % 7 = 0 then null else g % 3 > 0 end' },
  { id: '排名', type: 'integer', expr: '(g % 1000)::int' },
  { id: '标志', type: 'integer', expr: '(g % 2)::int' },
  { id: '姓名', type: 'text', expr: `(${SURNAMES})[1 + g % 20] || (${SURNAMES})[1 + (g / 20) % 20]` },
  {
    id: '地址',
    type: 'text',
    expr: `'浙江省杭州市' || (${DISTRICTS})[1 + g % 6] || '文三路' || (g % 500) || '号'`,
  },
  {
    id: '联系电话',
    type: 'text',
    expr: "'13' || (g % 10) || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0')",
  },
  {
    id: '身份证号',
    type: 'text',
    expr: "'3301061990' || lpad((1 + g % 12)::text, 2, '0') || lpad((1 + g % 28)::text, 2, '0') || lpad((g % 1000)::text, 3, '0') || 'X'",
  },
  { id: '信用代码', type: 'text', expr: "'91339900MA' || lpad((g % 100000000)::text, 8, '0')" },
  { id: '行政区划代码', type: 'text', expr: "lpad((g % 1000)::text, 4, '0')" },
  { id: '病床数', type: 'text', expr: "case when g % 10000 = 0 then '约5' else (g % 800)::text end" },
  { id: '备注', type: 'text', expr: "case when g % 3 = 0 then null else '备注' || (g % 50) end" },
].map((c) => ({ ...c, label: c.id }) as ProfiledColumn & { expr: string });

const RULES: QualityRule[] = [
  { column: '身份证号', kind: 'resident_id' },
  { column: '联系电话', kind: 'phone' },
  { column: '信用代码', kind: 'uscc' },
  { column: '行政区划代码', kind: 'pattern', regex: '^[0-9]{4}$' },
  { column: '人口数', kind: 'range', min: 0, max: 4_000_000 },
  { column: '成立日期', kind: 'date_range', from: '2001-01-01', to: '2025-12-31' },
  { column: '姓名', kind: 'enum', values: ['王李', '李王', '张三'] },
  { column: '备注', kind: 'not_null' },
  { column: '序号', kind: 'unique' },
];

async function run(engine: 'postgres' | 'pglite', rows: number) {
  const bench = await freshDatabase(engine, 2);
  const { db } = bench.handle;
  const dist = randomUUID();
  const table = versionTable(dist, 1);
  try {
    const build = await timed(async () => {
      const select = COLUMNS.map((c) => sql`${sql.raw(c.expr)} as ${sql.id(c.id)}`);
      await sql`create table ${table} as select g::bigint as _id, ${sql.join(select)}
        from generate_series(1, ${sql.lit(rows)}) g`.execute(db);
      await sql`alter table ${table} add primary key (_id)`.execute(db);
      await sql`vacuum analyze ${table}`.execute(db);
    });
    // As the service runs them: in a transaction, JIT off (the classifier's CASE trees are large).
    const inTrx = <T>(fn: (trx: Db) => Promise<T>) =>
      db.transaction().execute(async (trx) => {
        await jitOff().execute(trx);
        return fn(trx);
      });
    const count = await timed(() => inTrx((trx) => sql`select count(*) from ${table}`.execute(trx)));
    const plain = await timed(() =>
      inTrx((trx) =>
        sql`select count(*), ${sql.join(
          COLUMNS.map((c) =>
            c.type === 'boolean'
              ? sql`count(${sql.id(c.id)}), bool_and(${sql.id(c.id)}), bool_or(${sql.id(c.id)})`
              : sql`count(${sql.id(c.id)}), min(${sql.id(c.id)}), max(${sql.id(c.id)})`,
          ),
        )} from ${table}`.execute(trx),
      ),
    );
    const profile = await timed(() => inTrx((trx) => profileTable(trx, dist, 1, COLUMNS)));
    const withRules = await timed(() => inTrx((trx) => checkTable(trx, dist, 1, COLUMNS, RULES)));
    const cells = rows * COLUMNS.length;
    console.log(
      `\n${engine}: ${fmt(rows)} rows × ${COLUMNS.length} columns (12 typed, 8 text); table built in ${build.seconds.toFixed(1)} s`,
    );
    printTable(
      ['step', 'seconds', 'cells/s', '× count(*)'],
      [
        ['select count(*) (limit)', count.seconds, count.seconds],
        ['count/min/max of every column (limit)', plain.seconds, count.seconds],
        [
          'profileTable: aggregate pass, text classified on a sample, pg_stats',
          profile.seconds,
          count.seconds,
        ],
        ['checkTable: profile + 9 rules, examples', withRules.seconds, count.seconds],
      ].map(([name, s, base]) => [
        name as string,
        (s as number).toFixed(2),
        fmt(cells / (s as number)),
        ((s as number) / (base as number)).toFixed(1),
      ]),
    );
    const rules = withRules.value.rules.map(
      (r) => `${r.rule.kind}(${r.rule.column}) ${r.violations.toLocaleString('en-US')}`,
    );
    console.log(`violations: ${rules.join('; ')}`);
    const estimated = profile.value.columns.filter((c) => c.estimated).length;
    console.log(`${estimated} of ${COLUMNS.length} columns with estimated distinct counts and common values`);
  } finally {
    await bench.dispose();
  }
}

await onEachEngine('DataStore quality', { postgres: ROWS, pglite: PGLITE_ROWS }, run);
