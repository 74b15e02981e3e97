import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { ACCESS_OUTCOMES } from '../../../contracts/exchange.ts';
import type { Db } from '../../platform/db.ts';
import { GroupBatcher } from '../../platform/group-batcher.ts';
import { ChainedAppender, type StoredFields } from './access-log.chained.ts';

// Writing the access log. Gateway calls must not return data before their log row is durable, yet
// one INSERT per call would make the log the bottleneck: the writer inserts the rows of concurrent
// calls as one statement (group commit), already chained (access-log.chained.ts); each call awaits
// the insert holding its row. writeAccessLog inserts rows unchained, inside a caller's transaction
// (file extracts); the sequencer (log-chain.ts) links those later.

/** One row of the access log, as a gateway call or a download records it. */
export interface AccessLogEntry {
  at: Date;
  callId: string;
  grantId: string | null;
  requesterDepartmentId: string | null;
  ownerDepartmentId: string | null;
  datasetId: string | null;
  distributionId: string | null;
  systemName: string | null;
  userRef: string | null;
  /** lookup, records, grant (the gateway), extract (file downloads). */
  operation: string;
  fields: string[];
  rowCount: number;
  /** Keyed blind indexes of the data subjects touched: `resident_id:<bidx>`, `uscc:<bidx>`. */
  subjects: string[];
  purpose: string | null;
  caseRef: string | null;
  /** YYYY-MM-DD: hidden from the data subjects until then. */
  withheldUntil: string | null;
  latencyMs: number;
  outcome: AccessOutcome;
  status: number;
}

export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

/**
 * The stored row of an entry, in values that read back exactly as written, so that a hash computed
 * from it (by the chained writer) is the hash of what verification reads: millisecond times, and
 * latencies of two decimals and at most six significant digits — a float4 (real) column keeps six
 * digits exactly, so 12345.67 ms would come back as 12345.7 (calls over ten seconds lose their
 * hundredths).
 */
const rowOf = (e: AccessLogEntry): StoredFields => ({
  at: new Date(Math.floor(e.at.getTime())),
  call_id: e.callId,
  ...freeText(e),
  grant_id: e.grantId,
  requester_department_id: e.requesterDepartmentId,
  owner_department_id: e.ownerDepartmentId,
  dataset_id: e.datasetId,
  distribution_id: e.distributionId,
  operation: e.operation,
  fields: e.fields,
  row_count: e.rowCount,
  subjects: e.subjects,
  withheld_until: e.withheldUntil,
  latency_ms: Number((Math.round(e.latencyMs * 100) / 100).toPrecision(6)),
  outcome: e.outcome,
  status: e.status,
});

/**
 * The caller's own text, without a leading BOM (U+FEFF): the embedded engine's reader (PGlite's
 * TextDecoder) drops one from every text it reads, so a stored BOM would make verification hash
 * other text than the writer did and report the row as changed. The gateway's header reading trims
 * it anyway; this holds for every writer.
 */
const withoutBom = (text: string | null) =>
  text?.startsWith('\ufeff') ? text.replace(/^\ufeff+/, '') : text;
const freeText = (e: AccessLogEntry) => ({
  system_name: withoutBom(e.systemName),
  user_ref: withoutBom(e.userRef),
  purpose: withoutBom(e.purpose),
  case_ref: withoutBom(e.caseRef),
});

/** The columns rowOf fills, in its order. */
const COLUMNS = Object.keys(
  rowOf({ at: new Date(), fields: [], subjects: [], latencyMs: 0 } as unknown as AccessLogEntry),
);

/**
 * The insert of a batch: its rows as one JSON array, a single parameter. The statement's text is
 * the same for every batch, so PostgreSQL parses and plans it once per connection (a multi-row
 * VALUES list of 19 parameters a row is a new statement for each batch size, parsed and planned
 * every time), and Node builds no query: JSON.stringify instead of a compiled insert.
 */
const INSERT = `insert into exchange_access_log (${COLUMNS.join(', ')})
  select ${COLUMNS.join(', ')} from json_populate_recordset(null::exchange_access_log, $1::json)`;
const INSERT_NAME = 'cvx_access_log_insert';

/**
 * Inserts log rows now, as one statement (inside the caller's transaction when given one). Given
 * PostgreSQL's pool instead, as a prepared statement.
 */
export async function writeAccessLog(db: Db, entries: AccessLogEntry[], pool?: pg.Pool): Promise<void> {
  if (entries.length === 0) return;
  const rows = JSON.stringify(entries.map(rowOf));
  if (pool) await pool.query({ name: INSERT_NAME, text: INSERT, values: [rows] });
  else await db.executeQuery(CompiledQuery.raw(INSERT, [rows]));
}

export interface AccessLogWriterOptions {
  /** Inserts in flight at once; rows arriving meanwhile wait and go together in the next (default 1). */
  maxInFlight?: number;
  /** A batch holds at most this many rows. */
  maxRows?: number;
  /** Called after each successful flush. */
  onFlushed?: (rows: number) => void;
  /** PostgreSQL's pool (ctx.database.pool): inserts run as a prepared statement. */
  pool?: pg.Pool | undefined;
}

/**
 * Group commit of log rows (platform/group-batcher.ts): a row arriving while no insert is in flight
 * is written at once (after the current tick, to join rows of the same tick); rows arriving while
 * one is in flight wait for it and then go in together. write() resolves once the row is durably
 * inserted, rejects if that failed.
 */
export class AccessLogWriter {
  readonly #batcher: GroupBatcher<AccessLogEntry, void>;

  constructor(db: Db, options: AccessLogWriterOptions = {}) {
    const appender = new ChainedAppender(db, options.pool);
    this.#batcher = new GroupBatcher<AccessLogEntry, void>({
      run: async (entries) => {
        await appender.append(entries.map(rowOf));
        return [];
      },
      maxInFlight: options.maxInFlight ?? 1,
      maxItems: options.maxRows ?? 500,
      onDone: options.onFlushed,
    });
  }

  write(entry: AccessLogEntry): Promise<void> {
    return this.#batcher.submit(entry);
  }

  /** Writes what is buffered and waits until nothing is in flight. */
  flush(): Promise<void> {
    return this.#batcher.flush();
  }
}
