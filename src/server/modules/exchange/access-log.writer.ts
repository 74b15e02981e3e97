import type { Insertable } from 'kysely';
import type { ACCESS_OUTCOMES } from '../../../contracts/exchange.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeAccessLogTable } from '../../platform/db-schema-exchange.ts';

// Writing the access log. Gateway calls must not return data before their log row is durable, yet
// one INSERT per call would make the log the bottleneck: the writer gathers the rows of concurrent
// calls for a few milliseconds and inserts them as one statement (group commit); each call awaits
// the flush holding its row. Rows go in unchained; log-chain.ts links them in insertion order.

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

const rowOf = (e: AccessLogEntry): Insertable<ExchangeAccessLogTable> => ({
  // Millisecond times and two-decimal latencies round-trip exactly through the database, so the
  // chain hashes what is stored.
  at: new Date(Math.floor(e.at.getTime())),
  call_id: e.callId,
  grant_id: e.grantId,
  requester_department_id: e.requesterDepartmentId,
  owner_department_id: e.ownerDepartmentId,
  dataset_id: e.datasetId,
  distribution_id: e.distributionId,
  system_name: e.systemName,
  user_ref: e.userRef,
  operation: e.operation,
  fields: e.fields,
  row_count: e.rowCount,
  subjects: e.subjects,
  purpose: e.purpose,
  case_ref: e.caseRef,
  withheld_until: e.withheldUntil,
  latency_ms: Math.round(e.latencyMs * 100) / 100,
  outcome: e.outcome,
  status: e.status,
});

/** Inserts log rows now, as one statement (inside the caller's transaction when given one). */
export async function writeAccessLog(db: Db, entries: AccessLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insertInto('exchange_access_log').values(entries.map(rowOf)).execute();
}

interface Pending {
  entry: AccessLogEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface AccessLogWriterOptions {
  /** How long the first row of a batch waits for company (ms). */
  delayMs?: number;
  /** A batch is flushed at once when it reaches this many rows. */
  maxRows?: number;
  /** Called after each successful flush (e.g. to chain soon). */
  onFlushed?: (rows: number) => void;
}

/** Group commit of log rows: write() resolves once the row is durably inserted, rejects if that failed. */
export class AccessLogWriter {
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight = new Set<Promise<void>>();
  readonly #delayMs: number;
  readonly #maxRows: number;

  constructor(
    private readonly db: Db,
    private readonly options: AccessLogWriterOptions = {},
  ) {
    this.#delayMs = options.delayMs ?? 2;
    // 19 parameters a row: stays well below PostgreSQL's 65,535 bind parameters.
    this.#maxRows = options.maxRows ?? 500;
  }

  write(entry: AccessLogEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ entry, resolve, reject });
      if (this.#pending.length >= this.#maxRows) this.#flushNow();
      else this.#timer ??= setTimeout(() => this.#flushNow(), this.#delayMs);
    });
  }

  /** Writes what is buffered and waits for every flush in progress. */
  async flush(): Promise<void> {
    this.#flushNow();
    await Promise.allSettled([...this.#inFlight]);
  }

  #flushNow() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    const done = writeAccessLog(
      this.db,
      batch.map((p) => p.entry),
    ).then(
      () => {
        for (const p of batch) p.resolve();
        this.options.onFlushed?.(batch.length);
      },
      (err) => {
        for (const p of batch) p.reject(err);
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }
}
