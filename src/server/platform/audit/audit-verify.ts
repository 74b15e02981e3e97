import type { KeyObject } from 'node:crypto';
import type { Db } from '../db.ts';
import { canonicalBody, entryHash, GENESIS_HASH } from './audit-hash.ts';
import { keyIdOf, verifyCheckpointSignature } from './audit-signer.ts';

export type AuditProblemKind = 'changed' | 'missing' | 'reordered' | 'truncated' | 'bad_checkpoint';

export interface AuditProblem {
  /** The first sequence number that cannot be trusted. */
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Entries whose hash and link were checked before the first problem (all of them when ok). */
  verified: number;
  lastSeq: number;
  checkpointsChecked: number;
  problem?: AuditProblem;
}

const PAGE = 5000;

/**
 * Walks the chain in sequence order, recomputing every hash and link, then checks each signed
 * checkpoint against the chain. Independent of the append path: it trusts nothing the database
 * computed. Reports the first problem only, since everything after it is untrustworthy anyway.
 */
export async function verifyAuditLog(db: Db, publicKey: KeyObject): Promise<VerifyResult> {
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
  const wantKeyId = keyIdOf(publicKey);
  const pinned = new Map<number, string>();
  for (const cp of checkpoints) {
    if (cp.key_id !== wantKeyId || !verifyCheckpointSignature(publicKey, cp.seq, cp.hash, cp.at, cp.signature)) {
      return fail(0, 0, checkpoints.length, {
        seq: cp.seq,
        kind: 'bad_checkpoint',
        message: `checkpoint at entry ${cp.seq} has an invalid signature (not made by this key, or altered)`,
      });
    }
    pinned.set(cp.seq, cp.hash);
  }

  let expected = 1;
  let prevHash = GENESIS_HASH;
  let checkedCheckpoints = 0;
  let lastPinned = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expected)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      if (row.seq !== expected) {
        return fail(expected - 1, expected - 1, checkedCheckpoints, {
          seq: expected,
          kind: 'missing',
          message: `entry ${expected} is missing (the log jumps from ${expected - 1} to ${row.seq})`,
        });
      }
      const body = canonicalBody({
        at: row.at,
        actorId: row.actor_id,
        actorLabel: row.actor_label,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        departmentId: row.department_id,
        details: row.details,
        ip: row.ip,
        requestId: row.request_id,
      });
      const selfConsistent = entryHash(row.prev_hash, row.seq, body) === row.hash;
      if (!selfConsistent || row.prev_hash !== prevHash) {
        const kind = await classifyBreak(db, row.seq, row.prev_hash, prevHash, selfConsistent);
        return fail(expected - 1, expected - 1, checkedCheckpoints, kind);
      }
      const pin = pinned.get(row.seq);
      if (pin !== undefined) {
        if (pin !== row.hash) {
          // The rewrite is consistent in itself, so only the checkpoints bound where it starts.
          return fail(lastPinned, lastPinned, checkedCheckpoints, {
            seq: lastPinned + 1,
            kind: 'changed',
            message: `entries ${lastPinned + 1} to ${row.seq} were rewritten and re-hashed: the chain no longer matches the signed checkpoint at ${row.seq}`,
          });
        }
        checkedCheckpoints++;
        lastPinned = row.seq;
      }
      prevHash = row.hash;
      expected++;
    }
    if (rows.length < PAGE) break;
  }

  const lastSeq = expected - 1;
  const lastCheckpoint = checkpoints.at(-1);
  if (lastCheckpoint && lastCheckpoint.seq > lastSeq) {
    return fail(lastSeq, lastSeq, checkedCheckpoints, {
      seq: lastSeq + 1,
      kind: 'truncated',
      message: `the log ends at entry ${lastSeq}, but a signed checkpoint covers entries up to ${lastCheckpoint.seq}`,
    });
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head && head.seq > lastSeq) {
    return fail(lastSeq, lastSeq, checkedCheckpoints, {
      seq: lastSeq + 1,
      kind: 'truncated',
      message: `the log ends at entry ${lastSeq}, but its head records ${head.seq} entries`,
    });
  }
  return { ok: true, verified: lastSeq, lastSeq, checkpointsChecked: checkedCheckpoints };
}

function fail(verified: number, lastSeq: number, checkpointsChecked: number, problem: AuditProblem): VerifyResult {
  return { ok: false, verified, lastSeq, checkpointsChecked, problem };
}

/** Tells an edited entry from one that is intact but out of place. */
async function classifyBreak(
  db: Db,
  seq: number,
  storedPrev: string,
  actualPrev: string,
  selfConsistent: boolean,
): Promise<AuditProblem> {
  // An entry that links to a later entry's hash was moved: the chain order was changed.
  const linkedTo = await db.selectFrom('audit_log').select('seq').where('hash', '=', storedPrev).executeTakeFirst();
  if (storedPrev !== actualPrev && linkedTo && linkedTo.seq >= seq) {
    return { seq, kind: 'reordered', message: `entry ${seq} is out of order: it follows entry ${linkedTo.seq} in the chain` };
  }
  if (!selfConsistent) {
    return { seq, kind: 'changed', message: `entry ${seq} was changed: its content no longer matches its hash` };
  }
  // Content and hash agree but the link does not: the previous entry was rewritten with a recomputed hash.
  return {
    seq: seq - 1,
    kind: 'changed',
    message: `entry ${seq - 1} was changed and re-hashed: entry ${seq} no longer links to it`,
  };
}
