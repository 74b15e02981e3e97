import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/test-context.ts';
import { type AccessLogEntry, AccessLogWriter, writeAccessLog } from './access-log.writer.ts';
import { logEntry } from './exchange.test-helpers.ts';
import { sequenceAccessLog } from './log-chain.ts';
import { verifyAccessLog } from './log-chain.verify.ts';

// The gateway's writer inserts rows already chained: what it hashed must be what verification reads
// back (any latency, text, date), and the chain must stay one line when the head moves behind a
// writer's back — rows chained by the sequencer, or another node's writer on the same database.

let ctx: TestContext;
const entry = (o: Partial<AccessLogEntry> = {}) => logEntry('chained', o);

const writerOf = () => new AccessLogWriter(ctx.db, { pool: ctx.database.pool });

/** The chain's sequence numbers in order, and how many rows wait unchained. */
async function chainState() {
  const rows = await ctx.db.selectFrom('exchange_access_log').select(['seq']).orderBy('seq').execute();
  return { seqs: rows.map((r) => r.seq), unchained: rows.filter((r) => r.seq === null).length };
}

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.dispose());

describe('the chained writer', () => {
  it('stores rows chained as they are hashed, whatever their latency and text', async () => {
    const writer = writerOf();
    // Above 10^7 ms several float4s share six digits: PostgreSQL prints these back with eight.
    const latencies = [
      0, 0.004, 0.005, 1.2345, 99.999, 9999.994, 9999.996, 12345.678, 987654.321, 87875504.3, 97885296,
      95627904, 3.4e9,
    ];
    await Promise.all(latencies.map((latencyMs) => writer.write(entry({ latencyMs }))));
    // Every field set, so that a column the insert failed to carry would be stored null and caught.
    const full = entry({
      grantId: randomUUID(),
      requesterDepartmentId: randomUUID(),
      ownerDepartmentId: randomUUID(),
      datasetId: randomUUID(),
      distributionId: randomUUID(),
      caseRef: 'DB-2026-0001',
      withheldUntil: '2027-03-01',
      rowCount: 3,
      outcome: 'refused',
      status: 403,
    });
    await writer.write(full);
    const stored = await ctx.db
      .selectFrom('exchange_access_log')
      .selectAll()
      .where('call_id', '=', full.callId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      grant_id: full.grantId,
      requester_department_id: full.requesterDepartmentId,
      owner_department_id: full.ownerDepartmentId,
      dataset_id: full.datasetId,
      distribution_id: full.distributionId,
      system_name: full.systemName,
      user_ref: full.userRef,
      operation: full.operation,
      fields: full.fields,
      row_count: 3,
      subjects: full.subjects,
      purpose: full.purpose,
      case_ref: full.caseRef,
      withheld_until: full.withheldUntil,
      outcome: 'refused',
      status: 403,
    });
    // The embedded engine's reader drops a leading BOM: the writer stores none, so verification agrees.
    await writer.write(entry({ caseRef: '\ufeffC-7', purpose: '\ufeff\ufeff核验', userRef: '\ufeffu' }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1e8, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        async (values, text) => {
          await Promise.all(values.map((latencyMs) => writer.write(entry({ latencyMs, caseRef: text }))));
        },
      ),
      { numRuns: 20 },
    );
    const state = await chainState();
    expect(state.unchained).toBe(0);
    expect(state.seqs).toEqual(state.seqs.map((_, i) => i + 1));
    expect(await verifyAccessLog(ctx)).toEqual({ ok: true, verified: state.seqs.length });
  });

  it('writes behind rows the sequencer chained meanwhile', async () => {
    const writer = writerOf();
    await writer.write(entry());
    await writeAccessLog(ctx.db, [entry({ operation: 'extract' }), entry({ operation: 'extract' })]);
    expect(await sequenceAccessLog(ctx.db)).toBe(2);
    // The writer's remembered head is stale now: its batch goes again behind the head.
    await Promise.all([writer.write(entry()), writer.write(entry())]);
    await writer.write(entry());
    const state = await chainState();
    expect(state.unchained).toBe(0);
    expect(state.seqs).toEqual(state.seqs.map((_, i) => i + 1));
    expect((await verifyAccessLog(ctx)).ok).toBe(true);
  });

  it('keeps one chain when two nodes write at once', async () => {
    const nodes = [writerOf(), writerOf(), writerOf()];
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        nodes[i % nodes.length]!.write(entry({ operation: `node${i % 3}` })),
      ),
    );
    const state = await chainState();
    expect(state.unchained).toBe(0);
    expect(state.seqs).toEqual(state.seqs.map((_, i) => i + 1));
    const head = await sql<{ seq: number }>`select seq from exchange_log_head`.execute(ctx.db);
    expect(Number(head.rows[0]!.seq)).toBe(state.seqs.length);
    expect(await verifyAccessLog(ctx)).toEqual({ ok: true, verified: state.seqs.length });
  });
});
