import type { Db } from '../../platform/db.ts';

// working_day_overrides: one row per day an admin decided, which always wins over the official calendar.

export interface OverrideRow {
  day: string;
  working: boolean;
  note: string;
}

/** The overrides between two days (inclusive), by day. */
export async function listOverrides(db: Db, fromDay: string, toDay: string): Promise<OverrideRow[]> {
  return db
    .selectFrom('working_day_overrides')
    .select(['day', 'working', 'note'])
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .execute();
}

/** One day's override, locked for the caller's transaction so before and after are exact. */
export async function findOverrideForUpdate(db: Db, day: string): Promise<OverrideRow | undefined> {
  return db
    .selectFrom('working_day_overrides')
    .select(['day', 'working', 'note'])
    .where('day', '=', day)
    .forUpdate()
    .executeTakeFirst();
}

/** Creates or replaces a day's override. */
export async function upsertOverride(db: Db, row: OverrideRow): Promise<void> {
  await db
    .insertInto('working_day_overrides')
    .values(row)
    .onConflict((oc) => oc.column('day').doUpdateSet({ working: row.working, note: row.note }))
    .execute();
}

/** Removes a day's override; true when there was one. */
export async function deleteOverride(db: Db, day: string): Promise<boolean> {
  const res = await db.deleteFrom('working_day_overrides').where('day', '=', day).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
