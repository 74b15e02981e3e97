import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { entryHash } from './audit-hash.ts';

// The sequencer of a hash-chained, append-only log (the audit log; the exchange's access log).
// Writers insert rows unchained (seq null), so they never wait on one another for the chain head;
// this gives committed rows, in insertion order, their sequence number, previous hash and hash,
// computed from the values as stored with the same body function verification uses. Nodes sharing a
// database take turns through the head row lock. A background tick that finds it taken skips (its
// peer is doing the work); a caller that needs every committed row chained on return (verification,
// checkpoints, a viewer) passes `wait` and queues behind the peer instead.

const BATCH = 5000;

/** A chained log: its table (entry_id, seq, prev_hash, hash …), its one-row head table, its body. */
export interface ChainedLog<Row extends { entry_id: number }> {
  table: 'audit_log' | 'exchange_access_log';
  head: 'audit_head' | 'exchange_log_head';
  bodyOf(row: Row): string;
}

/** How a sequencer run treats a head lock held by a peer: skip the run, or wait for the peer. */
export interface SequenceOptions {
  wait?: boolean;
}

/** Chains every committed, not yet chained row, batch by batch. Returns how many it chained. */
export async function sequenceChain<Row extends { entry_id: number }>(
  db: Db,
  log: ChainedLog<Row>,
  options: SequenceOptions = {},
): Promise<number> {
  const lock = options.wait ? sql`for update` : sql`for update skip locked`;
  let total = 0;
  for (;;) {
    const chained = await db.transaction().execute(async (trx) => {
      const head = await sql<{ seq: number; hash: string }>`
        select seq, hash from ${sql.table(log.head)} where id = 1 ${lock}`.execute(trx);
      const h = head.rows[0];
      if (!h) return 0;
      const { rows } = await sql<Row>`select * from ${sql.table(log.table)}
        where seq is null order by entry_id limit ${BATCH}`.execute(trx);
      if (rows.length === 0) return 0;
      const ids: number[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      let seq = Number(h.seq);
      let prev = h.hash;
      for (const row of rows) {
        seq++;
        const hash = entryHash(prev, seq, log.bodyOf(row));
        ids.push(row.entry_id);
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      await sql`
        update ${sql.table(log.table)} a set seq = v.seq, prev_hash = v.prev, hash = v.hash
        from (select unnest(${ids}::bigint[]) as entry_id, unnest(${seqs}::bigint[]) as seq,
                     unnest(${prevs}::text[]) as prev, unnest(${hashes}::text[]) as hash) v
        where a.entry_id = v.entry_id`.execute(trx);
      await sql`update ${sql.table(log.head)} set seq = ${seq}, hash = ${prev} where id = 1`.execute(trx);
      return rows.length;
    });
    total += chained;
    if (chained < BATCH) return total;
  }
}
