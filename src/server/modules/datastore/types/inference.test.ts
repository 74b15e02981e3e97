import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { castExpression, disagreementsQuery } from './cast.ts';
import { type ColumnType, classifyValue, DEFAULT_NULL_TOKENS } from './classify.ts';
import { makeColumnIds } from './column-ids.ts';
import { type ColumnDecision, decideColumnTypes, type InferenceRow, inferenceQuery } from './inference.ts';
import { BIT } from './patterns.ts';
import { stagedValue } from './types.test-helpers.ts';

// Inference end to end: a staging table, the one-pass statistics, the decision, the typed table
// built with the casts, and the report's examples of values that disagreed.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.dispose());

/** The inference rows for columns of values, computed in JS with the reference classifier. */
function jsRows(columns: (string | null)[][]): InferenceRow[] {
  const rows: InferenceRow[] = [];
  columns.forEach((values, col) => {
    const h = new Map<number, number>();
    for (const v of values) {
      const m = classifyValue(v).mask;
      h.set(m, (h.get(m) ?? 0) + 1);
    }
    for (const [mask, n] of h) rows.push({ col, mask, n });
  });
  return rows;
}

const decide = (values: (string | null)[], label = 'x') => decideColumnTypes(jsRows([values]), [label])[0]!;
const times = (n: number, v: string) => Array.from({ length: n }, () => v);

describe('decideColumnTypes', () => {
  it('picks the narrowest type every value fits', () => {
    expect(decide(['1', '2', '', 'NA']).type).toBe('integer');
    expect(decide(['1', '3000000000']).type).toBe('bigint');
    expect(decide(['1', '2.5', '1,234,567.5']).type).toBe('numeric');
    expect(decide(['2023-05-21', '2023年5月22日', '2023/5/23']).type).toBe('date');
    expect(decide(['2023-05-21', '2023-05-21 10:30']).type).toBe('timestamp');
    expect(decide(['10:30', '9:05:07']).type).toBe('time');
    expect(decide(['20230521', '20230522']).type).toBe('integer');
    expect(decide(['是', '否', '']).type).toBe('boolean');
    expect(decide(['Y', 'N', '1']).type).toBe('boolean');
  });

  it('counts nulls apart', () => {
    expect(decide(['1', null, '', '-', '2'])).toEqual({
      type: 'integer',
      candidate: null,
      nonNull: 2,
      nulls: 3,
      disagreeing: 0,
    });
    expect(decide([null, 'NA'])).toMatchObject({ type: 'text', reason: 'empty', nonNull: 0, nulls: 2 });
  });

  it('reads 1/0 as integers unless the header asks yes or no', () => {
    expect(decide(['1', '0', '1']).type).toBe('integer');
    expect(decide(['1', '0', '1'], '是否公开').type).toBe('boolean');
    expect(decide(['1', '0', '2'], '是否公开').type).toBe('integer');
  });

  it('keeps identifiers text', () => {
    expect(decide(['007', '012', '123'])).toMatchObject({
      type: 'text',
      reason: 'leading_zeros',
      candidate: null,
    });
    expect(decide(['13812345678', '13987654321'])).toMatchObject({ type: 'text', reason: 'identifier' });
    expect(decide(['110105194912310021', '110105194912310022'])).toMatchObject({
      type: 'text',
      reason: 'identifier',
    });
    expect(decide(['110101', '110102'], '行政区划代码')).toMatchObject({
      type: 'text',
      reason: 'label_hint',
    });
    expect(decide(['110101', '110102'], 'zip')).toMatchObject({ type: 'text', reason: 'label_hint' });
    // Amounts may reach eleven digits; one phone-like value among them is no reason for text.
    expect(decide(['13812345678', '1200']).type).toBe('bigint');
    expect(decideColumnTypes(jsRows([['110101']]), ['代码'], { labelHints: false })[0]!.type).toBe('integer');
  });

  it('falls back to text with the candidate most values had', () => {
    const d = decide([...times(9990, '42'), ...times(5, '约5'), ...times(5, '2023-02-30')]);
    expect(d).toEqual<ColumnDecision>({
      type: 'text',
      candidate: 'integer',
      nonNull: 10_000,
      nulls: 0,
      disagreeing: 10,
      reason: 'mixed',
    });
    expect(decide([...times(5, '1.5'), ...times(4, '2'), 'x'])).toMatchObject({
      candidate: 'numeric',
      disagreeing: 1,
    });
    expect(decide(['2023-05-21', '2023-02-30', '2023-05-22'])).toMatchObject({
      candidate: 'date',
      disagreeing: 1,
    });
    expect(decide(['北京', '上海', '1'])).toMatchObject({ type: 'text', candidate: null, disagreeing: 0 });
    expect(decide(['北京', '上海', '1']).reason).toBeUndefined();
  });

  it('picks, for a generated column, the narrowest type all its values fit', () => {
    const order: ColumnType[] = ['boolean', 'integer', 'bigint', 'numeric', 'date', 'timestamp', 'time'];
    fc.assert(
      fc.property(fc.array(stagedValue, { minLength: 1, maxLength: 40 }), (values) => {
        const d = decide(values, 'x');
        const classes = values.map((v) => classifyValue(v)).filter((c) => !c.isNull);
        const fitAll = order.filter((t) => classes.length > 0 && classes.every((c) => c.types.includes(t)));
        if (d.type === 'text') {
          // Text only when nothing fits all, or the values are identifiers, or 1/0 without words.
          const identifiers = classes.every((c) => c.identifier);
          expect(fitAll.filter((t) => t !== 'boolean').length === 0 || identifiers).toBe(true);
        } else {
          expect(fitAll).toContain(d.type);
          const narrower = fitAll.slice(0, fitAll.indexOf(d.type)).filter((t) => t !== 'boolean');
          expect(narrower).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('inference on the database', () => {
  const labels = [
    '编号',
    '人口数',
    '面积',
    '成立日期',
    '更新时间',
    '是否公开',
    '备注',
    '',
    '联系方式',
    '金额',
  ];
  const rows: (string | null)[][] = [
    ['001', '12,345', '16.41', '2023-05-21', '2023-05-21 10:30', '是', '主城区', null, '13812345678', '100'],
    ['002', '8', ' 7.5 ', '2023/5/2', '2023/5/21 9:05:01', '否', "it's", null, '13987654321', '约5'],
    ['003', 'NA', '1e3', '2023年6月1日', '2023-05-21T23:59:59.5', 'Y', '', null, '-', '2023-02-30'],
    ['104', '2147483647', '-0.25', '2024.2.29', '2023-06-01', 'n', 'x\\y', null, '15000000000', '300'],
    ['105', '-7', '0', '', null, '', 'NULL', null, '', '400'],
  ];

  beforeAll(async () => {
    const cols = labels.map((_, i) => sql.id(`c${i + 1}`));
    await sql`create table staging_e2e (_row bigint, ${sql.join(cols.map((c) => sql`${c} text`))})`.execute(
      ctx.db,
    );
    const values = rows.map(
      (r, i) => sql`(${sql.lit(i + 1)}, ${sql.join(r.map((v) => (v === null ? sql`null` : sql`${v}`)))})`,
    );
    await sql`insert into staging_e2e values ${sql.join(values)}`.execute(ctx.db);
  });

  it('agrees with the JS reference and types every column', async () => {
    const staging = labels.map((_, i) => `c${i + 1}`);
    const stats = await inferenceQuery('staging_e2e', staging, DEFAULT_NULL_TOKENS).execute(ctx.db);
    const columns = labels.map((_, i) => rows.map((r) => r[i] ?? null));
    const norm = (rs: readonly InferenceRow[]) =>
      rs
        .map((r) => ({ col: Number(r.col), mask: Number(r.mask), n: Number(r.n) }))
        .sort((a, b) => a.col - b.col || a.mask - b.mask);
    expect(norm(stats.rows)).toEqual(norm(jsRows(columns)));

    const decisions = decideColumnTypes(stats.rows, labels);
    expect(decisions.map((d) => d.type)).toEqual([
      'text',
      'integer',
      'numeric',
      'date',
      'timestamp',
      'boolean',
      'text',
      'text',
      'text',
      'text',
    ]);
    expect(decisions.map((d) => d.reason)).toEqual([
      'leading_zeros',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'empty',
      'identifier',
      'mixed',
    ]);
    expect(decisions[9]).toMatchObject({ candidate: 'integer', disagreeing: 2, nonNull: 5 });

    const ids = makeColumnIds(labels);
    const select = decisions.map(
      (d, i) =>
        sql`${castExpression(sql.ref(`s.${staging[i]}`), d.type, DEFAULT_NULL_TOKENS)} as ${sql.id(ids[i]!)}`,
    );
    await sql`create table typed_e2e as select s._row as _id, ${sql.join(select)} from staging_e2e s`.execute(
      ctx.db,
    );
    const typed = await sql<Record<string, unknown>>`select
        编号, 人口数, 面积::text, 成立日期::text, 更新时间::text, 是否公开, 备注, column_8, 联系方式, 金额
      from typed_e2e order by _id`.execute(ctx.db);
    expect(typed.rows.map((r) => Object.values(r))).toEqual([
      [
        '001',
        12345,
        '16.41',
        '2023-05-21',
        '2023-05-21 10:30:00',
        true,
        '主城区',
        null,
        '13812345678',
        '100',
      ],
      ['002', 8, '7.5', '2023-05-02', '2023-05-21 09:05:01', false, "it's", null, '13987654321', '约5'],
      ['003', null, '1000', '2023-06-01', '2023-05-21 23:59:59.5', true, null, null, null, '2023-02-30'],
      [
        '104',
        2147483647,
        '-0.25',
        '2024-02-29',
        '2023-06-01 00:00:00',
        false,
        'x\\y',
        null,
        '15000000000',
        '300',
      ],
      ['105', -7, '0', null, null, null, null, null, null, '400'],
    ]);
    const types = await sql<{ column_name: string; data_type: string }>`select column_name, data_type
      from information_schema.columns where table_name = 'typed_e2e' order by ordinal_position`.execute(
      ctx.db,
    );
    expect(types.rows.map((r) => r.data_type)).toEqual([
      'bigint',
      'text',
      'integer',
      'numeric',
      'date',
      'timestamp without time zone',
      'boolean',
      'text',
      'text',
      'text',
      'text',
    ]);
  });

  it('lists the disagreeing rows of a mixed column', async () => {
    const { rows: bad } = await disagreementsQuery(
      'staging_e2e',
      'c10',
      'integer',
      DEFAULT_NULL_TOKENS,
      10,
    ).execute(ctx.db);
    expect(bad.map((r) => [Number(r._row), r.value])).toEqual([
      [2, '约5'],
      [3, '2023-02-30'],
    ]);
    const { rows: one } = await disagreementsQuery(
      'staging_e2e',
      'c10',
      'integer',
      DEFAULT_NULL_TOKENS,
      1,
    ).execute(ctx.db);
    expect(one).toHaveLength(1);
    const { rows: none } = await disagreementsQuery(
      'staging_e2e',
      'c2',
      'integer',
      DEFAULT_NULL_TOKENS,
      10,
    ).execute(ctx.db);
    expect(none).toEqual([]);
  });

  it('counts a million-cell column in one pass without choking on odd values', async () => {
    await sql`create table staging_big (_row bigint, c1 text, c2 text)`.execute(ctx.db);
    await sql`insert into staging_big select g, g::text, case when g % 1000 = 0 then '1e400' else (g * 1.5)::text end
      from generate_series(1, 20000) g`.execute(ctx.db);
    const stats = await inferenceQuery('staging_big', ['c1', 'c2'], DEFAULT_NULL_TOKENS).execute(ctx.db);
    const [a, b] = decideColumnTypes(stats.rows, ['a', 'b']);
    expect(a).toMatchObject({ type: 'integer', nonNull: 20000 });
    expect(b).toMatchObject({ type: 'numeric', nonNull: 20000 });
    expect(stats.rows.every((r) => (Number(r.mask) & BIT.null) === 0)).toBe(true);
  });
});
