import { randomInt } from 'node:crypto';
import type { CounterCodeDto } from '../../../contracts/identity.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { safeEqual } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db.ts';
import { type AppError, conflict, forbidden, invalid } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { clearCounterCode, countCounterCodeFailure, setCounterCode } from './counter.repository.ts';
import { audit } from './identity.audit.ts';
import { lockPersonRow } from './people.repository.ts';
import { personNotFound } from './people.service.ts';
import { requireSession } from './totp.service.ts';

// Proof of account control at the counter. The clerk checks the card of the person in front of them;
// the card proves who that person is, not that the account found by its number is theirs. Someone
// who registered first with another person's number (a squatter) holds that account, and verifying
// it would hand them the real holder's "My data". So the holder, signed in, makes a one-time code on
// their account page and shows it with the card; verifying needs both.
//
// The code: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 40 bits; valid
// 15 minutes; one per account, a new one replaces the old; stored only as a keyed hash (HMAC with
// the blind-index key, salted with the account id) with its expiry. Each wrong code counts; the
// fifth voids it, so a code cannot be guessed at the counter (5 tries in 31^8).

export const COUNTER_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const COUNTER_CODE_LENGTH = 8;
export const COUNTER_CODE_TTL_MINUTES = 15;
export const COUNTER_CODE_MAX_FAILURES = 5;

/** A fresh code, shown as two groups of four (ABCD-EFGH) for reading aloud and typing. */
function newCode(): string {
  let code = '';
  for (let i = 0; i < COUNTER_CODE_LENGTH; i += 1)
    code += COUNTER_CODE_ALPHABET[randomInt(COUNTER_CODE_ALPHABET.length)];
  return code;
}

/** What was typed, as stored: upper case, without spaces or hyphens. */
export const normalizeCounterCode = (typed: string) => typed.replace(/[\s-]+/g, '').toUpperCase();

const hashCode = (ctx: AppContext, personId: string, code: string) =>
  ctx.cipher.blindIndex('counter_code', `${personId}:${normalizeCounterCode(code)}`);

const display = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * Makes a new counter code for the signed-in citizen or business user, replacing any earlier one.
 * A browser session is needed (an API token cannot), like every other credential; 409 once verified.
 */
export async function issueCounterCode(
  ctx: AppContext,
  actorIn: Actor | undefined,
  meta?: RequestMeta,
): Promise<CounterCodeDto> {
  const actor = requireSession(actorIn);
  if (actor.kind === 'staff') {
    throw forbidden('Counter codes are for resident and business accounts');
  }
  const code = newCode();
  const expiresAt = new Date(Date.now() + COUNTER_CODE_TTL_MINUTES * 60_000);
  await ctx.db.transaction().execute(async (trx) => {
    const person = await lockPersonRow(trx, actor.personId);
    if (!person) throw personNotFound();
    if (person.identity_verified_at) {
      throw conflict('identity.already_verified', 'This account’s identity is already verified');
    }
    const replaced = !!person.counter_code_hash;
    await setCounterCode(trx, person.id, hashCode(ctx, person.id, code), expiresAt);
    await audit(trx, actor, meta, {
      action: 'identity.counter_code_create',
      target: { type: 'person', id: person.id },
      details: { expiresAt: expiresAt.toISOString(), replaced },
    });
  });
  return { code: display(code), expiresAt: expiresAt.toISOString() };
}

/** Why a code was refused (recorded in the audit entry). */
export type CodeRefusal =
  | { reason: 'missing' }
  | { reason: 'none' }
  | { reason: 'wrong'; attemptsLeft: number };

/** The account's code state, as read from its locked row. */
export interface CodeState {
  id: string;
  counter_code_hash: string | null;
  counter_code_expires_at: Date | string | null;
}

/**
 * Checks the code typed at the counter against the account's (row locked by the caller). On a match
 * the code is used up; a wrong code counts, and the last allowed wrong try voids it. Returns the
 * refusal, if any, for the caller to audit and commit before answering.
 */
export async function checkCounterCode(
  ctx: AppContext,
  trx: Db,
  row: CodeState,
  typed: string | undefined,
): Promise<CodeRefusal | null> {
  const code = normalizeCounterCode(typed ?? '');
  if (!code) return { reason: 'missing' };
  const expires = row.counter_code_expires_at ? new Date(row.counter_code_expires_at) : null;
  if (!row.counter_code_hash || !expires || expires <= new Date()) return { reason: 'none' };
  if (safeEqual(hashCode(ctx, row.id, code), row.counter_code_hash)) {
    await clearCounterCode(trx, row.id);
    return null;
  }
  const failures = await countCounterCodeFailure(trx, row.id);
  const attemptsLeft = Math.max(0, COUNTER_CODE_MAX_FAILURES - failures);
  if (attemptsLeft === 0) await clearCounterCode(trx, row.id);
  return { reason: 'wrong', attemptsLeft };
}

/** The error a refusal answers with (stable codes; the web explains each). */
export function counterCodeError(refusal: CodeRefusal): AppError {
  switch (refusal.reason) {
    case 'missing':
      return invalid(
        'identity.counter_code_required',
        'Enter the counter code the account holder shows on their account page',
      );
    case 'none':
      return conflict(
        'identity.no_counter_code',
        'This account has no valid counter code (none made, expired, used or voided); the holder can make a new one on their account page',
      );
    case 'wrong':
      return invalid(
        'identity.counter_code_wrong',
        refusal.attemptsLeft > 0
          ? 'The counter code is not right'
          : 'The counter code is not right and has been voided after too many tries; the holder must make a new one',
        { attemptsLeft: refusal.attemptsLeft },
      );
  }
}
