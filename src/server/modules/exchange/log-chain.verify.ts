import { type AuditProblem, ChainWalker, recomputedHash } from '../../platform/audit/index.ts';
import type { Db } from '../../platform/db.ts';
import { logBodyOf, sequenceAccessLog } from './log-chain.ts';

// Verifying the access log: walk the chain in sequence order recomputing every hash and link (the
// audit log's ChainWalker makes the checks), then compare its end with the head. Trusts nothing the
// database computed; reports the first problem, since everything after it is untrustworthy anyway.

const PAGE = 5000;

export interface AccessLogVerifyResult {
  ok: boolean;
  /** Entries checked before the first problem (all of them when ok). */
  verified: number;
  problem?: AuditProblem;
}

/** Verifies the access log's chain; chains committed rows first unless `readOnly` (a replica). */
export async function verifyAccessLog(
  ctx: { db: Db },
  options: { readOnly?: boolean } = {},
): Promise<AccessLogVerifyResult> {
  const { db } = ctx;
  if (!options.readOnly) await sequenceAccessLog(db, { wait: true });
  const walker = new ChainWalker(new Map());
  let after = 0;
  let lastHash: string | null = null;
  for (;;) {
    const rows = await db
      .selectFrom('exchange_access_log')
      .selectAll()
      .where('seq', 'is not', null)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    let stopped = false;
    for (const row of rows) {
      const seq = row.seq as number;
      if (!walker.step(seq, row.prev_hash, row.hash, recomputedHash(row.prev_hash, seq, logBodyOf(row)))) {
        stopped = true;
        break;
      }
      lastHash = row.hash;
    }
    if (stopped || rows.length < PAGE) break;
    after = rows.at(-1)!.seq as number;
  }

  const broken = walker.break;
  if (broken) {
    if (broken.kind === 'problem') return { ok: false, verified: broken.verified, problem: broken.problem };
    return {
      ok: false,
      verified: broken.verified,
      problem: await classifyBreak(
        db,
        broken.seq,
        broken.storedPrev,
        broken.actualPrev,
        broken.selfConsistent,
      ),
    };
  }
  const last = walker.expected - 1;
  const head = await db
    .selectFrom('exchange_log_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (head && head.seq > last) {
    return {
      ok: false,
      verified: last,
      problem: {
        seq: last + 1,
        kind: 'truncated',
        message: `the log ends at entry ${last}, but its head records ${head.seq} entries`,
      },
    };
  }
  if (head && last > 0 && head.seq === last && head.hash !== lastHash) {
    return {
      ok: false,
      verified: last - 1,
      problem: {
        seq: last,
        kind: 'changed',
        message: `entry ${last} was changed and re-hashed: it no longer matches the log's head`,
      },
    };
  }
  return { ok: true, verified: last };
}

/** Tells an edited entry from one that is intact but out of place (as the audit log's verifier does). */
async function classifyBreak(
  db: Db,
  seq: number,
  storedPrev: string,
  actualPrev: string,
  selfConsistent: boolean,
): Promise<AuditProblem> {
  const linkedTo = await db
    .selectFrom('exchange_access_log')
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
  return {
    seq: seq - 1,
    kind: 'changed',
    message: `entry ${seq - 1} was changed and re-hashed: entry ${seq} no longer links to it`,
  };
}
