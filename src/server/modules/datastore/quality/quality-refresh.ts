import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import type { Tick } from '../../../platform/jobs/index.ts';
import { refreshQuality } from './quality.service.ts';

// Timeliness and "update cycle kept" change with the calendar, not only with loads: quality computed
// more than a day ago is computed again, a few tables at a time, by every node's hourly tick (two
// nodes refreshing one table at once do the same work twice, harmlessly).

const STALE_HOURS = 24;
const PER_TICK = 20;

/** Recomputes the quality of tables whose figures are older than `staleHours`; returns how many. */
export async function refreshStaleQuality(
  ctx: AppContext,
  staleHours = STALE_HOURS,
  limit = PER_TICK,
): Promise<number> {
  const stale = await sql<{ distribution_id: string }>`
    select distribution_id from datastore_tables
    where current_version is not null
      and (quality is null or (quality->>'computedAt')::timestamptz < now() - make_interval(hours => ${staleHours}))
    order by (quality->>'computedAt') nulls first
    limit ${limit}`.execute(ctx.db);
  let refreshed = 0;
  for (const { distribution_id } of stale.rows) {
    // A failure is stored with the table's quality; the others still get their turn.
    await refreshQuality(ctx, distribution_id).then(
      () => refreshed++,
      () => {},
    );
  }
  return refreshed;
}

export const qualityRefreshTick: Tick = {
  name: 'datastore.quality.refresh',
  everyMs: 60 * 60 * 1000,
  run: (ctx) => refreshStaleQuality(ctx),
};
