import type { Db } from '../db.ts';
import { sequenceAudit } from './audit-sequencer.ts';
import { type AuditSigner, checkpointMessage } from './audit-signer.ts';

export interface Checkpoint {
  seq: number;
  hash: string;
  at: Date;
  keyId: string;
  signature: string;
}

/**
 * Signs the current head if it moved since the last checkpoint. A signed (seq, hash) pins every
 * entry up to seq: rewriting them, even with recomputed hashes, or cutting the log short is detected.
 */
export async function checkpointIfNeeded(
  db: Db,
  signer: AuditSigner,
  minEntries = 1,
): Promise<Checkpoint | undefined> {
  await sequenceAudit(db, { wait: true });
  return db.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const last = await trx
      .selectFrom('audit_checkpoints')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const lastSeq = last?.seq ?? 0;
    if (head.seq === 0 || head.seq - lastSeq < minEntries) return undefined;
    const at = new Date();
    const checkpoint: Checkpoint = {
      seq: head.seq,
      hash: head.hash,
      at,
      keyId: signer.keyId,
      signature: signer.sign(checkpointMessage(head.seq, head.hash, at)),
    };
    await trx
      .insertInto('audit_checkpoints')
      .values({
        seq: checkpoint.seq,
        hash: checkpoint.hash,
        at,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
      })
      .execute();
    return checkpoint;
  });
}

const SEQUENCE_EVERY_MS = 200;

/**
 * The audit log's background work in a server: chains new entries every 200 ms, and signs a
 * checkpoint when `every` entries have accumulated or `seconds` have passed with any new entry.
 */
export function startCheckpointTimer(
  db: Db,
  signer: AuditSigner,
  options: { every: number; seconds: number; onError: (err: unknown) => void },
): () => void {
  let lastCheckpointAt = Date.now();
  let lastCheckedAt = 0;
  let running = false;
  const tick = async () => {
    if (running) return; // a slow tick (big backlog) is not overlapped by the next one
    running = true;
    try {
      await sequenceAudit(db);
      if (Date.now() - lastCheckedAt >= 5000) {
        lastCheckedAt = Date.now();
        const due = Date.now() - lastCheckpointAt >= options.seconds * 1000;
        const made = await checkpointIfNeeded(db, signer, due ? 1 : options.every);
        if (made || due) lastCheckpointAt = Date.now();
      }
    } catch (err) {
      options.onError(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, SEQUENCE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
