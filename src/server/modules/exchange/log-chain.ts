import { type SequenceOptions, sequenceChain } from '../../platform/audit/index.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeAccessLogRow } from '../../platform/db-schema-exchange.ts';

// The access log's hash chain, built as the audit log's is (platform/audit): calls insert their
// rows unchained, so they never wait on one another for the chain head; the sequencer gives
// committed rows, in insertion order, their sequence number, previous hash and
// hash = sha256(prev ‖ "\n" ‖ seq ‖ "\n" ‖ canonical body) under the exchange_log_head row lock.
// The body is the RFC 8785 JSON of every stored field but the chain's own columns and the
// insertion number, computed from the values as stored, by the same function verification uses.

/**
 * The canonical body of a stored log row (shared by the sequencer and verification): its RFC 8785
 * JSON, written by JSON.stringify with the keys in JCS order (sorted by UTF-16 code units) instead
 * of sorting them for every row as canonicalJson does — twice as fast, and the same text for these
 * values (strings, finite numbers, null, arrays of strings; absent keys dropped by both), which a
 * test holds to canonicalJson's.
 */
export function logBodyOf(row: ExchangeAccessLogRow): string {
  return JSON.stringify({
    at: row.at.toISOString(),
    callId: row.call_id,
    caseRef: row.case_ref,
    datasetId: row.dataset_id,
    distributionId: row.distribution_id,
    fields: row.fields,
    grantId: row.grant_id,
    latencyMs: row.latency_ms,
    operation: row.operation,
    outcome: row.outcome,
    ownerDepartmentId: row.owner_department_id,
    purpose: row.purpose,
    requesterDepartmentId: row.requester_department_id,
    rowCount: row.row_count,
    status: row.status,
    subjects: row.subjects,
    systemName: row.system_name,
    userRef: row.user_ref,
    withheldUntil: row.withheld_until,
  });
}

/** Chains every committed, unchained log row (platform/audit's sequencer). Returns how many it chained. */
export const sequenceAccessLog = (db: Db, options?: SequenceOptions): Promise<number> =>
  sequenceChain<ExchangeAccessLogRow>(
    db,
    { table: 'exchange_access_log', head: 'exchange_log_head', bodyOf: logBodyOf },
    options,
  );

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
