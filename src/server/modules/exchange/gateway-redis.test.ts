import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppNode, appNode } from '../../../../test/support/app-node.ts';
import { createTestContext, type TestContext } from '../../../../test/support/test-context.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { createDepartment } from '../identity/index.ts';
import { insertTestGrant } from './exchange.test-helpers.ts';
import { type SharedTable, sharedTable } from './request.test-helpers.ts';

// A grant's rate is the cluster's, not each node's: two app nodes on one database, both configured
// with the local Redis, refuse the call over the grant's shared budget, whichever node it reaches.
// The same two nodes without Redis count separately — so it is Redis that shares the budget.
// Runs on both engines (on PGlite the nodes share its one connection); skipped without Redis.

const REDIS_URL = 'redis://127.0.0.1:6379';
/** The gateway limiter's key of a grant's bucket (RedisRateLimiter's default prefix). */
const bucketKey = (grantId: string) => `civitas-xrl:grant:${grantId}`;
const RATE = 4;

const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
// An unreachable Redis is the reason to skip, not an error worth printing.
redis.on('error', () => {});
const reachable = await redis.connect().then(
  () => true,
  () => false,
);

let ctx: TestContext;
let table: SharedTable;
let owner: string;
let grantee: string;
const nodes: AppNode[] = [];
const buckets: string[] = [];

beforeAll(async () => {
  if (!reachable) return;
  ctx = await createTestContext();
  const dept = (code: string) =>
    createDepartment(ctx, systemActor('test'), { code, nameZh: `部门${code}`, nameEn: `Dept ${code}` });
  owner = (await dept('XRLA')).id;
  grantee = (await dept('XRLB')).id;
  table = await sharedTable(ctx, owner);
});

afterAll(async () => {
  for (const node of nodes) await node.close();
  await ctx?.dispose();
  if (reachable) {
    if (buckets.length) await redis.del(...buckets);
    await redis.quit();
  }
});

/** Two nodes on the test database, with the config given (their limiters are built at start-up). */
async function twoNodes(redisUrl: string | undefined) {
  const pair = [await appNode(ctx, { redisUrl }), await appNode(ctx, { redisUrl })] as const;
  nodes.push(...pair);
  return pair;
}

/** A fresh API grant of RATE calls a minute (a new id, so a new bucket) and its credential. */
async function rateGrant() {
  const g = await insertTestGrant(ctx, {
    datasetId: table.datasetId,
    distributionId: table.distributionId,
    ownerDepartmentId: owner,
    granteeDepartmentId: grantee,
    fields: ['name', 'district'],
    delivery: 'api',
    rateLimitPerMinute: RATE,
  });
  buckets.push(bucketKey(g.grantId));
  return g;
}

/** `n` lookups alternating between the nodes, first node first. */
async function alternate(pair: readonly AppNode[], credential: string, n: number) {
  const answers = [];
  for (let i = 0; i < n; i++)
    answers.push(
      await pair[i % pair.length]!.app.inject({
        method: 'GET',
        url: `/exchange/v1/resources/${table.distributionId}/lookup?field=district&value=${encodeURIComponent('东城区')}`,
        headers: { authorization: `Bearer ${credential}`, 'x-civitas-purpose': 'rate test' },
      }),
    );
  return answers;
}

describe.skipIf(!reachable)('the gateway’s grant rate across two nodes', () => {
  it('is one budget through Redis: the call over it gets 429 on either node, and is logged', async () => {
    const pair = await twoNodes(REDIS_URL);
    const { grantId, credential } = await rateGrant();
    const answers = await alternate(pair, credential, RATE + 2);
    expect(answers.map((r) => r.statusCode)).toEqual([...Array(RATE).fill(200), 429, 429]);

    // The budget ran out on node A (call 5) and node B (call 6) alike.
    for (const refused of answers.slice(RATE)) {
      expect(refused.json().error.code).toBe('exchange.rate_limited');
      const retryAfter = Number(refused.headers['retry-after']);
      // RATE a minute refills one call every 60/RATE seconds.
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60 / RATE);
      expect(refused.json().error.details).toEqual({ retryAfterSeconds: retryAfter });
    }

    // Every call is in the access log, the refusals as rate_limited, whichever node took them.
    const rows = await ctx.db
      .selectFrom('exchange_access_log')
      .select(['call_id', 'grant_id', 'requester_department_id', 'operation', 'outcome', 'status', 'purpose'])
      .where('grant_id', '=', grantId)
      .execute();
    const byCall = new Map(rows.map((r) => [r.call_id, r]));
    expect(rows).toHaveLength(RATE + 2);
    answers.forEach((res, i) => {
      expect(byCall.get(String(res.headers['x-civitas-request-id']))).toEqual(
        expect.objectContaining(
          i < RATE
            ? { outcome: 'ok', status: 200 }
            : {
                outcome: 'rate_limited',
                status: 429,
                grant_id: grantId,
                requester_department_id: grantee,
                operation: 'lookup',
                purpose: 'rate test',
              },
        ),
      );
    });

    // The bucket is Redis's, spent.
    const bucket = await redis.hgetall(bucketKey(grantId));
    expect(Number(bucket.tokens)).toBeLessThan(1);
  });

  it('is each node’s own without Redis (in-memory limiters)', async () => {
    const pair = await twoNodes(undefined);
    const { grantId, credential } = await rateGrant();
    const answers = await alternate(pair, credential, 2 * RATE + 2);
    // Each node allows the whole rate: twice the grant's budget in all, then both refuse.
    expect(answers.map((r) => r.statusCode)).toEqual([...Array(2 * RATE).fill(200), 429, 429]);
    expect(await redis.exists(bucketKey(grantId))).toBe(0);
  });
});
