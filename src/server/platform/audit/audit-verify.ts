import type { KeyObject } from 'node:crypto';
import type { DatabaseHandle, Db } from '../db.ts';
import {
  type EntryVisitor,
  readChainByCopyStream,
  readChainByPgliteCopy,
  readChainByQuery,
} from './audit-chain-reader.ts';
import { type AuditProblem, ChainWalker } from './audit-chain-walk.ts';
import { sequenceAudit } from './audit-sequencer.ts';
import { keyIdOf, verifyCheckpointSignature } from './audit-signer.ts';
import { endAgainstHead, problemAtBreak } from './chain-ending.ts';

export type { AuditProblem, AuditProblemKind } from './audit-chain-walk.ts';

export interface VerifyResult {
  ok: boolean;
  /** Entries whose hash and link were checked before the first problem (all of them when ok). */
  verified: number;
  lastSeq: number;
  checkpointsChecked: number;
  problem?: AuditProblem;
}

export interface VerifyOptions {
  /** Don't chain committed entries first (e.g. on a replica): they are then not part of what is verified. */
  readOnly?: boolean | undefined;
  /**
   * The open database `db` belongs to. With it the chain is read with COPY (over the wire from
   * PostgreSQL, from the protocol stream of PGlite), much faster than as query results without it.
   */
  database?: Pick<DatabaseHandle, 'pool' | 'pglite'> | undefined;
  /** Read with plain queries even when `database` is given (tests compare the readers). */
  reader?: 'copy' | 'query' | undefined;
}

/** The fastest reader the database allows. */
function readChain(db: Db, options: VerifyOptions, visit: EntryVisitor): Promise<void> {
  const { pool, pglite } = options.database ?? {};
  if (options.reader !== 'query') {
    if (pool) return readChainByCopyStream(pool, visit);
    if (pglite) return readChainByPgliteCopy(pglite, visit);
  }
  return readChainByQuery(db, visit);
}

/**
 * Walks the chain in sequence order, recomputing every hash and link, then checks each signed
 * checkpoint against the chain. Independent of the append path: it trusts nothing the database
 * computed. Reports the first problem only, since everything after it is untrustworthy anyway.
 * Committed entries not yet chained are chained first, unless `readOnly` (e.g. on a replica);
 * then they are simply not part of what is verified.
 */
export async function verifyAuditLog(
  db: Db,
  publicKey: KeyObject,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  if (!options.readOnly) await sequenceAudit(db, { wait: true });
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
  const wantKeyId = keyIdOf(publicKey);
  const pinned = new Map<number, string>();
  for (const cp of checkpoints) {
    if (
      cp.key_id !== wantKeyId ||
      !verifyCheckpointSignature(publicKey, cp.seq, cp.hash, cp.at, cp.signature)
    ) {
      return fail(0, 0, checkpoints.length, {
        seq: cp.seq,
        kind: 'bad_checkpoint',
        message: `checkpoint at entry ${cp.seq} has an invalid signature (not made by this key, or altered)`,
      });
    }
    pinned.set(cp.seq, cp.hash);
  }

  const walker = new ChainWalker(pinned);
  await readChain(db, options, (seq, prevHash, hash, body) => walker.step(seq, prevHash, hash, body));
  const broken = walker.break;
  if (broken) {
    const problem = await problemAtBreak(db, 'audit_log', broken);
    return fail(broken.verified, broken.verified, walker.checkedCheckpoints, problem);
  }

  const checkedCheckpoints = walker.checkedCheckpoints;
  const lastSeq = walker.expected - 1;
  const lastCheckpoint = checkpoints.at(-1);
  if (lastCheckpoint && lastCheckpoint.seq > lastSeq) {
    return fail(lastSeq, lastSeq, checkedCheckpoints, {
      seq: lastSeq + 1,
      kind: 'truncated',
      message: `the log ends at entry ${lastSeq}, but a signed checkpoint covers entries up to ${lastCheckpoint.seq}`,
    });
  }
  const ending = await endAgainstHead(db, 'audit_head', { seq: lastSeq });
  if (ending) return fail(ending.verified, lastSeq, checkedCheckpoints, ending.problem);
  return { ok: true, verified: lastSeq, lastSeq, checkpointsChecked: checkedCheckpoints };
}

function fail(
  verified: number,
  lastSeq: number,
  checkpointsChecked: number,
  problem: AuditProblem,
): VerifyResult {
  return { ok: false, verified, lastSeq, checkpointsChecked, problem };
}
