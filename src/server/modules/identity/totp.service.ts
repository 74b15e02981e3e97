import { randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { type Actor, requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { sha256Hex } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db.ts';
import type { Person } from '../../platform/db-schema.ts';
import { AppError, conflict, invalid } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { audit } from './identity.audit.ts';
import { lockedError, recordCredentialFailure } from './lockout.ts';
import { verifyPassword } from './password.ts';
import { claimTotpStep, lockPersonRow, updatePersonRow } from './people.repository.ts';
import { personNotFound } from './people.service.ts';

export const ISSUER = 'Civitas';
export const RECOVERY_CODE_COUNT = 10;
// One step (30 s) either side: clocks of phones drift, and a code typed at the end of its step arrives in the next.
const TOLERANCE_SECONDS = 30;
// Crockford-like alphabet without 0/O and 1/I/L, which people misread from paper.
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Credential management needs the person at the keyboard: an API token alone must not change the second factor. */
export function requireSession(actor: Actor | undefined): Actor {
  const a = requireActor(actor);
  if (a.via !== 'session') {
    throw new AppError(
      'auth.session_required',
      403,
      'Sign in with your password to manage credentials; API tokens cannot',
    );
  }
  return a;
}

/**
 * Checks a 6-digit code against the person's secret and spends its time step: a code, once accepted,
 * is refused for the rest of its window (also when two requests race with it).
 */
export async function checkTotpCode(
  ctx: AppContext,
  trx: Db,
  person: Pick<Person, 'id' | 'totp_secret_enc' | 'totp_last_step'>,
  code: string,
): Promise<boolean> {
  if (!person.totp_secret_enc) return false;
  const secret = ctx.cipher.decrypt(person.totp_secret_enc);
  const result = await verify({
    secret,
    token: code,
    epochTolerance: TOLERANCE_SECONDS,
    ...(person.totp_last_step !== null ? { afterTimeStep: Number(person.totp_last_step) } : {}),
  });
  if (!result.valid || !('timeStep' in result)) return false;
  return claimTotpStep(trx, person.id, result.timeStep);
}

const normalizeRecoveryCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
const hashRecoveryCode = (code: string) => sha256Hex(`civitas-recovery:${normalizeRecoveryCode(code)}`);

/** Spends a recovery code if it is one of the person's unused ones (the row must be locked by the caller). */
export async function consumeRecoveryCode(
  trx: Db,
  person: Pick<Person, 'id' | 'recovery_code_hashes'>,
  code: string,
): Promise<boolean> {
  const hash = hashRecoveryCode(code);
  const remaining = person.recovery_code_hashes.filter((h) => h !== hash);
  if (remaining.length === person.recovery_code_hashes.length) return false;
  await updatePersonRow(trx, person.id, { recovery_code_hashes: JSON.stringify(remaining) });
  return true;
}

/** Ten fresh codes like "K7QMX-3RTPW", returned once and stored only as hashes. */
function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(
      { length: 10 },
      () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
    ).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

async function lockedSelf(trx: Db, actor: Actor) {
  const person = await lockPersonRow(trx, actor.personId);
  if (!person) throw personNotFound();
  return person;
}

const invalidCode = () =>
  invalid('identity.invalid_totp_code', 'The code from the authenticator app is not right');

/** Starts enrolment: a new secret (kept encrypted, not yet active) and its QR code. */
export async function setupTotp(ctx: AppContext, actorIn: Actor | undefined, meta?: RequestMeta) {
  const actor = requireSession(actorIn);
  const secret = generateSecret();
  const otpauthUri = generateURI({ issuer: ISSUER, label: actor.username, secret });
  await ctx.db.transaction().execute(async (trx) => {
    const person = await lockedSelf(trx, actor);
    // Replacing the secret of an active factor would silently break the person's authenticator.
    if (person.totp_enabled)
      throw conflict('identity.totp_already_enabled', 'Two-step sign-in is already on');
    await updatePersonRow(trx, person.id, {
      totp_secret_enc: ctx.cipher.encrypt(secret),
      totp_last_step: null,
    });
    await audit(trx, actor, meta, {
      action: 'identity.totp_setup',
      target: { type: 'person', id: person.id },
    });
  });
  return {
    secret,
    otpauthUri,
    qrDataUrl: await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 1 }),
  };
}

/** Finishes enrolment with a first code from the app; returns the recovery codes (shown once). */
export async function enableTotp(
  ctx: AppContext,
  actorIn: Actor | undefined,
  code: string,
  meta?: RequestMeta,
) {
  const actor = requireSession(actorIn);
  return ctx.db.transaction().execute(async (trx) => {
    const person = await lockedSelf(trx, actor);
    if (person.totp_enabled)
      throw conflict('identity.totp_already_enabled', 'Two-step sign-in is already on');
    if (!person.totp_secret_enc) throw conflict('identity.totp_not_set_up', 'Start the set-up first');
    if (!(await checkTotpCode(ctx, trx, person, code))) throw invalidCode();
    const { codes, hashes } = newRecoveryCodes();
    await updatePersonRow(trx, person.id, {
      totp_enabled: true,
      recovery_code_hashes: JSON.stringify(hashes),
    });
    await audit(trx, actor, meta, {
      action: 'identity.totp_enable',
      target: { type: 'person', id: person.id },
    });
    return { recoveryCodes: codes };
  });
}

/**
 * Runs `change` after checking a second-factor code (and the password, when given). Wrong answers
 * count towards the lockout in a transaction of their own, which commits although the request fails.
 */
async function withVerifiedFactor<T>(
  ctx: AppContext,
  actor: Actor,
  proof: { code: string; password?: string },
  meta: RequestMeta | undefined,
  change: (trx: Db, person: Person) => Promise<T>,
): Promise<T> {
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const person = await lockedSelf(trx, actor);
    if (!person.totp_enabled) throw conflict('identity.totp_not_enabled', 'Two-step sign-in is off');
    const passwordOk =
      proof.password === undefined || (await verifyPassword(person.password_hash, proof.password));
    if (passwordOk && (await checkTotpCode(ctx, trx, person, proof.code))) {
      return { ok: true as const, value: await change(trx, person) };
    }
    const reason = passwordOk ? 'wrong_mfa_code' : 'wrong_current_password';
    const lockedUntil = await recordCredentialFailure(ctx, trx, person, reason, meta, {
      action: 'identity.reauth_failed',
      endSessions: true,
    });
    return { ok: false as const, passwordOk, lockedUntil };
  });
  if (outcome.ok) return outcome.value;
  if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil);
  if (!outcome.passwordOk) throw invalid('identity.wrong_password', 'The current password is not right');
  throw invalidCode();
}

/** Turns the second factor off (password and a current code required); recovery codes go with it. */
export async function disableTotp(
  ctx: AppContext,
  actorIn: Actor | undefined,
  input: { password: string; code: string },
  meta?: RequestMeta,
): Promise<void> {
  const actor = requireSession(actorIn);
  await withVerifiedFactor(ctx, actor, input, meta, async (trx, person) => {
    await updatePersonRow(trx, person.id, {
      totp_enabled: false,
      totp_secret_enc: null,
      totp_last_step: null,
      recovery_code_hashes: '[]',
    });
    await audit(trx, actor, meta, {
      action: 'identity.totp_disable',
      target: { type: 'person', id: person.id },
    });
  });
}

/** Replaces all recovery codes (a current code required); the old ones stop working. */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  actorIn: Actor | undefined,
  code: string,
  meta?: RequestMeta,
) {
  const actor = requireSession(actorIn);
  return withVerifiedFactor(ctx, actor, { code }, meta, async (trx, person) => {
    const { codes, hashes } = newRecoveryCodes();
    await updatePersonRow(trx, person.id, { recovery_code_hashes: JSON.stringify(hashes) });
    await audit(trx, actor, meta, {
      action: 'identity.recovery_codes_regenerate',
      target: { type: 'person', id: person.id },
    });
    return { recoveryCodes: codes };
  });
}
