import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { audit } from './identity.audit.ts';
import { incrementFailedLogins, updatePersonRow } from './people.repository.ts';
import { deleteSessionsExcept } from './session.repository.ts';

export type FailureReason = 'wrong_password' | 'wrong_mfa_code' | 'wrong_current_password';

export const lockedError = (lockedUntil: Date) =>
  new AppError('auth.locked', 423, 'Too many failed attempts; the account is locked for a while', {
    lockedUntil: lockedUntil.toISOString(),
  });

/** True while a lock set by too many failures is in force. */
export const isLocked = (lockedUntil: Date | null, now = new Date()) => !!lockedUntil && lockedUntil > now;

/**
 * Counts one failed credential check (password, second factor) against the person. At
 * config.loginMaxFailures the account locks for config.lockoutMinutes. Failures made inside a session
 * (re-entering the current password) also end every session, so a guesser holding a stolen session
 * cannot keep trying; failures at the sign-in form do not, or anyone could sign a person out by
 * guessing. Returns the lock's end when this failure set it. Run in a transaction that commits even
 * though the request fails.
 */
export async function recordCredentialFailure(
  ctx: AppContext,
  trx: Db,
  person: { id: string; username: string },
  reason: FailureReason,
  meta: RequestMeta | undefined,
  options: { action?: string; endSessions?: boolean } = {},
): Promise<Date | undefined> {
  const action = options.action ?? 'identity.login_failed';
  const failures = await incrementFailedLogins(trx, person.id);
  const actor = { id: person.id, label: person.username };
  await audit(trx, actor, meta, {
    action,
    target: { type: 'person', id: person.id },
    details: { reason, failures },
  });
  if (failures < ctx.config.loginMaxFailures) return undefined;
  const lockedUntil = new Date(Date.now() + ctx.config.lockoutMinutes * 60_000);
  await updatePersonRow(trx, person.id, { failed_logins: 0, locked_until: lockedUntil });
  if (options.endSessions) await deleteSessionsExcept(trx, person.id);
  await audit(trx, actor, meta, {
    action: 'identity.locked',
    target: { type: 'person', id: person.id },
    details: { failures, lockedUntil: lockedUntil.toISOString(), minutes: ctx.config.lockoutMinutes },
  });
  return lockedUntil;
}
