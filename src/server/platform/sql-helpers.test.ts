import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/test-context.ts';
import { poolOf } from './db.ts';
import { compiledOnce, positional, runNamed, statementName } from './sql-helpers.ts';

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

describe('runNamed', () => {
  const onPostgres = () => ctx.database.engine === 'postgres';

  it('runs by name on PostgreSQL’s pool, and a transaction’s statements on its own connection', async () => {
    expect(poolOf(ctx.db) !== undefined).toBe(onPostgres());
    await sql`create table named_probe (id int primary key, label text)`.execute(ctx.db);
    const text = 'select id, label from named_probe where id = any($1::int[]) order by id';
    const name = statementName(text);
    await sql`insert into named_probe values (1, 'one')`.execute(ctx.db);
    expect(await runNamed(ctx.db, name, text, [[1, 2]])).toEqual([{ id: 1, label: 'one' }]);
    await ctx.db.transaction().execute(async (trx) => {
      expect(poolOf(trx)).toBeUndefined();
      await sql`insert into named_probe values (2, 'two')`.execute(trx);
      // Run on the pool, the uncommitted row would be missing.
      expect(await runNamed(trx, name, text, [[1, 2]])).toHaveLength(2);
    });
    const pool = poolOf(ctx.db);
    if (pool) {
      // On PostgreSQL the statement goes to the pool under its name (prepared once per connection).
      const spy = vi.spyOn(pool, 'query');
      await runNamed(ctx.db, name, text, [[1]]);
      expect(spy).toHaveBeenCalledWith({ name, text, values: [[1]] });
      spy.mockRestore();
    }
  });

  it('still answers after the table’s columns changed type under a prepared statement', async () => {
    await sql`create table retyped_probe (id int primary key, amount int)`.execute(ctx.db);
    await sql`insert into retyped_probe values (1, 7)`.execute(ctx.db);
    const text = 'select * from retyped_probe order by id';
    const name = statementName(text);
    // Prepared on every connection of the pool that runs it.
    for (let i = 0; i < 5; i++)
      expect(await runNamed(ctx.db, name, text, [])).toEqual([{ id: 1, amount: 7 }]);
    await sql`alter table retyped_probe alter column amount type text`.execute(ctx.db);
    for (let i = 0; i < 5; i++)
      expect(await runNamed(ctx.db, name, text, [])).toEqual([{ id: 1, amount: '7' }]);
  });
});

describe('PostgreSQL sessions', () => {
  it('run without JIT on every connection of the pool, in transactions too', async () => {
    if (ctx.database.engine !== 'postgres') return;
    // Five at once, so that more than one connection of the pool answers.
    const settings = await Promise.all(
      Array.from({ length: 5 }, () =>
        sql<{ jit: string }>`select current_setting('jit') as jit, pg_sleep(0.05)`.execute(ctx.db),
      ),
    );
    expect(settings.map((r) => r.rows[0]?.jit)).toEqual(Array(5).fill('off'));
    const inTransaction = await ctx.db
      .transaction()
      .execute(async (trx) => sql<{ jit: string }>`select current_setting('jit') as jit`.execute(trx));
    expect(inTransaction.rows[0]?.jit).toBe('off');
  });
});
