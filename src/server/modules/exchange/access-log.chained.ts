import { CompiledQuery, sql } from 'kysely';
import type pg from 'pg';
import { entryHash } from '../../platform/audit/index.ts';
import type { Db } from '../../platform/db.ts';
import { type LoggedFields, logBodyOf } from './log-chain.ts';

// Gateway log rows inserted already chained. Inserting them unchained and letting the sequencer
// (platform/audit) update them later cost each call as much again as the insert: the UPDATE is
// never HOT (seq is indexed), so every row was written twice, heap and indexes, and read back into
// Node to hash — 56 µs of CPU per call out of 313 (bench/exchange-gateway.ts, chainer paused vs
// running). Here the writer hashes the rows it is about to insert and stores them with their seq,
// prev_hash and hash in the same statement that moves the chain head: one statement, written once.
//
// The head is advanced only if it is still where this node last left it (compare and set in one
// statement, so a single node pays one round trip a batch). Another node, or the sequencer chaining
// rows written unchained (file extracts), moves it meanwhile: the statement then inserts nothing and
// the batch goes again in a transaction that locks the head, reads it and writes behind it. Either
// way rows and head commit together, so the chain has no gap and no fork.
//
// The hash covers the values as verification reads them back: the writer's rows are built so that
// they round-trip exactly (rowOf in access-log.writer.ts), and a test verifies written rows.

/** A log row ready to insert: the stored fields the body covers, in the writer's form. */
export type StoredFields = Omit<LoggedFields, 'at'> & { at: Date };

interface Head {
  seq: number;
  hash: string;
}

/**
 * The columns of a row as its body (logBodyOf) names them, with their SQL types: the insert reads
 * each row from the very text that was hashed, plus its chain fields.
 */
const BODY_COLUMNS: [key: string, column: string, type: string][] = [
  ['at', 'at', 'timestamptz'],
  ['callId', 'call_id', 'text'],
  ['caseRef', 'case_ref', 'text'],
  ['datasetId', 'dataset_id', 'uuid'],
  ['distributionId', 'distribution_id', 'uuid'],
  ['fields', 'fields', 'text[]'],
  ['grantId', 'grant_id', 'uuid'],
  ['latencyMs', 'latency_ms', 'real'],
  ['operation', 'operation', 'text'],
  ['outcome', 'outcome', 'text'],
  ['ownerDepartmentId', 'owner_department_id', 'uuid'],
  ['purpose', 'purpose', 'text'],
  ['requesterDepartmentId', 'requester_department_id', 'uuid'],
  ['rowCount', 'row_count', 'integer'],
  ['status', 'status', 'integer'],
  ['subjects', 'subjects', 'text[]'],
  ['systemName', 'system_name', 'text'],
  ['userRef', 'user_ref', 'text'],
  ['withheldUntil', 'withheld_until', 'date'],
  ['seq', 'seq', 'bigint'],
  ['prevHash', 'prev_hash', 'text'],
  ['hash', 'hash', 'text'],
];

/** The insert of a batch: a JSON array of bodies, each with its seq, prevHash and hash added. */
const INSERT = `insert into exchange_access_log (${BODY_COLUMNS.map(([, c]) => c).join(', ')})
  select ${BODY_COLUMNS.map(([k]) => `"${k}"`).join(', ')}
  from json_to_recordset($1::json) as r(${BODY_COLUMNS.map(([k, , t]) => `"${k}" ${t}`).join(', ')})`;

/** The rows of a batch, chained after `head`, as the insert's JSON parameter, and the head they leave. */
function chain(rows: StoredFields[], head: Head): { json: string; head: Head } {
  let { seq, hash: prev } = head;
  const parts = rows.map((row) => {
    seq++;
    const body = logBodyOf(row);
    const hash = entryHash(prev, seq, body);
    // The body is a JSON object: the chain fields are appended inside its closing brace.
    const part = `${body.slice(0, -1)},"seq":${seq},"prevHash":"${prev}","hash":"${hash}"}`;
    prev = hash;
    return part;
  });
  return { json: `[${parts.join(',')}]`, head: { seq, hash: prev } };
}

/** Appends log rows already chained; one per process (it remembers where the head was). */
export class ChainedAppender {
  #head: Head | undefined;
  readonly #casInsert = `with head as (
      update exchange_log_head set seq = $2::bigint, hash = $3::text
      where id = 1 and seq = $4::bigint and hash = $5::text returning 1)
    ${INSERT} where exists (select 1 from head)`;

  constructor(
    private readonly db: Db,
    private readonly pool?: pg.Pool,
  ) {}

  /** Inserts the rows chained after the head, durably; resolves once they are committed. */
  async append(rows: StoredFields[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.#head) {
      const from = this.#head;
      const { json, head } = chain(rows, from);
      const values = [json, head.seq, head.hash, from.seq, from.hash];
      if ((await this.#run(this.#casInsert, values)) === rows.length) {
        this.#head = head;
        return;
      }
    }
    this.#head = undefined;
    this.#head = await this.db.transaction().execute(async (trx) => {
      const current =
        await sql<Head>`select seq, hash from exchange_log_head where id = 1 for update`.execute(trx);
      const { json, head } = chain(rows, {
        seq: Number(current.rows[0]!.seq),
        hash: current.rows[0]!.hash,
      });
      await trx.executeQuery(CompiledQuery.raw(INSERT, [json]));
      await sql`update exchange_log_head set seq = ${head.seq}, hash = ${head.hash} where id = 1`.execute(
        trx,
      );
      return head;
    });
  }

  /** Runs a statement (prepared on PostgreSQL's pool); returns the rows it inserted. */
  async #run(text: string, values: unknown[]): Promise<number> {
    if (this.pool) {
      const result = await this.pool.query({ name: 'cvx_access_log_chained', text, values });
      return result.rowCount ?? 0;
    }
    const result = await this.db.executeQuery(CompiledQuery.raw(text, values));
    return Number(result.numAffectedRows ?? 0);
  }
}
