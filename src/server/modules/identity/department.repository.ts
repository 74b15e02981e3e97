import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { Database, Department, NewDepartment } from '../../platform/db-schema.ts';

export async function listDepartments(db: Db, options: { includeInactive: boolean }): Promise<Department[]> {
  let q = db.selectFrom('departments').selectAll();
  if (!options.includeInactive) q = q.where('active', '=', true);
  return q.orderBy('path').execute();
}

export const findDepartmentById = (db: Db, id: string) =>
  db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();

export const findDepartmentRowByCode = (db: Db, code: string) =>
  db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();

export async function insertDepartment(db: Db, row: NewDepartment): Promise<Department> {
  return db.insertInto('departments').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateDepartmentRow(
  db: Db,
  id: string,
  changes: Partial<Pick<Department, 'name_zh' | 'name_en' | 'region_code' | 'active' | 'parent_id'>>,
): Promise<Department> {
  return db
    .updateTable('departments')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Rewrites the paths of a department and all of its descendants after a move. */
export async function movePaths(db: Db, oldPath: string, newPath: string): Promise<void> {
  await db
    .updateTable('departments')
    .set({ path: sql`${newPath} || substr(path, ${oldPath.length + 1})` })
    .where((eb) => eb.or([eb('path', '=', oldPath), eb('path', 'like', `${oldPath}/%`)]))
    .execute();
}

export type { Database };
