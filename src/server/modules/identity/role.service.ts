import { randomUUID } from 'node:crypto';
import {
  AssignRoleBody,
  type DepartmentRoleName,
  type RoleAssignmentDto,
} from '../../../contracts/identity.ts';
import { type Actor, isSystemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { isUniqueViolation, type RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { findDepartmentById } from './department.repository.ts';
import { audit } from './identity.audit.ts';
import { canManageRole } from './identity.policy.ts';
import { toRoleDto } from './identity.presenter.ts';
import { findPersonView } from './people.repository.ts';
import { personNotFound } from './people.service.ts';
import { deleteRole, findRole, findRoleByKey, insertRole } from './role.repository.ts';

const roleExists = () =>
  conflict('identity.role_exists', 'The person already holds this role in this department');

/** Grants a department role to a staff member (platform admins; department admins within their subtree). */
export async function assignRole(
  ctx: AppContext,
  actor: Actor,
  input: { personId: string; departmentId: string; role: DepartmentRoleName },
  meta?: RequestMeta,
): Promise<RoleAssignmentDto> {
  assertValid(AssignRoleBody, input);
  const id = randomUUID();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const dept = await findDepartmentById(trx, input.departmentId);
      if (!dept) throw notFound('identity.department_not_found', 'Department');
      if (!canManageRole(actor, dept.path, input.role)) throw forbidden();
      if (!dept.active) throw invalid('identity.department_inactive', 'The department is no longer active');
      const person = await findPersonView(trx, input.personId);
      if (!person) throw personNotFound();
      // Department roles open the console and personal data; citizens and business users never hold them.
      if (person.kind !== 'staff')
        throw invalid('identity.not_staff', 'Only staff accounts can hold department roles');
      if (await findRoleByKey(trx, input.personId, input.departmentId, input.role)) throw roleExists();
      await insertRole(trx, {
        id,
        personId: input.personId,
        departmentId: input.departmentId,
        role: input.role,
        grantedBy: isSystemActor(actor) ? null : actor.personId,
      });
      await audit(trx, actor, meta, {
        action: 'identity.role.assign',
        target: { type: 'person', id: input.personId },
        departmentId: dept.id,
        details: { role: input.role, assignmentId: id, username: person.username },
      });
      const row = await findRole(trx, id);
      if (!row) throw new Error('role assignment vanished inside its own transaction');
      return toRoleDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw roleExists();
    throw err;
  }
}

/** Removes a role assignment under the same rule as granting it. */
export async function revokeRole(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta?: RequestMeta,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findRole(trx, id);
    if (!row) throw notFound('identity.role_not_found', 'Role assignment');
    if (!canManageRole(actor, row.path, row.role)) throw forbidden();
    await deleteRole(trx, id);
    await audit(trx, actor, meta, {
      action: 'identity.role.revoke',
      target: { type: 'person', id: row.person_id },
      departmentId: row.department_id,
      details: { role: row.role, assignmentId: id },
    });
  });
}
