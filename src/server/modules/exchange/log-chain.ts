import { type SequenceOptions, sequenceChain } from '../../platform/audit/index.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeAccessLogRow } from '../../platform/db-schema-exchange.ts';

// The access log's hash chain: every row has its sequence number, previous hash and
// hash = sha256(prev ‖ "\n" ‖ seq ‖ "\n" ‖ canonical body), the head row (exchange_log_head) the
// last of them. The gateway's writer inserts its rows already chained (access-log.chained.ts);
// rows written unchained inside other transactions (file extracts) are chained afterwards by the
// audit log's sequencer (platform/audit), under the head row lock, in insertion order. The body is
// the RFC 8785 JSON of every stored field but the chain's own columns and the insertion number, as
// stored, by the same function verification uses.

/** The stored fields a row's hash covers. */
export type LoggedFields = Omit<ExchangeAccessLogRow, 'entry_id' | 'seq' | 'prev_hash' | 'hash'>;

/**
 * The canonical body of a stored log row (shared by the sequencer and verification): its RFC 8785
 * JSON, written by JSON.stringify with the keys in JCS order (sorted by UTF-16 code units) instead
 * of sorting them for every row as canonicalJson does — twice as fast, and the same text for these
 * values (strings, finite numbers, null, arrays of strings; absent keys dropped by both), which a
 * test holds to canonicalJson's.
 */
export function logBodyOf(row: LoggedFields): string {
  return JSON.stringify({
    at: row.at.toISOString(),
    callId: row.call_id,
    caseRef: row.case_ref,
    datasetId: row.dataset_id,
    distributionId: row.distribution_id,
    fields: row.fields,
    grantId: row.grant_id,
    latencyMs: float4Figure(row.latency_ms),
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

/**
 * A latency as the six significant digits of the float4 (real) that stores it. The writer keeps six
 * digits (access-log.writer.ts), which PostgreSQL prints back as they were — except above about 10^7
 * ms, where several float4s share six digits and the value comes back with eight. Hashing this
 * figure, the writer's number and the number read back give the same body; for every value up to
 * 10^7 it is the number itself, so rows hashed before stay valid.
 */
const float4Figure = (ms: number) => Number(Math.fround(ms).toPrecision(6));

/** Chains every committed, unchained log row (platform/audit's sequencer). Returns how many it chained. */
export const sequenceAccessLog = (db: Db, options?: SequenceOptions): Promise<number> =>
  sequenceChain<ExchangeAccessLogRow>(
    db,
    { table: 'exchange_access_log', head: 'exchange_log_head', bodyOf: logBodyOf },
    options,
  );
