import type { MeDto, UpdateMeInput } from '../../../contracts/identity.ts';
import { type Actor, requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { audit } from './identity.audit.ts';
import { toPersonDto } from './identity.presenter.ts';
import { lockedError, recordCredentialFailure } from './lockout.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './password.ts';
import { findPersonView, lockPersonRow, updatePersonRow } from './people.repository.ts';
import { personNotFound } from './people.service.ts';
import { rolesOfPeople } from './role.repository.ts';
import { deleteSessionsExcept } from './session.repository.ts';
import { requireSession } from './totp.service.ts';

/** True when the platform requires staff to enrol a second factor and this person has not. */
export const mfaEnrollmentRequired = (ctx: AppContext, person: { kind: string; totpEnabled: boolean }) =>
  ctx.config.requireStaffMfa && person.kind === 'staff' && !person.totpEnabled;

/** The signed-in person, their CSRF token (session callers) and what they still have to do. */
export async function getMe(ctx: AppContext, actorIn: Actor | undefined): Promise<MeDto> {
  const actor = requireActor(actorIn);
  return meOf(ctx, actor.personId, actor.via === 'session' ? (actor.csrfToken ?? null) : null, actor.via);
}

/** The MeDto of a session just opened (registration), before any request carries its cookie. */
export async function meOfNewSession(ctx: AppContext, personId: string, csrfToken: string): Promise<MeDto> {
  return meOf(ctx, personId, csrfToken, 'session');
}

// Two queries (person view, roles): this answers on every page load of the web app.
async function meOf(
  ctx: AppContext,
  personId: string,
  csrfToken: string | null,
  via: MeDto['via'],
): Promise<MeDto> {
  const view = await findPersonView(ctx.db, personId);
  if (!view) throw personNotFound();
  const person = toPersonDto(view, await rolesOfPeople(ctx.db, [personId]));
  return {
    person,
    csrfToken,
    via,
    mfaEnrollmentRequired: mfaEnrollmentRequired(ctx, person),
    locale: view.locale,
  };
}

/** Changes one's own display name, e-mail or language. */
export async function updateMe(
  ctx: AppContext,
  actorIn: Actor | undefined,
  input: UpdateMeInput,
  meta?: RequestMeta,
) {
  const actor = requireActor(actorIn);
  await ctx.db.transaction().execute(async (trx) => {
    await updatePersonRow(trx, actor.personId, {
      display_name: input.displayName?.trim(),
      email: input.email,
      locale: input.locale,
    });
    // A language switch is no security event; name and e-mail changes are.
    const changed = Object.keys(input).filter((k) => k !== 'locale');
    if (changed.length > 0) {
      await audit(trx, actor, meta, {
        action: 'identity.profile_update',
        target: { type: 'person', id: actor.personId },
        details: { fields: changed },
      });
    }
  });
  return getMe(ctx, actor);
}

/**
 * Changes one's password after re-entering the current one. Every other session ends, so a session
 * an attacker may hold does not outlive the change.
 */
export async function changePassword(
  ctx: AppContext,
  actorIn: Actor | undefined,
  input: { currentPassword: string; newPassword: string },
  meta?: RequestMeta,
): Promise<void> {
  const actor = requireSession(actorIn);
  assertStrongPassword(input.newPassword, actor.username);
  const newHash = await hashPassword(input.newPassword);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const person = await lockPersonRow(trx, actor.personId);
    if (!person) throw personNotFound();
    if (!(await verifyPassword(person.password_hash, input.currentPassword))) {
      const lockedUntil = await recordCredentialFailure(ctx, trx, person, 'wrong_current_password', meta, {
        action: 'identity.reauth_failed',
        endSessions: true,
      });
      return { ok: false as const, lockedUntil };
    }
    if (input.newPassword === input.currentPassword) {
      throw invalid('identity.password_unchanged', 'The new password must differ from the current one');
    }
    await updatePersonRow(trx, person.id, { password_hash: newHash, failed_logins: 0 });
    await deleteSessionsExcept(trx, person.id, actor.sessionId);
    await audit(trx, actor, meta, {
      action: 'identity.password_change',
      target: { type: 'person', id: person.id },
    });
    return { ok: true as const };
  });
  if (outcome.ok) return;
  if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil);
  throw invalid('identity.wrong_password', 'The current password is not right');
}
