import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/test-context.ts';
import { compiledOnce, positional } from './sql-helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.dispose());

describe('compiledOnce', () => {
  it('builds a statement once and runs it with each call’s values', async () => {
    let built = 0;
    const themesById = compiledOnce((db) => {
      built++;
      return db
        .selectFrom('catalog_themes')
        .select(['id'])
        .where(sql<boolean>`id = any(${positional(1)}::text[])`)
        .orderBy('id');
    });
    const ids = (await ctx.db.selectFrom('catalog_themes').select('id').orderBy('id').execute()).map(
      (t) => t.id,
    );
    expect(ids.length).toBeGreaterThan(1);
    expect((await themesById(ctx.db, [ids.slice(0, 1)])).map((r) => r.id)).toEqual(ids.slice(0, 1));
    expect((await themesById(ctx.db, [ids])).map((r) => r.id)).toEqual(ids);
    expect(await themesById(ctx.db, [[]])).toEqual([]);
    expect(built).toBe(1);
  });

  it('refuses a statement that binds values of its own (they would be lost)', async () => {
    const bound = compiledOnce((db) => db.selectFrom('catalog_themes').select('id').where('id', '=', 'x'));
    await expect(bound(ctx.db, [])).rejects.toThrow(/binds values of its own/);
  });
});
