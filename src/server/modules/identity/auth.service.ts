import type { Actor } from '../../platform/auth/actor.ts';
import { findPendingMfaSession } from '../../platform/auth/auth.repository.ts';
import { endSession, startSession } from '../../platform/auth/sessions.ts';
import type { AppContext } from '../../platform/context.ts';
import { sha256Hex } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { audit } from './identity.audit.ts';
import { isLocked, lockedError, recordCredentialFailure } from './lockout.ts';
import { burnPasswordCheck, verifyPassword } from './password.ts';
import { findPersonRowByUsername, lockPersonRow, updatePersonRow } from './people.repository.ts';
import { normalizeUsername } from './people.service.ts';
import { checkTotpCode, consumeRecoveryCode } from './totp.service.ts';

/** A new session: the cookie value goes to the browser once, the CSRF token with GET /api/me. */
export interface SessionGrant {
  cookieValue: string;
  csrfToken: string;
  expiresAt: Date;
}

// One message for unknown users and wrong passwords, so the form does not reveal who has an account.
const invalidCredentials = () => new AppError('auth.invalid_credentials', 401, 'Wrong username or password');
const disabledError = () =>
  new AppError('auth.disabled', 403, 'This account is disabled; contact an administrator');
// A counter released the account's ID number (its holder could not show the counter code while
// someone else showed the card); the holder is told so, and what to do, rather than a bare "disabled".
const releasedError = (releasedAt: Date | string) =>
  new AppError(
    'auth.identifier_released',
    403,
    'The ID number of this account was released at a service counter and the account disabled; if the number is yours, go to a counter with your ID card',
    { releasedAt: new Date(releasedAt).toISOString() },
  );
const invalidMfaCode = () =>
  new AppError('auth.invalid_mfa_code', 401, 'The code is not right or was already used');

/** Opens a session for a person in the caller's transaction. */
export function openSession(
  ctx: AppContext,
  trx: Db,
  personId: string,
  mfaPending: boolean,
  meta?: RequestMeta,
) {
  return startSession(ctx, trx, personId, {
    mfaPending,
    ip: meta?.ip ?? null,
    userAgent: meta?.userAgent ?? null,
  });
}

/**
 * Password sign-in with lockout. With a second factor on, the session it opens is only a pending one
 * that POST /api/auth/mfa exchanges for a real session.
 */
export async function login(
  ctx: AppContext,
  input: { username: string; password: string },
  meta?: RequestMeta,
  replacesCookie?: string,
): Promise<{ mfaRequired: boolean; session: SessionGrant }> {
  const username = normalizeUsername(input.username);
  const person = await findPersonRowByUsername(ctx.db, username);
  if (!person) {
    await burnPasswordCheck(input.password);
    await ctx.db.transaction().execute((trx) =>
      audit(trx, { id: null, label: 'anonymous' }, meta, {
        action: 'identity.login_failed',
        details: { reason: 'unknown_user', username: username.slice(0, 64) },
      }),
    );
    throw invalidCredentials();
  }
  if (isLocked(person.locked_until)) {
    await ctx.db.transaction().execute((trx) =>
      audit(trx, { id: person.id, label: person.username }, meta, {
        action: 'identity.login_failed',
        target: { type: 'person', id: person.id },
        details: { reason: 'locked' },
      }),
    );
    throw lockedError(person.locked_until!);
  }
  if (!(await verifyPassword(person.password_hash, input.password))) {
    const lockedUntil = await ctx.db
      .transaction()
      .execute((trx) => recordCredentialFailure(ctx, trx, person, 'wrong_password', meta));
    throw lockedUntil ? lockedError(lockedUntil) : invalidCredentials();
  }
  // Only after the password is right, so the disabled state is not revealed to guessers.
  if (person.status === 'disabled') {
    const released = person.identifier_released_at;
    await ctx.db.transaction().execute((trx) =>
      audit(trx, { id: person.id, label: person.username }, meta, {
        action: 'identity.login_failed',
        target: { type: 'person', id: person.id },
        details: { reason: released ? 'identifier_released' : 'disabled' },
      }),
    );
    throw released ? releasedError(released) : disabledError();
  }
  const mfaRequired = person.totp_enabled;
  return ctx.db.transaction().execute(async (trx) => {
    await updatePersonRow(trx, person.id, {
      failed_logins: 0,
      locked_until: null,
      ...(mfaRequired ? {} : { last_login_at: new Date() }),
    });
    // The browser's previous session (perhaps someone else's) ends; a session is never reused across sign-ins.
    if (replacesCookie) await endSession(trx, replacesCookie);
    const session = await openSession(ctx, trx, person.id, mfaRequired, meta);
    await audit(trx, { id: person.id, label: person.username }, meta, {
      action: mfaRequired ? 'identity.login_password_ok' : 'identity.login',
      target: { type: 'person', id: person.id },
      details: { method: 'password', mfaRequired },
    });
    return { mfaRequired, session };
  });
}

/** Signs a just-registered person in, replacing whatever session the browser had. */
export async function signInRegistered(
  ctx: AppContext,
  person: { id: string; username: string },
  meta?: RequestMeta,
  replacesCookie?: string,
): Promise<SessionGrant> {
  return ctx.db.transaction().execute(async (trx) => {
    if (replacesCookie) await endSession(trx, replacesCookie);
    await updatePersonRow(trx, person.id, { last_login_at: new Date() });
    const session = await openSession(ctx, trx, person.id, false, meta);
    await audit(trx, { id: person.id, label: person.username }, meta, {
      action: 'identity.login',
      target: { type: 'person', id: person.id },
      details: { method: 'registration' },
    });
    return session;
  });
}

/**
 * Second sign-in step: a TOTP code or a recovery code against the pending session from login(). On
 * success the pending session is replaced by a new one (a new id for the raised privilege).
 */
export async function completeMfa(
  ctx: AppContext,
  pendingCookie: string | undefined,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
  meta?: RequestMeta,
): Promise<SessionGrant> {
  if (!input.code && !input.recoveryCode) {
    throw invalid('auth.mfa_code_required', 'Enter the code from the authenticator app or a recovery code');
  }
  const pending = pendingCookie ? await findPendingMfaSession(ctx.db, sha256Hex(pendingCookie)) : undefined;
  if (!pending) throw new AppError('auth.mfa_not_pending', 401, 'Sign in with your password first');

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const person = await lockPersonRow(trx, pending.person_id);
    if (person?.status !== 'active' || !person.totp_enabled || isLocked(person.locked_until)) {
      await trx.deleteFrom('sessions').where('id', '=', pending.id).execute();
      return {
        ok: false as const,
        lockedUntil: person && isLocked(person.locked_until) ? person.locked_until! : undefined,
      };
    }
    const method = input.code ? 'totp' : 'recovery_code';
    const ok = input.code
      ? await checkTotpCode(ctx, trx, person, input.code)
      : await consumeRecoveryCode(trx, person, input.recoveryCode!);
    if (!ok) {
      const lockedUntil = await recordCredentialFailure(ctx, trx, person, 'wrong_mfa_code', meta, {
        action: 'identity.mfa_failed',
      });
      if (lockedUntil) await trx.deleteFrom('sessions').where('id', '=', pending.id).execute();
      return { ok: false as const, lockedUntil };
    }
    await trx.deleteFrom('sessions').where('id', '=', pending.id).execute();
    await updatePersonRow(trx, person.id, { failed_logins: 0, last_login_at: new Date() });
    const session = await openSession(ctx, trx, person.id, false, meta);
    await audit(trx, { id: person.id, label: person.username }, meta, {
      action: 'identity.login',
      target: { type: 'person', id: person.id },
      details: {
        method: `password+${method}`,
        ...(method === 'recovery_code' ? { recoveryCodesLeft: person.recovery_code_hashes.length - 1 } : {}),
      },
    });
    return { ok: true as const, session };
  });
  if (outcome.ok) return outcome.session;
  if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil);
  throw invalidMfaCode();
}

/** Ends the session behind the cookie (a pending one too); token callers have nothing to end. */
export async function logout(
  ctx: AppContext,
  actor: Actor | undefined,
  cookieValue: string | undefined,
  meta?: RequestMeta,
): Promise<void> {
  if (!cookieValue) return;
  await ctx.db.transaction().execute(async (trx) => {
    await endSession(trx, cookieValue);
    if (actor?.via === 'session') {
      await audit(trx, actor, meta, {
        action: 'identity.logout',
        target: { type: 'person', id: actor.personId },
      });
    }
  });
}
