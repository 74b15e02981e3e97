import type { Db } from '../../platform/db.ts';
import type { DepartmentRole } from '../../platform/db-schema.ts';

/** A role assignment with the department fields views and policies need. */
export interface RoleRow {
  id: string;
  person_id: string;
  department_id: string;
  role: DepartmentRole;
  created_at: Date;
  code: string;
  name_zh: string;
  name_en: string;
  path: string;
  active: boolean;
}

const roleQuery = (db: Db) =>
  db
    .selectFrom('role_assignments as r')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .select([
      'r.id',
      'r.person_id',
      'r.department_id',
      'r.role',
      'r.created_at',
      'd.code',
      'd.name_zh',
      'd.name_en',
      'd.path',
      'd.active',
    ]);

/** Roles of the given people, ordered by department then role. */
export async function rolesOfPeople(db: Db, personIds: readonly string[]): Promise<RoleRow[]> {
  if (personIds.length === 0) return [];
  return roleQuery(db).where('r.person_id', 'in', personIds).orderBy('d.path').orderBy('r.role').execute();
}

export const findRole = (db: Db, id: string): Promise<RoleRow | undefined> =>
  roleQuery(db).where('r.id', '=', id).executeTakeFirst();

export async function findRoleByKey(db: Db, personId: string, departmentId: string, role: DepartmentRole) {
  return roleQuery(db)
    .where('r.person_id', '=', personId)
    .where('r.department_id', '=', departmentId)
    .where('r.role', '=', role)
    .executeTakeFirst();
}

export async function insertRole(
  db: Db,
  row: { id: string; personId: string; departmentId: string; role: DepartmentRole; grantedBy: string | null },
): Promise<void> {
  await db
    .insertInto('role_assignments')
    .values({
      id: row.id,
      person_id: row.personId,
      department_id: row.departmentId,
      role: row.role,
      granted_by: row.grantedBy,
    })
    .execute();
}

export async function deleteRole(db: Db, id: string): Promise<void> {
  await db.deleteFrom('role_assignments').where('id', '=', id).execute();
}
