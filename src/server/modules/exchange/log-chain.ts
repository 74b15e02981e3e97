import { canonicalJson, type SequenceOptions, sequenceChain } from '../../platform/audit/index.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeAccessLogRow } from '../../platform/db-schema-exchange.ts';

// The access log's hash chain, built as the audit log's is (platform/audit): calls insert their
// rows unchained, so they never wait on one another for the chain head; the sequencer gives
// committed rows, in insertion order, their sequence number, previous hash and
// hash = sha256(prev ‖ "\n" ‖ seq ‖ "\n" ‖ canonical body) under the exchange_log_head row lock.
// The body is the RFC 8785 JSON of every stored field but the chain's own columns and the
// insertion number, computed from the values as stored, by the same function verification uses.

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
