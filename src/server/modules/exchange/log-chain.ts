import { sql } from 'kysely';
import { canonicalJson, entryHash } from '../../platform/audit/index.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeAccessLogRow } from '../../platform/db-schema-exchange.ts';

// The access log's hash chain, built as the audit log's is (platform/audit): calls insert their
// rows unchained, so they never wait on one another for the chain head; the sequencer gives
// committed rows, in insertion order, their sequence number, previous hash and
// hash = sha256(prev ‖ "\n" ‖ seq ‖ "\n" ‖ canonical body) under the exchange_log_head row lock.
// The body is the RFC 8785 JSON of every stored field but the chain's own columns and the
// insertion number, computed from the values as stored, by the same function verification uses.

const BATCH = 5000;

/** The canonical body of a stored log row (shared by the sequencer and verification). */
export function logBodyOf(row: ExchangeAccessLogRow): string {
  return canonicalJson({
    at: row.at.toISOString(),
    callId: row.call_id,
    grantId: row.grant_id,
    requesterDepartmentId: row.requester_department_id,
    ownerDepartmentId: row.owner_department_id,
    datasetId: row.dataset_id,
    distributionId: row.distribution_id,
    systemName: row.system_name,
    userRef: row.user_ref,
    operation: row.operation,
    fields: row.fields,
    rowCount: row.row_count,
    subjects: row.subjects,
    purpose: row.purpose,
    caseRef: row.case_ref,
    withheldUntil: row.withheld_until,
    latencyMs: row.latency_ms,
    outcome: row.outcome,
    status: row.status,
  });
}

/**
 * Chains every committed, unchained log row, batch by batch. Nodes take turns through the head
 * row lock; one that finds it taken skips (its peer is doing the work). Returns how many it chained.
 */
export async function sequenceAccessLog(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const chained = await db.transaction().execute(async (trx) => {
      const head = await sql<{ seq: number; hash: string }>`
        select seq, hash from exchange_log_head where id = 1 for update skip locked`.execute(trx);
      const h = head.rows[0];
      if (!h) return 0;
      const rows = await trx
        .selectFrom('exchange_access_log')
        .selectAll()
        .where('seq', 'is', null)
        .orderBy('entry_id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) return 0;
      const ids: number[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      let seq = h.seq;
      let prev = h.hash;
      for (const row of rows) {
        seq++;
        const hash = entryHash(prev, seq, logBodyOf(row));
        ids.push(row.entry_id);
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      await sql`
        update exchange_access_log a set seq = v.seq, prev_hash = v.prev, hash = v.hash
        from (select unnest(${ids}::bigint[]) as entry_id, unnest(${seqs}::bigint[]) as seq,
                     unnest(${prevs}::text[]) as prev, unnest(${hashes}::text[]) as hash) v
        where a.entry_id = v.entry_id`.execute(trx);
      await trx.updateTable('exchange_log_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
      return rows.length;
    });
    total += chained;
    if (chained < BATCH) return total;
  }
}

/** Runs sequenceAccessLog soon after writes, at most one run at a time and one every `gapMs`. */
export function chainSoon(db: Db, gapMs = 250, onError: (err: unknown) => void = () => {}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const kick = () => {
    if (timer || running) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = sequenceAccessLog(db)
        .catch(onError)
        .finally(() => {
          running = undefined;
        });
    }, gapMs);
    timer.unref();
  };
  return {
    kick,
    /** Stops scheduling and waits for a run in progress. */
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
