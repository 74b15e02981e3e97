import type { KeyObject } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import type { Db } from '../db.ts';
import type { AuditEntryRow } from '../db-schema.ts';
import { GENESIS_HASH, type HashedFields, hashedFieldsOf } from './audit-hash.ts';
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

/**
 * RFC 8785 (JCS) form of a JSON value as the database returns it: plain objects, arrays, strings,
 * finite numbers, booleans and null. Gives the same text as canonicalize() for such values (a
 * property test holds it to that) at a fraction of the cost, which dominates verification.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i] ?? null);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

const text = (s: string | null) => (s === null ? 'null' : JSON.stringify(s));

/** canonicalBody() written out for its fixed keys, already in JCS order. */
export function fastCanonicalBody(f: HashedFields): string {
  return (
    `{"action":${JSON.stringify(f.action)},"actorId":${text(f.actorId)},"actorLabel":${JSON.stringify(f.actorLabel)},` +
    `"at":"${f.at.toISOString()}","departmentId":${text(f.departmentId)},"details":${canonicalJson(f.details)},` +
    `"ip":${text(f.ip)},"requestId":${text(f.requestId)},"targetId":${text(f.targetId)},"targetType":${text(f.targetType)}}`
  );
}

/** An entry that the sequencer has placed in the chain. */
type ChainedRow = Omit<AuditEntryRow, 'seq' | 'prev_hash' | 'hash'> & {
  seq: number;
  prev_hash: string;
  hash: string;
};

const fetchPage = (db: Db, from: number) =>
  db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>=', from)
    .orderBy('seq')
    .limit(PAGE)
    .execute() as Promise<ChainedRow[]>;

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
  let pending = fetchPage(db, expected);
  for (;;) {
    const rows = await pending;
    const last = rows.at(-1);
    if (rows.length === PAGE && last) {
      pending = fetchPage(db, last.seq + 1);
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
      const body = fastCanonicalBody(hashedFieldsOf(row));
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
