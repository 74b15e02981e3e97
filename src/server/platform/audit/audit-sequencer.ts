import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { AuditEntryRow } from '../db-schema.ts';
import { canonicalBody, entryHash, hashedFieldsOf } from './audit-hash.ts';

const BATCH = 5000;

/**
 * Gives every committed, not yet chained audit entry its sequence number, previous hash and hash,
 * in insertion order, batch by batch. The hash is computed from the values as stored, with the
 * same code verification uses. Nodes sharing a database take turns through the head row lock; a
 * node that finds it taken skips (its peer is doing the work). Returns how many entries it chained.
 */
export async function sequenceAudit(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const chained = await db.transaction().execute(async (trx) => {
      const head = await sql<{ seq: number; hash: string }>`
        select seq, hash from audit_head where id = 1 for update skip locked`.execute(trx);
      const h = head.rows[0];
      if (!h) return 0;
      const rows = await trx
        .selectFrom('audit_log')
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
        const hash = entryHash(prev, seq, bodyOf(row));
        ids.push(row.entry_id);
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      await sql`
        update audit_log a set seq = v.seq, prev_hash = v.prev, hash = v.hash
        from (select unnest(${ids}::bigint[]) as entry_id, unnest(${seqs}::bigint[]) as seq,
                     unnest(${prevs}::text[]) as prev, unnest(${hashes}::text[]) as hash) v
        where a.entry_id = v.entry_id`.execute(trx);
      await trx.updateTable('audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
      return rows.length;
    });
    total += chained;
    if (chained < BATCH) return total;
  }
}

/** The canonical body of a stored entry (shared with verification, so both hash the same bytes). */
export function bodyOf(row: AuditEntryRow): string {
  return canonicalBody(hashedFieldsOf(row));
}
