import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, RedisRateLimiter } from './rate-limit.ts';

// The per-grant token buckets: a minute's budget at once, then refilled continuously; in memory for
// one node, in Redis shared by several (tested against the local Redis when one answers).

describe('MemoryRateLimiter', () => {
  it('allows a minute’s budget, then refills at the per-minute rate', () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter(() => now);
    const take = () => limiter.take('grant:a', 60);
    for (let i = 0; i < 60; i++) expect(take()).toEqual({ ok: true });
    expect(take()).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1000; // one token a second at 60/minute
    expect(take()).toEqual({ ok: true });
    expect(take().ok).toBe(false);
    // Keys are independent.
    expect(limiter.take('grant:b', 60)).toEqual({ ok: true });
  });

  it('tells a slow grant how long to wait', () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(() => now);
    expect(limiter.take('g', 1).ok).toBe(true);
    expect(limiter.take('g', 1)).toEqual({ ok: false, retryAfterSeconds: 60 });
    now += 30_000;
    expect(limiter.take('g', 1)).toEqual({ ok: false, retryAfterSeconds: 30 });
  });
});

const redis = new Redis('redis://127.0.0.1:6379', {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
const reachable = await redis.connect().then(
  () => true,
  () => false,
);
afterAll(async () => {
  if (reachable) await redis.quit();
});

describe.skipIf(!reachable)('RedisRateLimiter (local Redis)', () => {
  it('shares one budget between nodes', async () => {
    const key = `test-${Date.now()}-${Math.random()}`;
    const second = redis.duplicate();
    const nodeA = new RedisRateLimiter(redis, 'civitas-xrl-test:');
    const nodeB = new RedisRateLimiter(second, 'civitas-xrl-test:');
    const results = [];
    for (let i = 0; i < 6; i++) results.push((await (i % 2 ? nodeB : nodeA).take(key, 4)).ok);
    expect(results).toEqual([true, true, true, true, false, false]);
    const refused = await nodeA.take(key, 4);
    expect(refused).toMatchObject({ ok: false });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await nodeB.close();
  });
});
