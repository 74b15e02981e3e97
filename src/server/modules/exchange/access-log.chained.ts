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

type Chained = StoredFields & { seq: number; prev_hash: string; hash: string };

/** The rows of a batch, chained after `head`, and the head they leave. */
function chain(rows: StoredFields[], head: Head): { chained: Chained[]; head: Head } {
  let { seq, hash: prev } = head;
  const chained = rows.map((row) => {
    seq++;
    const hash = entryHash(prev, seq, logBodyOf(row));
    const out = { ...row, seq, prev_hash: prev, hash };
    prev = hash;
    return out;
  });
  return { chained, head: { seq, hash: prev } };
}

/** Appends log rows already chained; one per process (it remembers where the head was). */
export class ChainedAppender {
  #head: Head | undefined;
  readonly #insert: string;
  readonly #casInsert: string;

  constructor(
    private readonly db: Db,
    columns: string[],
    private readonly pool?: pg.Pool,
  ) {
    const all = [...columns, 'seq', 'prev_hash', 'hash'].join(', ');
    this.#insert = `insert into exchange_access_log (${all})
      select ${all} from json_populate_recordset(null::exchange_access_log, $1::json)`;
    this.#casInsert = `with head as (
        update exchange_log_head set seq = $2::bigint, hash = $3::text
        where id = 1 and seq = $4::bigint and hash = $5::text returning 1)
      ${this.#insert} where exists (select 1 from head)`;
  }

  /** Inserts the rows chained after the head, durably; resolves once they are committed. */
  async append(rows: StoredFields[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.#head) {
      const from = this.#head;
      const { chained, head } = chain(rows, from);
      const values = [JSON.stringify(chained), head.seq, head.hash, from.seq, from.hash];
      if ((await this.#run(this.#casInsert, values)) === rows.length) {
        this.#head = head;
        return;
      }
    }
    this.#head = undefined;
    this.#head = await this.db.transaction().execute(async (trx) => {
      const current =
        await sql<Head>`select seq, hash from exchange_log_head where id = 1 for update`.execute(trx);
      const { chained, head } = chain(rows, {
        seq: Number(current.rows[0]!.seq),
        hash: current.rows[0]!.hash,
      });
      await trx.executeQuery(CompiledQuery.raw(this.#insert, [JSON.stringify(chained)]));
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
