import type { Redis } from 'ioredis';

// Per-grant rate limits of the gateway: a token bucket per key holding at most a minute's budget,
// refilled continuously, so a grant of N calls/minute may burst to N and then sustains N/60 per
// second. One node counts in memory; several nodes share their buckets through Redis (one atomic
// Lua script per call), so a grant's budget is the cluster's, not each node's.

/** Whether a call may go ahead, and if not, in how many seconds to retry. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string, perMinute: number): Promise<RateDecision> | RateDecision;
  close(): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_BUCKETS = 100_000;

/** Buckets in this process (one node, or tests). */
export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, perMinute: number): RateDecision {
    const now = this.now();
    const rate = perMinute / 60_000;
    let b = this.#buckets.get(key);
    if (!b) {
      // Unknown keys (e.g. callers with bad credentials, by address) must not grow the map without bound.
      if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.clear();
      b = { tokens: perMinute, at: now };
      this.#buckets.set(key, b);
    } else {
      b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)) };
  }

  async close() {}
}

// KEYS[1] bucket; ARGV: per minute. Time from the Redis server, so nodes' clocks do not matter.
const SCRIPT = `
local cap = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = cap / 60000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil then tokens = cap; at = now end
tokens = math.min(cap, tokens + (now - at) * rate)
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 120000)
if ok == 1 then return 0 end
return math.ceil((1 - tokens) / rate)
`;

/** Buckets in Redis, shared by every node. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'civitas-xrl:',
  ) {
    redis.defineCommand('civitasTakeToken', { numberOfKeys: 1, lua: SCRIPT });
  }

  async take(key: string, perMinute: number): Promise<RateDecision> {
    const waitMs = (await (
      this.redis as Redis & { civitasTakeToken(key: string, cap: number): Promise<number> }
    ).civitasTakeToken(this.prefix + key, perMinute)) as number;
    return waitMs <= 0
      ? { ok: true }
      : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async close() {
    await this.redis.quit();
  }
}
