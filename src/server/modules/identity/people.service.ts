import { randomUUID } from 'node:crypto';
import { CreateStaffBody, type CreateStaffInput, type PersonDto } from '../../../contracts/identity.ts';
import { type Actor, authorize, isSystemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { isUniqueViolation, type RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { findDepartmentById } from './department.repository.ts';
import { audit } from './identity.audit.ts';
import {
  adminRootsOf,
  canCreateStaffIn,
  canGrantPlatformAdmin,
  canListPeople,
  canManageRole,
  canViewPerson,
  type PersonScope,
} from './identity.policy.ts';
import { toPersonDto } from './identity.presenter.ts';
import { assertStrongPassword, hashPassword } from './password.ts';
import {
  findPersonView,
  findPersonViewByUsername,
  insertPerson,
  listPeopleRows,
  type PersonView,
  usernameExists,
} from './people.repository.ts';
import { insertRole, type RoleRow, rolesOfPeople } from './role.repository.ts';

export const personNotFound = () => notFound('identity.person_not_found', 'Person');

/** Usernames are case-insensitive: stored and looked up in lower case, so "Wang" and "wang" are one account. */
export const normalizeUsername = (username: string) => username.trim().toLowerCase();

export const usernameTaken = () => conflict('identity.username_taken', 'This username is taken');

/** A person with their roles, as views show them. */
export async function loadPersonDto(db: Db, id: string): Promise<PersonDto | undefined> {
  const person = await findPersonView(db, id);
  if (!person) return undefined;
  return toPersonDto(person, await rolesOfPeople(db, [id]));
}

/** What policies need to know about a person: kind, admin flag and where their roles are. */
export async function loadPersonScope(
  db: Db,
  id: string,
): Promise<(PersonScope & { view: PersonView; roles: RoleRow[] }) | undefined> {
  const view = await findPersonView(db, id);
  if (!view) return undefined;
  const roles = await rolesOfPeople(db, [id]);
  return {
    id,
    kind: view.kind,
    isPlatformAdmin: view.is_platform_admin,
    rolePaths: roles.map((r) => r.path),
    view,
    roles,
  };
}

export async function findPersonByUsername(
  ctx: AppContext,
  username: string,
): Promise<PersonDto | undefined> {
  const view = await findPersonViewByUsername(ctx.db, normalizeUsername(username));
  return view && toPersonDto(view, await rolesOfPeople(ctx.db, [view.id]));
}

export interface ListPeopleInput {
  q?: string | undefined;
  kind?: PersonDto['kind'] | undefined;
  departmentId?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Platform admins list everyone; department admins the staff holding roles within their subtrees. */
export async function listPeople(ctx: AppContext, actor: Actor, input: ListPeopleInput) {
  authorize(actor, canListPeople);
  const { rows, total } = await listPeopleRows(ctx.db, {
    q: input.q?.trim() || undefined,
    kind: input.kind,
    departmentId: input.departmentId,
    withinSubtreesOf: actor.isPlatformAdmin ? undefined : adminRootsOf(actor),
    limit: input.limit ?? 50,
    offset: input.offset ?? 0,
  });
  const roles = await rolesOfPeople(
    ctx.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toPersonDto(r, roles)), total };
}

export async function getPerson(ctx: AppContext, actor: Actor, id: string): Promise<PersonDto> {
  const scope = await loadPersonScope(ctx.db, id);
  if (!scope) throw personNotFound();
  if (!canViewPerson(actor, scope)) throw forbidden();
  return toPersonDto(scope.view, scope.roles);
}

/** Creates a staff account with roles in one department; platform admins may also make platform admins. */
export async function createStaff(
  ctx: AppContext,
  actor: Actor,
  input: CreateStaffInput & { isPlatformAdmin?: boolean },
  meta?: RequestMeta,
): Promise<PersonDto> {
  const { isPlatformAdmin: _, ...body } = input;
  assertValid(CreateStaffBody, body);
  const username = normalizeUsername(input.username);
  assertStrongPassword(input.password, username);
  if (input.isPlatformAdmin && !canGrantPlatformAdmin(actor)) throw forbidden();
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const dept = await findDepartmentById(trx, input.departmentId);
      if (!dept) throw notFound('identity.department_not_found', 'Department');
      if (!canCreateStaffIn(actor, dept.path)) throw forbidden();
      // The roles handed out with the account follow the same rule as granting them later (no auditors by dept admins).
      if (!input.roles.every((role) => canManageRole(actor, dept.path, role))) throw forbidden();
      if (!dept.active) throw invalid('identity.department_inactive', 'The department is no longer active');
      if (await usernameExists(trx, username)) throw usernameTaken();
      await insertPerson(trx, {
        id,
        username,
        kind: 'staff',
        display_name: input.displayName,
        email: input.email ?? null,
        password_hash: passwordHash,
        is_platform_admin: input.isPlatformAdmin ?? false,
      });
      const grantedBy = isSystemActor(actor) ? null : actor.personId;
      for (const role of new Set(input.roles)) {
        await insertRole(trx, { id: randomUUID(), personId: id, departmentId: dept.id, role, grantedBy });
      }
      await audit(trx, actor, meta, {
        action: 'identity.person.create',
        target: { type: 'person', id },
        departmentId: dept.id,
        details: {
          username,
          kind: 'staff',
          roles: [...new Set(input.roles)],
          isPlatformAdmin: input.isPlatformAdmin ?? false,
        },
      });
      const dto = await loadPersonDto(trx, id);
      if (!dto) throw new Error('person vanished inside its own transaction');
      return dto;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw usernameTaken();
    throw err;
  }
}
