import type { KeyObject } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { GENESIS_HASH, type StoredFields, storedBody } from './audit-hash.ts';
import { sequenceAudit } from './audit-sequencer.ts';
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

// Big pages amortise round trips; the next page is fetched while this one is hashed.
const PAGE = 10_000;

// One-shot hashing (Node ≥ 21.7) skips the Hash object that createHash() builds for every entry.
const sha256Hex: (text: string) => string =
  typeof nodeCrypto.hash === 'function'
    ? (text) => nodeCrypto.hash('sha256', text, 'hex')
    : (text) => nodeCrypto.createHash('sha256').update(text).digest('hex');

/** What verification reads of a chained entry: text only, so nothing needs parsing. */
export interface ChainRow {
  seq: number;
  prev_hash: string;
  hash: string;
  at_iso: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  department_id: string | null;
  details: string;
  ip: string | null;
  request_id: string | null;
}

// The time as the ISO text JavaScript's toISOString() writes (milliseconds, UTC; a check constraint
// keeps stored times at millisecond precision), formatted by the database instead of parsed in Node.
export const fetchChainPage = async (db: Db, from: number): Promise<ChainRow[]> =>
  (
    await sql<ChainRow>`
      select seq, prev_hash, hash,
             to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at_iso,
             actor_id, actor_label, action, target_type, target_id, department_id, details, ip, request_id
      from audit_log where seq >= ${from} order by seq limit ${PAGE}`.execute(db)
  ).rows;

export const storedFieldsOf = (row: ChainRow): StoredFields => ({
  atIso: row.at_iso,
  actorId: row.actor_id,
  actorLabel: row.actor_label,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  departmentId: row.department_id,
  detailsJson: row.details,
  ip: row.ip,
  requestId: row.request_id,
});

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
  options: { readOnly?: boolean } = {},
): Promise<VerifyResult> {
  if (!options.readOnly) await sequenceAudit(db);
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

  let expected = 1;
  let prevHash = GENESIS_HASH;
  let checkedCheckpoints = 0;
  let lastPinned = 0;
  let pending = fetchChainPage(db, expected);
  for (;;) {
    const rows = await pending;
    const last = rows.at(-1);
    if (rows.length === PAGE && last) {
      pending = fetchChainPage(db, last.seq + 1);
      pending.catch(() => {}); // awaited on the next turn; a failure there is reported there
    }
    for (const row of rows) {
      if (row.seq !== expected) {
        return fail(expected - 1, expected - 1, checkedCheckpoints, {
          seq: expected,
          kind: 'missing',
          message: `entry ${expected} is missing (the log jumps from ${expected - 1} to ${row.seq})`,
        });
      }
      const body = storedBody(storedFieldsOf(row));
      const selfConsistent = sha256Hex(`${row.prev_hash}\n${row.seq}\n${body}`) === row.hash;
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
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (head && head.seq > lastSeq) {
    return fail(lastSeq, lastSeq, checkedCheckpoints, {
      seq: lastSeq + 1,
      kind: 'truncated',
      message: `the log ends at entry ${lastSeq}, but its head records ${head.seq} entries`,
    });
  }
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

/** Tells an edited entry from one that is intact but out of place. */
async function classifyBreak(
  db: Db,
  seq: number,
  storedPrev: string,
  actualPrev: string,
  selfConsistent: boolean,
): Promise<AuditProblem> {
  // An entry that links to a later entry's hash was moved: the chain order was changed.
  const linkedTo = await db
    .selectFrom('audit_log')
    .select('seq')
    .where('hash', '=', storedPrev)
    .executeTakeFirst();
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
