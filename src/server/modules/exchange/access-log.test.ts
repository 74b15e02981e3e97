import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../../test/support/scratch-database.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { runCliIn } from '../../cli/cli.test-helpers.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { openContext } from '../../platform/boot.ts';
import { loadConfig } from '../../platform/config.ts';
import { type CatalogDept, catalogDepartment, tokenClient } from '../catalog/catalog.test-helpers.ts';
import { registerCitizen, STRONG_PASSWORD, uniqueName } from '../identity/identity.test-helpers.ts';
import { createApiToken, createStaff } from '../identity/index.ts';
import { type AccessLogEntry, AccessLogWriter, writeAccessLog } from './access-log.writer.ts';
import { logEntry } from './exchange.test-helpers.ts';
import { sequenceAccessLog } from './log-chain.ts';
import { verifyAccessLog } from './log-chain.verify.ts';

// The access log: group-committed writes, the hash chain and its verification (tampering of every
// kind is detected, by the function and by `civitas exchange verify-log`), and who reads which rows.

let t: TestApp;
const entry = (o: Partial<AccessLogEntry> = {}) => logEntry('call', o);

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('writing and chaining', () => {
  it('group-commits concurrent writes: every row lands, once', async () => {
    let flushes = 0;
    const writer = new AccessLogWriter(t.ctx.db, { maxRows: 40, onFlushed: () => flushes++ });
    const entries = Array.from({ length: 100 }, () => entry({ operation: 'group' }));
    await Promise.all(entries.map((e) => writer.write(e)));
    const rows = await t.ctx.db
      .selectFrom('exchange_access_log')
      .select('call_id')
      .where('operation', '=', 'group')
      .execute();
    expect(rows.map((r) => r.call_id).sort()).toEqual(entries.map((e) => e.callId).sort());
    // 100 rows, at most 40 a statement: a handful of statements, not one per row.
    expect(flushes).toBeGreaterThanOrEqual(3);
    expect(flushes).toBeLessThan(10);
  });

  it('chains rows in insertion order and verifies them', async () => {
    await writeAccessLog(
      t.ctx.db,
      Array.from({ length: 30 }, () => entry()),
    );
    expect(await sequenceAccessLog(t.ctx.db)).toBeGreaterThanOrEqual(30);
    expect(await sequenceAccessLog(t.ctx.db)).toBe(0);
    const rows = await t.ctx.db
      .selectFrom('exchange_access_log')
      .select(['entry_id', 'seq'])
      .orderBy('entry_id')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    // Verification chains what is still waiting first.
    await writeAccessLog(t.ctx.db, [entry()]);
    const result = await verifyAccessLog(t.ctx);
    expect(result).toEqual({ ok: true, verified: rows.length + 1 });
  });
});

describe('tampering is detected', () => {
  /** Runs `tamper`, checks the verdict, then puts the log back as it was and checks it verifies again. */
  async function detects(
    tamper: () => Promise<unknown>,
    restore: () => Promise<unknown>,
    kind: string,
    seq: number,
  ) {
    await tamper();
    const result = await verifyAccessLog(t.ctx);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind, seq });
    await restore();
    expect((await verifyAccessLog(t.ctx)).ok).toBe(true);
  }

  it('a changed row, a deleted row, a reordering, a re-hashed last row, a truncation', async () => {
    await writeAccessLog(
      t.ctx.db,
      Array.from({ length: 5 }, () => entry()),
    );
    const clean = await verifyAccessLog(t.ctx);
    expect(clean.ok).toBe(true);
    const last = clean.verified;
    const k = 5;
    const row = async (seq: number) =>
      (
        await sql<Record<string, unknown>>`select * from exchange_access_log where seq = ${seq}`.execute(
          t.ctx.db,
        )
      ).rows[0]!;

    const original = await row(k);
    await detects(
      () => sql`update exchange_access_log set purpose = 'nothing to see' where seq = ${k}`.execute(t.ctx.db),
      () =>
        sql`update exchange_access_log set purpose = ${original.purpose} where seq = ${k}`.execute(t.ctx.db),
      'changed',
      k,
    );
    await detects(
      () => sql`update exchange_access_log set subjects = '{}' where seq = ${k}`.execute(t.ctx.db),
      () =>
        sql`update exchange_access_log set subjects = ${original.subjects} where seq = ${k}`.execute(
          t.ctx.db,
        ),
      'changed',
      k,
    );

    const gone = await row(k + 1);
    await detects(
      () => sql`delete from exchange_access_log where seq = ${k + 1}`.execute(t.ctx.db),
      () =>
        t.ctx.db
          .insertInto('exchange_access_log')
          .values(gone as never)
          .execute(),
      'missing',
      k + 1,
    );

    const swap = async (a: number, b: number) => {
      await sql`update exchange_access_log set seq = -1 where seq = ${a}`.execute(t.ctx.db);
      await sql`update exchange_access_log set seq = ${a} where seq = ${b}`.execute(t.ctx.db);
      await sql`update exchange_access_log set seq = ${b} where seq = -1`.execute(t.ctx.db);
    };
    await detects(
      () => swap(k, k + 1),
      () => swap(k, k + 1),
      'reordered',
      k,
    );

    // Rewritten and re-hashed consistently: only the head can tell.
    const tail = await row(last);
    const { entryHash } = await import('../../platform/audit/index.ts');
    const { logBodyOf } = await import('./log-chain.ts');
    await detects(
      async () => {
        await sql`update exchange_access_log set purpose = 'rewritten' where seq = ${last}`.execute(t.ctx.db);
        const r = await t.ctx.db
          .selectFrom('exchange_access_log')
          .selectAll()
          .where('seq', '=', last)
          .executeTakeFirstOrThrow();
        const hash = entryHash(r.prev_hash!, last, logBodyOf(r));
        await sql`update exchange_access_log set hash = ${hash} where seq = ${last}`.execute(t.ctx.db);
      },
      () =>
        sql`update exchange_access_log set purpose = ${tail.purpose}, hash = ${tail.hash} where seq = ${last}`.execute(
          t.ctx.db,
        ),
      'changed',
      last,
    );
    await detects(
      () => sql`delete from exchange_access_log where seq = ${last}`.execute(t.ctx.db),
      () =>
        t.ctx.db
          .insertInto('exchange_access_log')
          .values(tail as never)
          .execute(),
      'truncated',
      last,
    );
  });
});

describe('civitas exchange verify-log', () => {
  it('exits 0 on an intact log and 1 on a tampered one', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-xlog-cli-'));
    const dataDir = path.join(root, 'data');
    const scratch = await scratchDatabase('civitas_xlog');
    const env: Record<string, string | undefined> = { CIVITAS_DEMO: 'false', CIVITAS_LOG_LEVEL: 'silent' };
    if (scratch.url) env.DATABASE_URL = scratch.url;
    try {
      const ctx = await openContext(loadConfig({ dataDir }, env));
      try {
        await writeAccessLog(
          ctx.db,
          Array.from({ length: 12 }, () => entry()),
        );
      } finally {
        await ctx.database.close();
      }
      const ok = await runCliIn(dataDir, env, 'exchange', 'verify-log');
      expect(ok.code, ok.err).toBe(0);
      expect(ok.out).toContain('verified 12 access log entries');

      const again = await openContext(loadConfig({ dataDir }, env));
      try {
        await sql`update exchange_access_log set row_count = 0 where seq = 4`.execute(again.db);
      } finally {
        await again.database.close();
      }
      const broken = await runCliIn(dataDir, env, 'exchange', 'verify-log');
      expect(broken.code).toBe(1);
      expect(broken.out).toContain('access log broken at entry 4 (changed)');
    } finally {
      await scratch.drop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('GET /api/exchange/access-log', () => {
  let a: CatalogDept;
  let aChild: CatalogDept;
  let b: CatalogDept;
  let c: CatalogDept;
  let auditorB: TestClient;
  let admin: TestClient;

  async function staff(departmentId: string, roles: 'auditor'[], isPlatformAdmin = false) {
    const system = systemActor('access-log-test');
    const person = await createStaff(t.ctx, system, {
      username: uniqueName('xlog'),
      displayName: 'Log reader',
      password: STRONG_PASSWORD,
      departmentId,
      roles,
      isPlatformAdmin,
    });
    return tokenClient(t.app, (await createApiToken(t.ctx, system, person.id, { name: 't' })).token);
  }

  beforeAll(async () => {
    a = await catalogDepartment(t.ctx, t.app);
    aChild = await catalogDepartment(t.ctx, t.app, { parentId: a.id });
    b = await catalogDepartment(t.ctx, t.app);
    c = await catalogDepartment(t.ctx, t.app);
    auditorB = await staff(b.id, ['auditor']);
    admin = await staff(c.id, [], true);
    await writeAccessLog(t.ctx.db, [
      entry({ ownerDepartmentId: a.id, requesterDepartmentId: b.id, operation: 'route', callId: 'a-to-b' }),
      entry({
        ownerDepartmentId: aChild.id,
        requesterDepartmentId: c.id,
        operation: 'route',
        callId: 'child-to-c',
      }),
      entry({ ownerDepartmentId: c.id, requesterDepartmentId: c.id, operation: 'route', callId: 'c-only' }),
      entry({
        operation: 'route',
        callId: 'unknown-credential',
        outcome: 'refused',
        status: 401,
        subjects: [],
      }),
    ]);
  });

  const calls = async (client: TestClient, query = '') => {
    const res = await client.get(`/api/exchange/access-log?pageSize=200${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { callId: string; operation: string }[])
      .filter((i) => i.operation === 'route')
      .map((i) => i.callId)
      .sort();
  };

  it('shows each reader the rows concerning their departments, sub-departments included', async () => {
    expect(await calls(a.steward)).toEqual(['a-to-b', 'child-to-c']);
    expect(await calls(a.admin)).toEqual(['a-to-b', 'child-to-c']);
    expect(await calls(aChild.steward)).toEqual(['child-to-c']);
    expect(await calls(auditorB)).toEqual(['a-to-b']);
    expect(await calls(c.steward)).toEqual(['c-only', 'child-to-c']);
    expect(await calls(admin)).toEqual(['a-to-b', 'c-only', 'child-to-c', 'unknown-credential']);
  });

  it('filters and pages, and never returns the subjects themselves', async () => {
    expect(await calls(admin, `&departmentId=${b.id}`)).toEqual(['a-to-b']);
    expect(await calls(admin, '&outcome=refused')).toEqual(['unknown-credential']);
    const res = await admin.get(`/api/exchange/access-log?departmentId=${a.id}&pageSize=1&page=1`);
    const body = res.json();
    expect(body).toMatchObject({ total: 1, page: 1, pageSize: 1 });
    expect(body.items[0]).toMatchObject({ callId: 'a-to-b', subjectCount: 1, seq: null });
    expect(body.items[0]).not.toHaveProperty('subjects');
    expect(res.body).not.toContain('abc_-XYZ');
  });

  it('refuses other departments’ filters, case handlers and citizens', async () => {
    expect((await auditorB.get(`/api/exchange/access-log?departmentId=${c.id}`)).statusCode).toBe(403);
    expect((await a.handler.get('/api/exchange/access-log')).statusCode).toBe(403);
    const citizen = (await registerCitizen(t.app, 733)).client;
    expect((await citizen.get('/api/exchange/access-log')).statusCode).toBe(403);
    expect((await admin.get('/api/exchange/access-log?outcome=maybe')).statusCode).toBe(400);
  });
});
