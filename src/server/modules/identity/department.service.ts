import { randomUUID } from 'node:crypto';
import {
  CreateDepartmentBody,
  type CreateDepartmentInput,
  type DepartmentDto,
  UpdateDepartmentBody,
  type UpdateDepartmentInput,
} from '../../../contracts/identity.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { isUniqueViolation, type RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import {
  findDepartmentById,
  findDepartmentRowByCode,
  insertDepartment,
  listDepartments as listDepartmentRows,
  movePaths,
  updateDepartmentRow,
} from './department.repository.ts';
import { audit } from './identity.audit.ts';
import { canCreateDepartment, canSeeInactiveDepartments, canUpdateDepartment } from './identity.policy.ts';
import { toDepartmentDto } from './identity.presenter.ts';

const departmentNotFound = () => notFound('identity.department_not_found', 'Department');

/** All departments in tree order; inactive ones only for platform admins. Public. */
export async function listDepartments(ctx: AppContext, actor: Actor | undefined): Promise<DepartmentDto[]> {
  const rows = await listDepartmentRows(ctx.db, { includeInactive: canSeeInactiveDepartments(actor) });
  return rows.map(toDepartmentDto);
}

export async function getDepartment(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
): Promise<DepartmentDto> {
  const row = await findDepartmentById(ctx.db, id);
  if (!row || (!row.active && !canSeeInactiveDepartments(actor))) throw departmentNotFound();
  return toDepartmentDto(row);
}

/** Looks a department up by its code (demo loader, CLI, imports). */
export async function findDepartmentByCode(
  ctx: AppContext,
  code: string,
): Promise<DepartmentDto | undefined> {
  const row = await findDepartmentRowByCode(ctx.db, code);
  return row && toDepartmentDto(row);
}

/** Creates a department under an optional parent (platform admins only). */
export async function createDepartment(
  ctx: AppContext,
  actor: Actor,
  input: CreateDepartmentInput,
  meta?: RequestMeta,
): Promise<DepartmentDto> {
  authorize(actor, canCreateDepartment);
  assertValid(CreateDepartmentBody, input);
  const id = randomUUID();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      let path = id;
      if (input.parentId) {
        const parent = await findDepartmentById(trx, input.parentId);
        if (!parent) throw invalid('identity.invalid_parent', 'The parent department does not exist');
        path = `${parent.path}/${id}`;
      }
      const row = await insertDepartment(trx, {
        id,
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        parent_id: input.parentId ?? null,
        path,
        region_code: input.regionCode ?? null,
      });
      await audit(trx, actor, meta, {
        action: 'identity.department.create',
        target: { type: 'department', id },
        departmentId: id,
        details: {
          code: input.code,
          nameZh: input.nameZh,
          nameEn: input.nameEn,
          parentId: input.parentId ?? null,
        },
      });
      return toDepartmentDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw conflict('identity.department_code_taken', 'A department with this code exists', {
        code: input.code,
      });
    }
    throw err;
  }
}

/**
 * Renames, re-parents or (de)activates a department. A move rewrites the paths of the whole subtree
 * in the same transaction, so scope checks never see a half-moved tree.
 */
export async function updateDepartment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  changes: UpdateDepartmentInput,
  meta?: RequestMeta,
): Promise<DepartmentDto> {
  assertValid(UpdateDepartmentBody, changes);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('departments')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw departmentNotFound();
    if (!canUpdateDepartment(actor, current.path, changes)) throw forbidden();

    let path = current.path;
    if (changes.parentId !== undefined && changes.parentId !== current.parent_id) {
      let parentPath = '';
      if (changes.parentId !== null) {
        const parent = await findDepartmentById(trx, changes.parentId);
        if (!parent) throw invalid('identity.invalid_parent', 'The parent department does not exist');
        if (parent.path.split('/').includes(id)) {
          throw invalid(
            'identity.invalid_parent',
            'A department cannot move under itself or its own sub-department',
          );
        }
        parentPath = `${parent.path}/`;
      }
      path = `${parentPath}${id}`;
      await movePaths(trx, current.path, path);
    }
    const row = await updateDepartmentRow(trx, id, {
      name_zh: changes.nameZh,
      name_en: changes.nameEn,
      region_code: changes.regionCode,
      active: changes.active,
      parent_id: changes.parentId,
    });
    await audit(trx, actor, meta, {
      action: 'identity.department.update',
      target: { type: 'department', id },
      departmentId: id,
      details: { changes, ...(path !== current.path ? { movedFrom: current.parent_id } : {}) },
    });
    return toDepartmentDto(row);
  });
}
