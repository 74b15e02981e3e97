import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/test-context.ts';
import { testDatabaseUrl } from '../config.ts';
import { PGLITE_COPY_ROWS } from './audit-chain-reader.ts';
import {
  appendAudit,
  auditRowOf,
  bodyOf,
  checkpointIfNeeded,
  entryHash,
  GENESIS_HASH,
  sequenceAudit,
  verifyAuditLog,
} from './index.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.dispose());

const actor = { id: null, label: 'test' };

async function resetLog(entries: number) {
  await sql`delete from audit_log`.execute(ctx.db);
  await sql`delete from audit_checkpoints`.execute(ctx.db);
  await sql`update audit_head set seq = 0, hash = ${'0'.repeat(64)}`.execute(ctx.db);
  for (let i = 1; i <= entries; i++) {
    await ctx.db.transaction().execute((trx) =>
      appendAudit(trx, {
        action: 'test.event',
        actor,
        target: { type: 'thing', id: `t${i}` },
        details: { i, name: `名字 ${i}`, nested: { b: 2, a: [1, 'x'] } },
      }),
    );
  }
  await sequenceAudit(ctx.db);
}

/**
 * Verifies with the COPY reader of the engine under test (over the wire or PGlite's protocol stream),
 * and holds the plain-query reader to the very same result, so every case below checks both.
 */
async function verify() {
  const viaCopy = await verifyAuditLog(ctx.db, ctx.signer.publicKey, { database: ctx.database });
  const viaQuery = await verifyAuditLog(ctx.db, ctx.signer.publicKey, {
    database: ctx.database,
    reader: 'query',
  });
  expect(viaQuery).toEqual(viaCopy);
  return viaCopy;
}

describe('audit log', () => {
  it('chains entries with gapless sequence numbers and verifies them', async () => {
    await resetLog(10);
    const result = await verify();
    expect(result).toMatchObject({ ok: true, verified: 10, lastSeq: 10 });
  });

  it('keeps concurrent appends gapless and ordered', async () => {
    await resetLog(0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.db
          .transaction()
          .execute((trx) => appendAudit(trx, { action: 'test.concurrent', actor, details: { i } })),
      ),
    );
    expect(await verify()).toMatchObject({ ok: true, verified: 20 });
  });

  it('chains entries only once they are committed, in batches, leaving none behind', async () => {
    await resetLog(0);
    for (let i = 0; i < 6000; i += 1000) {
      await ctx.db.transaction().execute(async (trx) => {
        for (let j = 0; j < 1000; j++)
          await appendAudit(trx, { action: 'test.bulk', actor, details: { n: i + j } });
      });
    }
    const pending = await ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(pending.n)).toBe(6000);
    expect(await sequenceAudit(ctx.db)).toBe(6000);
    expect(await sequenceAudit(ctx.db)).toBe(0);
    expect(await verify()).toMatchObject({ ok: true, verified: 6000 });
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    await resetLog(3);
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { action: 'test.rolled_back', actor });
        throw new Error('action failed');
      }),
    ).rejects.toThrow('action failed');
    expect(await verify()).toMatchObject({ ok: true, verified: 3 });
  });

  it('names a changed entry', async () => {
    await resetLog(10);
    await sql`update audit_log set details = '{"i":999}' where seq = 4`.execute(ctx.db);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ seq: 4, kind: 'changed' });
    expect(result.verified).toBe(3);
  });

  it('names a deleted entry as missing', async () => {
    await resetLog(10);
    await sql`delete from audit_log where seq = 6`.execute(ctx.db);
    expect((await verify()).problem).toMatchObject({ seq: 6, kind: 'missing' });
  });

  it('names reordered entries', async () => {
    await resetLog(10);
    // swap the positions of entries 5 and 6
    await sql`update audit_log set seq = -5 where seq = 5`.execute(ctx.db);
    await sql`update audit_log set seq = 5 where seq = 6`.execute(ctx.db);
    await sql`update audit_log set seq = 6 where seq = -5`.execute(ctx.db);
    expect((await verify()).problem).toMatchObject({ seq: 5, kind: 'reordered' });
  });

  it('names an entry that was changed and re-hashed by someone who knows the algorithm', async () => {
    await resetLog(10);
    const { canonicalBody, canonicalJson, entryHash, hashedFieldsOf } = await import('./audit-hash.ts');
    const row = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 7)
      .executeTakeFirstOrThrow();
    const forged = { ...JSON.parse(row.details), i: 'forged' };
    const body = canonicalBody({ ...hashedFieldsOf(row), details: forged });
    const hash = entryHash(row.prev_hash!, 7, body);
    await sql`update audit_log set details = ${canonicalJson(forged)}, hash = ${hash} where seq = 7`.execute(
      ctx.db,
    );
    expect((await verify()).problem).toMatchObject({ seq: 7, kind: 'changed' });
  });

  it('detects a log truncated after a signed checkpoint', async () => {
    await resetLog(10);
    await checkpointIfNeeded(ctx.db, ctx.signer);
    await sql`delete from audit_log where seq > 7`.execute(ctx.db);
    await sql`update audit_head set seq = 7`.execute(ctx.db);
    expect((await verify()).problem).toMatchObject({ seq: 8, kind: 'truncated' });
  });

  it('detects a chain rewritten from some entry onward against the signed checkpoint', async () => {
    await resetLog(2);
    await checkpointIfNeeded(ctx.db, ctx.signer);
    for (let i = 3; i <= 6; i++) {
      await ctx.db
        .transaction()
        .execute((trx) => appendAudit(trx, { action: 'test.event', actor, details: { i } }));
    }
    await checkpointIfNeeded(ctx.db, ctx.signer);
    const { canonicalBody, canonicalJson, entryHash, hashedFieldsOf } = await import('./audit-hash.ts');
    const rows = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', 3)
      .orderBy('seq')
      .execute();
    let prev = rows[0]!.prev_hash!;
    for (const row of rows) {
      const details = row.seq === 3 ? { i: 'rewritten' } : JSON.parse(row.details);
      const body = canonicalBody({ ...hashedFieldsOf(row), details });
      const hash = entryHash(prev, row.seq!, body);
      await sql`update audit_log set details = ${canonicalJson(details)}, prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`.execute(
        ctx.db,
      );
      prev = hash;
    }
    const result = await verify();
    expect(result.ok).toBe(false);
    // entries 1-2 are pinned by the first checkpoint; the rewrite is somewhere in 3..6
    expect(result.problem).toMatchObject({ seq: 3, kind: 'changed' });
    expect(result.verified).toBe(2);
  });

  it('rejects a checkpoint with a forged signature', async () => {
    await resetLog(3);
    await checkpointIfNeeded(ctx.db, ctx.signer);
    await sql`update audit_checkpoints set hash = ${'f'.repeat(64)}`.execute(ctx.db);
    expect((await verify()).problem).toMatchObject({ seq: 3, kind: 'bad_checkpoint' });
  });

  it('verifies entries whose text COPY and JSON must escape, and names one changed among them', async () => {
    await resetLog(0);
    const tricky = 'tab\there\nnewline\r\\back\\slash "quoted" \u0001\u001f\u007f\b\f\v 中文 😀 \u2028 \\N';
    const events = [
      { details: { note: tricky, [tricky]: [tricky, 1.5, null], nested: { '\t': '\\' } } },
      { actor: { id: null, label: `label ${tricky}` }, target: { type: 'thing\t', id: tricky } },
      { details: { s: '\\N' }, ip: '\\N', requestId: 'req\nid' },
      { details: { plain: '名字' } },
    ];
    for (const e of events) {
      await ctx.db
        .transaction()
        .execute((trx) => appendAudit(trx, { action: `test.tricky ${tricky}`, actor, ...e }));
    }
    expect(await verify()).toMatchObject({ ok: true, verified: 4 });
    await sql`update audit_log set target_id = replace(target_id, 'tab', 'tub') where seq = 2`.execute(
      ctx.db,
    );
    expect((await verify()).problem).toMatchObject({ seq: 2, kind: 'changed' });
  });

  it('reads a long log in chunks, and stops reading at a break far from its end', async () => {
    await resetLog(0);
    // One chunk and a thousand entries more, chained here and inserted in bulk: more than one PGlite
    // COPY chunk, and far more than PostgreSQL has sent when verification stops early.
    const total = PGLITE_COPY_ROWS + 1000;
    let prev = GENESIS_HASH;
    for (let start = 1; start <= total; start += 1000) {
      const rows = Array.from({ length: 1000 }, (_, i) => {
        const seq = start + i;
        const row = { ...auditRowOf({ action: 'test.bulk', actor, details: { seq } }), seq, prev_hash: prev };
        const hash = entryHash(prev, seq, bodyOf({ ...row, entry_id: 0, hash: null }));
        prev = hash;
        return { ...row, hash };
      });
      await ctx.db.insertInto('audit_log').values(rows).execute();
    }
    await sql`update audit_head set seq = ${total}, hash = ${prev}`.execute(ctx.db);
    expect(await verify()).toMatchObject({ ok: true, verified: total });
    await sql`update audit_log set action = 'test.edited' where seq = ${PGLITE_COPY_ROWS + 1}`.execute(
      ctx.db,
    );
    expect((await verify()).problem).toMatchObject({ seq: PGLITE_COPY_ROWS + 1, kind: 'changed' });
    await sql`update audit_log set action = 'test.edited' where seq = 3`.execute(ctx.db);
    expect((await verify()).problem).toMatchObject({ seq: 3, kind: 'changed' });
    // the connection dropped mid-COPY is not reused: the database still answers
    expect((await verify()).problem).toMatchObject({ seq: 3, kind: 'changed' });
    expect(
      (await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(ctx.db)).rows[0]?.n,
    ).toBe(total);
  });
});

// Two sequencers on one database (two nodes, or a tick and a verification): the head row lock makes
// them take turns; a background tick skips while a peer holds it, a caller that needs every row
// chained on return waits for the peer instead of returning early.
describe.skipIf(!testDatabaseUrl())('sequencers sharing a PostgreSQL database', () => {
  it('skips while a peer holds the head, or waits for it with `wait`', async () => {
    await resetLog(2);
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((r) => (locked = r));
    const peer = ctx.db.transaction().execute(async (trx) => {
      await sql`select seq from audit_head where id = 1 for update`.execute(trx);
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await held;
    await appendAudit(ctx.db, { action: 'test.event', actor, target: { type: 'thing', id: 'late' } });
    expect(await sequenceAudit(ctx.db)).toBe(0);
    let waited: number | undefined;
    const waiting = sequenceAudit(ctx.db, { wait: true }).then((n) => (waited = n));
    await new Promise((r) => setTimeout(r, 100));
    expect(waited).toBeUndefined();
    release();
    await peer;
    expect(await waiting).toBe(1);
    expect(await verify()).toMatchObject({ ok: true, verified: 3 });
  });
});
