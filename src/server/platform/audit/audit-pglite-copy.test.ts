import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteCopyOut } from './audit-pglite-copy.ts';

// The PGlite COPY reader talks the wire protocol itself: its rows must come out whole and as COPY
// text, its errors must surface, and it must never run inside somebody else's transaction.

let pglite: PGlite;
beforeAll(async () => {
  pglite = new PGlite();
  await pglite.exec('create table t (n int primary key, s text)');
});
afterAll(async () => pglite.close());

const copyOut = async (query: string) =>
  (await pgliteCopyOut(pglite, query)).map((rows) => rows.toString('utf8'));

describe('COPY out of PGlite', () => {
  it('hands over every row whole, as COPY text, in batches of whole rows', async () => {
    await pglite.exec('delete from t');
    const tricky = 'tab\there\nnew\\line "q" \u0001 中文 😀';
    await pglite.query('insert into t values (1, $1), (2, null)', [tricky]);
    // enough rows of some size to need several protocol buffers and batches
    await pglite.exec(`insert into t select g, repeat('名字 x', 40) || g from generate_series(3, 6000) g`);
    const batches = await copyOut('select n, s from t order by n');
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(b.endsWith('\n')).toBe(true);
    const lines = batches.join('').split('\n');
    expect(lines[0]).toBe('1\ttab\\there\\nnew\\\\line "q" \u0001 中文 😀');
    expect(lines[1]).toBe('2\t\\N');
    expect(lines[5999]).toBe(`6000\t${'名字 x'.repeat(40)}6000`);
    expect(lines).toHaveLength(6001); // and the empty string after the last newline
  });

  it('reports a failed COPY, leaving PGlite usable', async () => {
    await expect(copyOut('select no_such_column from t')).rejects.toThrow(/COPY failed: .*no_such_column/);
    expect((await pglite.query<{ n: number }>('select count(*)::int as n from t')).rows[0]?.n).toBe(6000);
  });

  it('waits for a transaction in progress instead of reading inside it', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted = () => {};
    const didInsert = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const transaction = pglite
      .transaction(async (tx) => {
        await tx.query('insert into t values (0, $1)', ['uncommitted']);
        inserted();
        await held;
        throw new Error('rolled back');
      })
      .catch(() => {});
    await didInsert;
    const reading = copyOut('select n from t where n = 0');
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await transaction;
    expect(await reading).toEqual([]); // ran after the rollback, never saw the row
  });
});
