import type { Db } from '../../platform/db.ts';

/** Ends a person's sessions, except the one given (the session that made the change stays signed in). */
export async function deleteSessionsExcept(
  db: Db,
  personId: string,
  keepSessionId?: string,
): Promise<number> {
  let q = db.deleteFrom('sessions').where('person_id', '=', personId);
  if (keepSessionId) q = q.where('id', '!=', keepSessionId);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}
