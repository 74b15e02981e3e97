import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { STRONG_PASSWORD, signIn } from '../src/server/modules/identity/identity.test-helpers.ts';
import {
  createApiToken,
  createDepartment,
  createStaff,
  findPersonByUsername,
} from '../src/server/modules/identity/index.ts';
import { verifyAuditLog } from '../src/server/platform/audit/index.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import { type AppContext, createContext } from '../src/server/platform/context.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/platform/db.ts';
import { TestClient } from './support/test-app.ts';
import { createTestContext, type TestContext } from './support/test-context.ts';

// Two app nodes on one database must behave as one: sessions, tokens, the audit chain and (through
// Redis) rate limits are shared. On PostgreSQL each node has its own connection pool, as two
// processes would; PGlite is single-process, so there the nodes share its one connection.

const REDIS_URL = 'redis://127.0.0.1:6379';
let ctx: TestContext;
let secondDb: DatabaseHandle | undefined;
let nodeA: FastifyInstance;
let nodeB: FastifyInstance;

async function node(context: AppContext) {
  const app = await buildApp(context, { logger: false });
  await app.ready();
  return app;
}

beforeAll(async () => {
  // Counters of an earlier run within the same minute must not leak into this one.
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys('civitas-rl:*');
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();

  ctx = await createTestContext({ redisUrl: REDIS_URL, rateLimitPerMinute: 1000 });
  let ctxB: AppContext = ctx;
  if (ctx.config.databaseUrl) {
    secondDb = await openDatabase({ databaseUrl: ctx.config.databaseUrl, poolSize: 5 });
    ctxB = createContext(ctx.config, secondDb, ctx.secrets);
  }
  nodeA = await node(ctx);
  nodeB = await node(ctxB);
  await createStaff(ctx, systemActor('test'), {
    username: 'root1',
    displayName: 'Root',
    password: STRONG_PASSWORD,
    departmentId: (
      await createDepartment(ctx, systemActor('test'), {
        code: 'ROOT',
        nameZh: '市政府',
        nameEn: 'City Government',
      })
    ).id,
    roles: [],
    isPlatformAdmin: true,
  });
});

afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await secondDb?.close();
  await ctx?.dispose();
});

describe('two app nodes on one database', () => {
  it('accept a session cookie issued by the other node', async () => {
    const onA = await signIn(nodeA, 'root1');
    const onB = new TestClient(nodeB);
    onB.cookie = onA.cookie;
    onB.csrf = onA.csrf;
    const me = await onB.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().person.username).toBe('root1');
    // and a write on B with A's session and CSRF token
    const dept = await onB.post('/api/departments', { code: 'NODEB', nameZh: '乙', nameEn: 'B' });
    expect(dept.statusCode).toBe(201);
    // signing out on B ends the session on A
    expect((await onB.post('/api/auth/logout')).statusCode).toBe(204);
    const after = await onA.get('/api/me');
    expect(after.statusCode).toBe(401);
  });

  it('see a token revoked on one node as revoked on the other at once', async () => {
    const person = await findPersonByUsername(ctx, 'root1');
    const { token, apiToken } = await createApiToken(ctx, systemActor('test'), person!.id, {
      name: 'two nodes',
    });
    const headers = { authorization: `Bearer ${token}` };
    expect((await nodeB.inject({ url: '/api/me', headers })).statusCode).toBe(200);
    const revoke = await nodeA.inject({ method: 'DELETE', url: `/api/tokens/${apiToken.id}`, headers });
    expect(revoke.statusCode).toBe(204);
    expect((await nodeB.inject({ url: '/api/me', headers })).statusCode).toBe(401);
  });

  it('write one gapless, verifiable audit chain when both take writes at the same time', async () => {
    const person = await findPersonByUsername(ctx, 'root1');
    const { token } = await createApiToken(ctx, systemActor('test'), person!.id, { name: 'writer' });
    const headers = { authorization: `Bearer ${token}` };
    const before = await ctx.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    const writes = Array.from({ length: 16 }, (_, i) =>
      (i % 2 ? nodeA : nodeB).inject({
        method: 'POST',
        url: '/api/departments',
        headers,
        payload: { code: `PAR${i}`, nameZh: `部门${i}`, nameEn: `Dept ${i}` },
      }),
    );
    const results = await Promise.all(writes);
    expect(results.map((r) => r.statusCode)).toEqual(Array(16).fill(201));
    // verification first chains what both nodes committed, then checks the whole chain
    const verified = await verifyAuditLog(ctx.db, ctx.signer.publicKey);
    const head = await ctx.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    expect(head.seq - before.seq).toBeGreaterThanOrEqual(16);
    expect(verified).toMatchObject({ ok: true, lastSeq: head.seq });
  });
});

describe('rate limits shared through Redis', () => {
  it('count requests to both nodes against one budget', async () => {
    const limited = await createTestContext({ redisUrl: REDIS_URL, rateLimitPerMinute: 6 });
    const a = await node(limited);
    const b = await node(limited);
    try {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys('civitas-rl:*');
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await (i % 2 ? a : b).inject({ url: '/api/departments', remoteAddress: '198.51.100.7' });
        statuses.push(res.statusCode);
      }
      // 6 allowed in total across the two nodes, then 429 on whichever node is asked
      expect(statuses.slice(0, 6)).toEqual(Array(6).fill(200));
      expect(statuses.slice(6)).toEqual([429, 429]);
    } finally {
      await a.close();
      await b.close();
      await limited.dispose();
    }
  });
});
