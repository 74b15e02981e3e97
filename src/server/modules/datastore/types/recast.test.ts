import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { type RecastCheck, recastCheckQuery, recastExpression } from './cast.ts';
import { type ColumnType, DEFAULT_NULL_TOKENS } from './classify.ts';

// A steward changes a column's type in the data dictionary: first the values that would not survive
// are counted and shown, then the column is converted — values that do not fit become NULL.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await sql`create table typed_recast (_id bigint, code text, amount numeric, day date, flag boolean, n integer)`.execute(
    ctx.db,
  );
  await sql`insert into typed_recast values
    (1, '12', 12.5, '2023-05-21', true, 1),
    (2, '007', 3, '2024-02-29', false, 0),
    (3, 'NA', null, null, null, 2147483647),
    (4, '约5', 1e20, '1999-12-31', true, -5),
    (5, '13', -0.5, '2023-01-01', null, null)`.execute(ctx.db);
});
afterAll(async () => ctx?.dispose());

async function check(column: string, to: ColumnType, limit = 10): Promise<RecastCheck> {
  const { rows } = await recastCheckQuery('typed_recast', column, to, DEFAULT_NULL_TOKENS, limit).execute(
    ctx.db,
  );
  return {
    count: Number(rows[0]!.count),
    examples: rows[0]!.examples.map((e) => ({ ...e, key: Number(e.key) })),
  };
}

describe('recasting a typed column', () => {
  it('reports the values that would not fit, by key', async () => {
    expect(await check('code', 'integer')).toEqual({
      count: 2,
      examples: [
        { key: 2, value: '007' },
        { key: 4, value: '约5' },
      ],
    });
    expect(await check('code', 'integer', 1)).toMatchObject({ count: 2, examples: [{ key: 2 }] });
    expect(await check('amount', 'integer')).toEqual({
      count: 3,
      examples: [
        { key: 1, value: '12.5' },
        { key: 4, value: '100000000000000000000' },
        { key: 5, value: '-0.5' },
      ],
    });
    expect(await check('n', 'boolean')).toMatchObject({ count: 2 });
    expect(await check('day', 'timestamp')).toEqual({ count: 0, examples: [] });
    expect(await check('flag', 'text')).toEqual({ count: 0, examples: [] });
  });

  it('converts totally: what does not fit becomes NULL', async () => {
    const { rows } = await sql<Record<string, unknown>>`select
        ${recastExpression('code', 'integer', DEFAULT_NULL_TOKENS)} as code,
        ${recastExpression('amount', 'bigint', DEFAULT_NULL_TOKENS)} as amount,
        (${recastExpression('day', 'timestamp', DEFAULT_NULL_TOKENS)})::text as day,
        ${recastExpression('flag', 'text', DEFAULT_NULL_TOKENS)} as flag,
        ${recastExpression('n', 'boolean', DEFAULT_NULL_TOKENS)} as n
      from typed_recast order by _id`.execute(ctx.db);
    expect(rows).toEqual([
      { code: 12, amount: null, day: '2023-05-21 00:00:00', flag: 'true', n: true },
      { code: null, amount: 3, day: '2024-02-29 00:00:00', flag: 'false', n: false },
      { code: null, amount: null, day: null, flag: null, n: null },
      { code: null, amount: null, day: '1999-12-31 00:00:00', flag: 'true', n: null },
      { code: 13, amount: null, day: '2023-01-01 00:00:00', flag: null, n: null },
    ]);
    await sql`alter table typed_recast alter column code type integer using ${recastExpression('code', 'integer', DEFAULT_NULL_TOKENS)}`.execute(
      ctx.db,
    );
  });
});
