import { describe, expect, it } from 'vitest';
import { GroupBatcher } from './group-batcher.ts';

// The group commit the access log and the gateway's lookups rely on: items of one tick travel
// together, later ones wait for a free slot, every item gets its own result or its batch's error.

/** A batcher that records its batches and answers each item doubled once `release` is called. */
function doubling(maxInFlight = 1, maxItems = 500) {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const batcher = new GroupBatcher<number, number>({
    run: async (items) => {
      batches.push(items);
      await new Promise<void>((r) => releases.push(r));
      if (items.includes(-1)) throw new Error('batch failed');
      return items.map((n) => n * 2);
    },
    maxInFlight,
    maxItems,
  });
  const releaseAll = () => {
    for (const r of releases.splice(0)) r();
  };
  return { batcher, batches, releaseAll };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupBatcher', () => {
  it('sends the items of one tick as one batch and the items that waited as the next', async () => {
    const { batcher, batches, releaseAll } = doubling();
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    await tick();
    const second = [4, 5].map((n) => batcher.submit(n));
    await tick();
    expect(batches).toEqual([[1, 2, 3]]);
    releaseAll();
    expect(await Promise.all(first)).toEqual([2, 4, 6]);
    await tick();
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    releaseAll();
    expect(await Promise.all(second)).toEqual([8, 10]);
  });

  it('runs up to maxInFlight batches at once, each of at most maxItems', async () => {
    const { batcher, batches, releaseAll } = doubling(2, 2);
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await tick();
    await tick();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    releaseAll();
    await tick();
    await tick();
    expect(batches.at(-1)).toEqual([5]);
    releaseAll();
    expect(await Promise.all(all)).toEqual([2, 4, 6, 8, 10]);
  });

  it('rejects every item of a failed batch and goes on with the next', async () => {
    const { batcher, releaseAll } = doubling();
    const failed = [batcher.submit(1), batcher.submit(-1)];
    await tick();
    releaseAll();
    for (const p of failed) await expect(p).rejects.toThrow('batch failed');
    const next = batcher.submit(7);
    await tick();
    releaseAll();
    expect(await next).toBe(14);
  });

  it('flush() waits until everything submitted is done', async () => {
    const { batcher, batches, releaseAll } = doubling();
    const done: number[] = [];
    for (const n of [1, 2]) void batcher.submit(n).then((v) => done.push(v));
    const flushed = batcher.flush();
    const timer = setInterval(releaseAll, 1);
    await flushed;
    clearInterval(timer);
    expect(batches.flat()).toEqual([1, 2]);
    expect(done).toEqual([2, 4]);
  });
});
