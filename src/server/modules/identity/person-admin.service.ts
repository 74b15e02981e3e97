import type { Static } from 'typebox';
import type { PersonDto, UpdatePersonBody } from '../../../contracts/identity.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { forbidden, invalid } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { audit } from './identity.audit.ts';
import { canManagePerson } from './identity.policy.ts';
import { assertStrongPassword, hashPassword } from './password.ts';
import { updatePersonRow } from './people.repository.ts';
import { loadPersonDto, loadPersonScope, personNotFound } from './people.service.ts';
import type { RoleRow } from './role.repository.ts';
import { deleteSessionsExcept } from './session.repository.ts';

export type UpdatePersonInput = Static<typeof UpdatePersonBody>;

/** The department an entry about this person belongs to, so that department's auditors see it. */
function departmentOf(actor: Actor, roles: readonly RoleRow[]): string | null {
  const admined = new Set(actor.roles.filter((r) => r.role === 'dept_admin').map((r) => r.departmentId));
  const inScope = roles.find((r) => r.path.split('/').some((id) => admined.has(id)));
  return (inScope ?? roles[0])?.department_id ?? null;
}

/** Loads the person and checks the actor may manage them, inside the caller's transaction. */
export async function managedPerson(trx: Db, actor: Actor, id: string) {
  const scope = await loadPersonScope(trx, id);
  if (!scope) throw personNotFound();
  if (!canManagePerson(actor, scope)) throw forbidden();
  return { ...scope, departmentId: departmentOf(actor, scope.roles) };
}

/** Changes a person's name, e-mail or status; disabling ends their sessions at once. */
export async function updatePerson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdatePersonInput,
  meta?: RequestMeta,
): Promise<PersonDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const person = await managedPerson(trx, actor, id);
    if (input.status === 'disabled' && id === actor.personId) {
      throw invalid('identity.cannot_disable_self', 'You cannot disable your own account');
    }
    await updatePersonRow(trx, id, {
      display_name: input.displayName?.trim(),
      email: input.email,
      status: input.status,
    });
    if (input.status === 'disabled' && person.view.status !== 'disabled') await deleteSessionsExcept(trx, id);
    await audit(trx, actor, meta, {
      action: 'identity.person.update',
      target: { type: 'person', id },
      departmentId: person.departmentId,
      details: { fields: Object.keys(input), ...(input.status ? { status: input.status } : {}) },
    });
    const dto = await loadPersonDto(trx, id);
    if (!dto) throw personNotFound();
    return dto;
  });
}

/** Lifts a lockout and clears the failure count. */
export async function unlockPerson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta?: RequestMeta,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const person = await managedPerson(trx, actor, id);
    await updatePersonRow(trx, id, { failed_logins: 0, locked_until: null });
    await audit(trx, actor, meta, {
      action: 'identity.person.unlock',
      target: { type: 'person', id },
      departmentId: person.departmentId,
    });
  });
}

/** Sets a new password for someone who lost theirs; all their sessions end. */
export async function resetPassword(
  ctx: AppContext,
  actor: Actor,
  id: string,
  password: string,
  meta?: RequestMeta,
): Promise<void> {
  // Checked before spending a password hash, and again in the transaction: roles may change meanwhile.
  const target = await managedPerson(ctx.db, actor, id);
  assertStrongPassword(password, target.view.username);
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    const person = await managedPerson(trx, actor, id);
    await updatePersonRow(trx, id, { password_hash: passwordHash, failed_logins: 0, locked_until: null });
    await deleteSessionsExcept(trx, id);
    await audit(trx, actor, meta, {
      action: 'identity.person.password_reset',
      target: { type: 'person', id },
      departmentId: person.departmentId,
    });
  });
}
