import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { versionTable } from '../table-names.ts';
import { EXACT_ROWS, type ProfiledColumn, profileTable } from './profile.ts';
import { checkTable } from './rule-check.ts';

// A version table larger than EXACT_ROWS, built in SQL: distinct counts and most common values come
// from the statistics, every other figure is exact; date and timestamp ranges count whole days.

let ctx: TestContext;
const dist = randomUUID();
const ROWS = 120_000;
const COLUMNS: ProfiledColumn[] = [
  { id: '数量', label: '数量', type: 'integer' },
  { id: '类别', label: '类别', type: 'text' },
  { id: '日期', label: '日期', type: 'date' },
  { id: '时间', label: '时间', type: 'timestamp' },
  { id: '达标', label: '达标', type: 'boolean' },
  { id: '金额', label: '金额', type: 'numeric' },
  { id: '床位', label: '床位', type: 'text' },
];

beforeAll(async () => {
  ctx = await createTestContext();
  await sql`create table ${versionTable(dist, 1)} as
    select g::bigint as _id, (g % 1000)::int as "数量",
      case when g % 10 = 0 then null else 'v' || (g % 7) end as "类别",
      date '2024-01-01' + (g % 400) as "日期",
      timestamp '2024-01-01' + g * interval '1 minute' as "时间",
      (g % 2 = 0) as "达标", (g / 3.0)::numeric(12, 2) as "金额",
      case when g % 100 = 0 then '约' || (g % 50) else (g % 50)::text end as "床位"
    from generate_series(1, ${sql.lit(ROWS)}) g`.execute(ctx.db);
  await sql`alter table ${versionTable(dist, 1)} add primary key (_id)`.execute(ctx.db);
  await sql`analyze ${versionTable(dist, 1)}`.execute(ctx.db);
});
afterAll(async () => ctx?.dispose());

describe('profiling a large table', () => {
  it('counts exactly in one pass and estimates distinct and common values from the statistics', async () => {
    expect(ROWS).toBeGreaterThan(EXACT_ROWS);
    const p = await profileTable(ctx.db, dist, 1, COLUMNS);
    expect(p.rows).toBe(ROWS);
    const col = (id: string) => p.columns.find((c) => c.id === id)!;
    expect(col('数量')).toMatchObject({
      min: '0',
      max: '999',
      distinct: 1000,
      estimated: true,
      completeness: 100,
    });
    expect(col('类别')).toMatchObject({
      nonNull: 108_000,
      completeness: 90,
      minLength: 2,
      maxLength: 2,
      distinct: 7,
    });
    expect(col('类别').mostCommon).toHaveLength(5);
    for (const v of col('类别').mostCommon) {
      expect(v.value).toMatch(/^v[0-6]$/);
      // 108,000 / 7 ≈ 15,429 each, from a sample.
      expect(Math.abs(v.count - 15_429)).toBeLessThan(1_500);
    }
    expect(col('日期')).toMatchObject({ min: '2024-01-01', max: '2025-02-03' });
    expect(col('达标')).toMatchObject({ min: 'false', max: 'true' });
    expect(col('金额')).toMatchObject({ min: '0.33', max: '40000' });
    // One value in a hundred is not an integer; classified on a sample of about EXACT_ROWS rows.
    expect(col('床位')).toMatchObject({ candidate: 'integer', completeness: 100 });
    expect(Math.abs(col('床位').conformity! - 99)).toBeLessThan(0.3);
  });

  it('checks date and timestamp ranges by whole days, and skips rules that no longer suit', async () => {
    const { rules } = await checkTable(ctx.db, dist, 1, COLUMNS, [
      { column: '日期', kind: 'date_range', from: '2024-01-01', to: '2024-12-31' },
      { column: '时间', kind: 'date_range', to: '2024-01-31' },
      { column: '数量', kind: 'range', min: 1 },
      { column: '类别', kind: 'range', max: 3 },
      { column: '已删除', kind: 'not_null' },
      { column: '类别', kind: 'unique' },
    ]);
    // Offsets 366–399 of every 400 days fall in 2025: 34 × 300.
    expect(rules[0]).toMatchObject({ checked: ROWS, violations: 34 * 300 });
    expect(rules[0]!.examples[0]).toEqual({ id: 366, value: '2025-01-01' });
    // From 2024-02-01 00:00, minute 44,640 on.
    expect(rules[1]).toMatchObject({ violations: ROWS - 44_640 + 1 });
    expect(rules[1]!.examples[0]).toEqual({ id: 44_640, value: '2024-02-01 00:00:00' });
    expect(rules[2]).toMatchObject({
      violations: ROWS / 1000,
      examples: expect.arrayContaining([{ id: 1000, value: '0' }]),
    });
    expect(rules[2]!.examples).toHaveLength(10);
    expect(rules[3]).toMatchObject({ status: 'skipped', reason: 'type_mismatch', checked: 0 });
    expect(rules[4]).toMatchObject({ status: 'skipped', reason: 'unknown_column' });
    expect(rules[5]).toMatchObject({ checked: 108_000, violations: 108_000 - 7 });
    expect(rules[5]!.examples.map((e) => e.id)).toEqual([8, 9, 11, 12, 13, 14, 15, 16, 17, 18]);
  });

  it('takes the figures the load saw as it wrote the version, for columns of the type it wrote', async () => {
    const extremes = Object.fromEntries(
      COLUMNS.map((c) => [
        c.id,
        c.type === 'text'
          ? { min: null, max: null, minLength: 1, maxLength: 9 }
          : { min: '-5', max: '5', minLength: null, maxLength: null },
      ]),
    );
    const decided = COLUMNS.map((c) => ({ ...c, candidate: null, nonNull: 7, disagreeing: 0 }));
    const known = { version: 1, rows: ROWS, columns: decided, extremes };
    const range = [{ rule: { column: '数量', kind: 'range' as const, min: 1 }, index: 0 }];
    // Every column known: the table is read for the rule only.
    const all = await profileTable(ctx.db, dist, 1, COLUMNS, range, known);
    const col = (p: typeof all, id: string) => p.columns.find((c) => c.id === id)!;
    expect(all.rows).toBe(ROWS);
    expect(col(all, '数量')).toMatchObject({ min: '-5', max: '5', nonNull: 7 });
    expect(col(all, '类别')).toMatchObject({ minLength: 1, maxLength: 9, nonNull: 7 });
    expect(all.violations.get(0)).toBe(ROWS / 1000);
    // A column since re-cast (another type than the load wrote) is read from the table.
    const recast = decided.map((c) => (c.id === '日期' ? { ...c, type: 'text' as const } : c));
    const some = await profileTable(ctx.db, dist, 1, COLUMNS, [], { ...known, columns: recast });
    expect(col(some, '日期')).toMatchObject({ min: '2024-01-01', max: '2025-02-03', nonNull: ROWS });
    expect(col(some, '数量')).toMatchObject({ min: '-5' });
    // Another version's figures are not this one's.
    const other = await profileTable(ctx.db, dist, 1, COLUMNS, [], { ...known, version: 2 });
    expect(col(other, '数量')).toMatchObject({ min: '0', max: '999', nonNull: ROWS });
  });
});
