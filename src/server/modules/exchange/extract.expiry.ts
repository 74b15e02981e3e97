import { type Actor, systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { Tick } from '../../platform/jobs/index.ts';

// File extracts hold personal data, so they are not kept for ever: a ready extract can be downloaded
// for CIVITAS_EXCHANGE_EXTRACT_DAYS after it was written (and never while its grant is stopped, which
// downloads check on their own). A tick marks extracts past that time, and every extract of a revoked
// grant, as expired, deletes their files and subject files, and audits each one.

const DAY_MS = 86_400_000;
/** Extracts read per query; the tick reads again until fewer are due. */
const BATCH = 200;

/** When a finished extract stops being downloadable, or null while it is not finished. */
export function extractExpiresAt(finishedAt: Date | null, days: number): Date | null {
  return finishedAt ? new Date(finishedAt.getTime() + days * DAY_MS) : null;
}

/** True when a ready extract's time has run out as of `now` (the tick may not have run yet). */
export const extractTimeIsUp = (finishedAt: Date | null, days: number, now = new Date()) =>
  finishedAt !== null && finishedAt.getTime() + days * DAY_MS <= now.getTime();

type Reason = 'time' | 'grant_revoked';

const due = (db: Db, cutoff: Date) =>
  db
    .selectFrom('exchange_extracts as e')
    .innerJoin('exchange_grants as g', 'g.id', 'e.grant_id')
    .select([
      'e.id',
      'e.grant_id',
      'e.finished_at',
      'e.storage_key',
      'e.subjects_key',
      'e.row_count',
      'e.checksum',
      'g.grantee_department_id',
    ])
    .where('e.state', '=', 'ready')
    .where((w) => w.or([w('e.finished_at', '<=', cutoff), w('g.state', '=', 'revoked')]))
    .orderBy('e.finished_at')
    .limit(BATCH)
    .execute();

/** Expires what is due as of `now`; returns how many extracts it expired. */
export async function expireExtracts(ctx: AppContext, now = new Date()): Promise<{ expired: number }> {
  const actor = systemActor('exchange-extracts');
  const cutoff = new Date(now.getTime() - ctx.config.exchangeExtractDays * DAY_MS);
  let expired = 0;
  for (;;) {
    const batch = await due(ctx.db, cutoff);
    for (const e of batch) expired += await expireOne(ctx, actor, e, cutoff);
    if (batch.length < BATCH) return { expired };
  }
}

async function expireOne(
  ctx: AppContext,
  actor: Actor,
  e: Awaited<ReturnType<typeof due>>[number],
  cutoff: Date,
): Promise<number> {
  const reason: Reason =
    e.finished_at && e.finished_at.getTime() <= cutoff.getTime() ? 'time' : 'grant_revoked';
  return ctx.db.transaction().execute(async (trx) => {
    // Only a row still ready: another node's tick may have taken it meanwhile. A ready row's keys
    // never change, so those read above are the ones to remove.
    const taken = await trx
      .updateTable('exchange_extracts')
      .set({ state: 'expired', storage_key: null, subjects_key: null })
      .where('id', '=', e.id)
      .where('state', '=', 'ready')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return 0;
    await auditAction(trx, actor, undefined, {
      action: 'exchange.extract.expire',
      target: { type: 'exchange_extract', id: e.id },
      departmentId: e.grantee_department_id,
      details: {
        grantId: e.grant_id,
        reason,
        finishedAt: e.finished_at ? e.finished_at.toISOString() : null,
        rows: e.row_count,
        checksum: e.checksum,
      },
    });
    // Removed last, before the commit: should a removal fail, the row stays ready and the next tick
    // tries again (removing a file already gone is no error).
    for (const key of [e.storage_key, e.subjects_key]) if (key) await ctx.files.remove(key);
    return 1;
  });
}

/** Hourly on every node: at most an hour late, and the download itself refuses an extract past its time. */
export const extractExpiryTick: Tick = {
  name: 'exchange.extracts.expire',
  everyMs: 60 * 60 * 1000,
  run: (ctx) => expireExtracts(ctx),
};
