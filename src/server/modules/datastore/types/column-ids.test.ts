import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { MAX_ID_BYTES, makeColumnIds } from './column-ids.ts';
import { storable } from './types.test-helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.dispose());

describe('makeColumnIds', () => {
  it('makes readable ids from header labels', () => {
    expect(
      makeColumnIds([
        '行政区划代码',
        'Total Population',
        ' 金额（元） ',
        '',
        '  ',
        'ＩＤ',
        '_id',
        'a-b.c',
        'xmin',
        'Name',
        'name',
      ]),
    ).toEqual([
      '行政区划代码',
      'total_population',
      '金额_元',
      'column_4',
      'column_5',
      'id',
      'id_2',
      'a_b_c',
      'xmin_2',
      'name',
      'name_2',
    ]);
  });

  it('keeps ids within 63 bytes without splitting a character, suffixes included', () => {
    const long = '统计'.repeat(40);
    const [a, b] = makeColumnIds([long, long]);
    expect(Buffer.byteLength(a!)).toBeLessThanOrEqual(MAX_ID_BYTES);
    expect(a).toBe(`${'统计'.repeat(10)}统`);
    expect(b!.endsWith('_2')).toBe(true);
    expect(Buffer.byteLength(b!)).toBeLessThanOrEqual(MAX_ID_BYTES);
  });

  it('gives unique, safe ids for any labels, which PostgreSQL takes as columns', async () => {
    const label = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom('id', '_id', 'ID', 'a', 'a_2', '', 'ctid', '代码', 'x'.repeat(70)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(label.filter(storable), { minLength: 1, maxLength: 30 }), async (labels) => {
        const ids = makeColumnIds(labels);
        expect(new Set(ids).size).toBe(labels.length);
        for (const id of ids) {
          expect(id.length).toBeGreaterThan(0);
          expect(id.startsWith('_')).toBe(false);
          expect(Buffer.byteLength(id)).toBeLessThanOrEqual(MAX_ID_BYTES);
        }
        await sql`create table ids_check (_id bigint, ${sql.join(ids.map((id) => sql`${sql.id(id)} text`))})`.execute(
          ctx.db,
        );
        const { rows } = await sql<{ name: string }>`select attname as name from pg_attribute
          where attrelid = 'ids_check'::regclass and attnum > 1 order by attnum`.execute(ctx.db);
        await sql`drop table ids_check`.execute(ctx.db);
        expect(rows.map((r) => r.name)).toEqual(ids);
      }),
      { numRuns: 60 },
    );
  });
});
