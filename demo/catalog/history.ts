import { sql } from 'kysely';
import type { UpdateCycle } from '../../src/contracts/catalog.ts';
import type { Db } from '../../src/server/platform/db.ts';
import { type DemoRow, statusOf } from './define.ts';
import { Rng } from './pools.ts';

// Demo history. The loader creates every resource "now"; a catalog whose resources were all
// published in the same second shows nothing under "newest" and "most used". So, for the resources a
// load has just created, this backdates creation, publication and last update over the past two
// years — coherently with each resource's update cycle, making the rows marked `overdue` overdue and
// the others fresh — and gives them download counts. It touches only catalog tables; the audit log
// keeps the true time of loading.

const CYCLE_DAYS: Record<UpdateCycle, number | null> = {
  realtime: 1,
  daily: 1,
  weekly: 7,
  monthly: 30,
  quarterly: 91,
  half_yearly: 182,
  yearly: 365,
  irregular: null,
};

/** Whether a draft went to review once and came back with a note, as drafts do. */
export const wasSentBack = (row: DemoRow) =>
  statusOf(row) === 'draft' && new Rng(`${row.name}#review`).next() < 0.5;

/** When things happened to one resource, in days before now. */
export interface Timeline {
  name: string;
  createdAgo: number;
  publishedAgo: number | null;
  /** Last content change: freshness is measured from here. */
  lastAgo: number;
  modifiedAgo: number;
}

/** A deterministic past for a demo resource (relative to the time of loading). */
export function timelineOf(row: DemoRow): Timeline {
  const r = new Rng(`${row.name}#history`);
  const status = statusOf(row);
  if (status === 'draft' || status === 'submitted') {
    const createdAgo = r.int(2, status === 'draft' ? 120 : 45) + r.next();
    // Submitted, or sent back by the reviewer, some days after it was created.
    const moved = status === 'submitted' || wasSentBack(row);
    const modifiedAgo = moved ? createdAgo * (0.1 + r.next() * 0.6) : createdAgo;
    return { name: row.name, createdAgo, publishedAgo: null, lastAgo: createdAgo, modifiedAgo };
  }
  // Skewed towards recent: a catalog grows, and "newest" should show this month's arrivals.
  let publishedAgo = 2 + 718 * r.next() ** 1.4;
  const cycle = CYCLE_DAYS[row.cycle];
  let lastAgo: number;
  if (row.overdue && cycle) {
    lastAgo = cycle * (1.15 + r.next()) + 2;
    publishedAgo = Math.max(publishedAgo, lastAgo + r.int(0, 90));
  } else if (cycle === 1) lastAgo = r.next() * 0.25;
  else if (cycle) lastAgo = Math.min(publishedAgo, r.next() * cycle * 0.8);
  else lastAgo = r.next() * publishedAgo;
  const createdAgo = publishedAgo + r.int(2, 30) + r.next();
  const modifiedAgo = status === 'withdrawn' ? lastAgo * r.next() : lastAgo;
  return { name: row.name, createdAgo, publishedAgo, lastAgo, modifiedAgo };
}

/** Demo download count of one distribution: popular, open and long-published resources are used more. */
export function downloadsOf(row: DemoRow, t: Timeline, distributionIndex: number): number {
  if (t.publishedAgo === null) return 0;
  const r = new Rng(`${row.name}#downloads#${distributionIndex}`);
  const hits = row.hits ?? (row.access === 'open' ? r.int(1, 4) : r.int(0, 2));
  const age = Math.min(1, (t.publishedAgo + 30) / 365);
  const share = distributionIndex === 0 ? 1 : 0.35;
  return Math.round(10 ** (0.8 + hits * 0.38) * (0.6 + r.next() * 0.8) * age * share);
}

const ago = (days: number | null) =>
  days === null ? sql`null::timestamptz` : sql`now() - make_interval(secs => ${Math.round(days * 86_400)})`;

/**
 * Writes the timelines and download counts of freshly created resources: one update of the
 * resources, one of their versions (each step dated where the timeline puts it), one of their
 * distributions. Runs in one transaction.
 */
export async function applyHistory(
  db: Db,
  timelines: readonly Timeline[],
  downloads: readonly { id: string; count: number }[],
): Promise<void> {
  if (timelines.length === 0) return;
  const rows = sql.join(
    timelines.map(
      (t) =>
        sql`(${t.name}, ${ago(t.createdAgo)}, ${ago(t.publishedAgo)}, ${ago(t.lastAgo)}, ${ago(t.modifiedAgo)})`,
    ),
  );
  const names = sql.join(timelines.map((t) => t.name));
  await db.transaction().execute(async (trx) => {
    await sql`
      update catalog_datasets d set created_at = h.created_at, published_at = h.published_at,
        last_version_at = h.last_version_at, modified_at = h.modified_at
      from (values ${rows}) as h(name, created_at, published_at, last_version_at, modified_at)
      where d.name = h.name`.execute(trx);
    await sql`
      update catalog_versions v set at = case v.change
          when 'created' then d.created_at
          when 'submitted' then case when d.status = 'submitted' then d.modified_at
            else d.created_at + (coalesce(d.published_at, d.modified_at) - d.created_at) * 0.8 end
          when 'published' then d.published_at
          when 'rejected' then d.modified_at
          when 'withdrawn' then d.modified_at
          else d.last_version_at end
      from catalog_datasets d
      where d.id = v.dataset_id and d.name in (${names})`.execute(trx);
    await sql`
      update catalog_distributions x set created_at = d.last_version_at, updated_at = d.last_version_at
      from catalog_datasets d where d.id = x.dataset_id and d.name in (${names})`.execute(trx);
    if (downloads.length > 0) {
      const counts = sql.join(downloads.map((d) => sql`(${d.id}::uuid, ${d.count}::bigint)`));
      await sql`
        update catalog_distributions x set download_count = c.n
        from (values ${counts}) as c(id, n) where x.id = c.id`.execute(trx);
    }
    await sql`
      update catalog_datasets d set download_count = coalesce(
        (select sum(x.download_count) from catalog_distributions x where x.dataset_id = d.id), 0)
      where d.name in (${names})`.execute(trx);
  });
}
