import {
  type AuditProblem,
  ChainWalker,
  endAgainstHead,
  problemAtBreak,
  recomputedHash,
} from '../../platform/audit/index.ts';
import type { Db } from '../../platform/db.ts';
import { logBodyOf, sequenceAccessLog } from './log-chain.ts';

// Verifying the access log: walk the chain in sequence order recomputing every hash and link (the
// audit log's ChainWalker makes the checks), then compare its end with the head (the audit log's
// chain ending does). Trusts nothing the database computed; reports the first problem, since
// everything after it is untrustworthy anyway.

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
  if (broken)
    return {
      ok: false,
      verified: broken.verified,
      problem: await problemAtBreak(db, 'exchange_access_log', broken),
    };
  const last = walker.expected - 1;
  const ending = await endAgainstHead(db, 'exchange_log_head', { seq: last, hash: lastHash });
  if (ending) return { ok: false, ...ending };
  return { ok: true, verified: last };
}
