import type { Db } from '../db.ts';
import type { AuditProblem, ChainBreak } from './audit-chain-walk.ts';
import type { ChainedLog } from './chain-sequencer.ts';

// How a verifier's walk over a hash-chained log (the audit log; the exchange's access log) ends: the
// problem where the chain broke, told apart through the database, or the log's end compared with
// what its head row records.

type Log = ChainedLog<{ entry_id: number }>;

/** The problem where a walk stopped: known outright, or a broken link told apart through `table`. */
export async function problemAtBreak(db: Db, table: Log['table'], broken: ChainBreak): Promise<AuditProblem> {
  if (broken.kind === 'problem') return broken.problem;
  const { seq, storedPrev, actualPrev, selfConsistent } = broken;
  // An entry that links to a later entry's hash was moved: the chain order was changed.
  const linkedTo = await db.selectFrom(table).select('seq').where('hash', '=', storedPrev).executeTakeFirst();
  if (storedPrev !== actualPrev && linkedTo?.seq != null && linkedTo.seq >= seq) {
    return {
      seq,
      kind: 'reordered',
      message: `entry ${seq} is out of order: it follows entry ${linkedTo.seq} in the chain`,
    };
  }
  if (!selfConsistent) {
    return {
      seq,
      kind: 'changed',
      message: `entry ${seq} was changed: its content no longer matches its hash`,
    };
  }
  // Content and hash agree but the link does not: the previous entry was rewritten with a recomputed hash.
  return {
    seq: seq - 1,
    kind: 'changed',
    message: `entry ${seq - 1} was changed and re-hashed: entry ${seq} no longer links to it`,
  };
}

/**
 * Compares where a complete walk ended (entry `last.seq`) with the log's head row: a head recording
 * more entries means the log was cut; given the last entry's hash, a head at the same entry with
 * another hash means that entry was changed and re-hashed. Returns the problem and the entries
 * verified before it, or undefined when the end agrees with the head.
 */
export async function endAgainstHead(
  db: Db,
  head: Log['head'],
  last: { seq: number; hash?: string | null },
): Promise<{ verified: number; problem: AuditProblem } | undefined> {
  const recorded = await db.selectFrom(head).select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (recorded && recorded.seq > last.seq) {
    return {
      verified: last.seq,
      problem: {
        seq: last.seq + 1,
        kind: 'truncated',
        message: `the log ends at entry ${last.seq}, but its head records ${recorded.seq} entries`,
      },
    };
  }
  if (
    recorded &&
    last.hash !== undefined &&
    last.seq > 0 &&
    recorded.seq === last.seq &&
    recorded.hash !== last.hash
  ) {
    return {
      verified: last.seq - 1,
      problem: {
        seq: last.seq,
        kind: 'changed',
        message: `entry ${last.seq} was changed and re-hashed: it no longer matches the log's head`,
      },
    };
  }
  return undefined;
}
