import type { CounterAccountDto, CounterReleaseInput } from '../../../contracts/identity.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { findCounterAccount, releaseIdentifierRow } from './counter.repository.ts';
import {
  lockMatchingAccount,
  parseIdentifier,
  requiredNote,
  toCounterAccount,
} from './counter-verification.service.ts';
import { audit } from './identity.audit.ts';
import { canReleaseIdentifier, counterDepartmentOf } from './identity.policy.ts';
import { personNotFound } from './people.service.ts';
import { deleteSessionsExcept } from './session.repository.ts';
import { revokeTokensOf } from './token.repository.ts';

// The squatter case. The person at the counter shows their ID card; the lookup finds an account
// registered with that number which they cannot show a counter code for, because it is not theirs.
// The clerk releases the number: the account is disabled, every form of the identifier (ciphertext,
// blind index, mask) cleared so the real holder can register, its sessions ended and its API tokens
// revoked (disabling alone would leave tokens that work again if the account were re-enabled). The
// account itself stays, with its audit history; see canReleaseIdentifier for who may and why.

/** Frees `identifier` from the unverified account `personId` and disables it; 409 when it is verified. */
export async function releaseAtCounter(
  ctx: AppContext,
  actor: Actor | undefined,
  input: CounterReleaseInput,
  meta?: RequestMeta,
): Promise<CounterAccountDto> {
  const a = authorize(actor, canReleaseIdentifier);
  parseIdentifier(input.identifier);
  const note = requiredNote(input.note);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockMatchingAccount(ctx, trx, input.personId, input.identifier);
    if (row.identity_verified_at || !(await releaseIdentifierRow(trx, row.id))) {
      throw conflict(
        'identity.release_verified_account',
        'This account is verified: a platform admin (or the verifying department’s admin) must withdraw the verification first',
      );
    }
    const sessionsEnded = await deleteSessionsExcept(trx, row.id);
    const tokensRevoked = await revokeTokensOf(trx, row.id);
    await audit(trx, a, meta, {
      action: 'identity.person.release_identifier',
      target: { type: 'person', id: row.id },
      departmentId: counterDepartmentOf(a),
      details: { kind: row.kind, note, at: 'counter', sessionsEnded, tokensRevoked },
    });
    const after = await findCounterAccount(trx, row.id);
    if (!after) throw personNotFound();
    return toCounterAccount(after);
  });
}
