import type { CounterAccountDto, PersonDto } from '../../../contracts/identity.ts';
import { type Actor, isSystemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { conflict, forbidden, invalid } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { findCounterAccount, findVerificationOf } from './counter.repository.ts';
import { toCounterAccount } from './counter-verification.service.ts';
import { audit } from './identity.audit.ts';
import { canManagePerson, canWithdrawVerification } from './identity.policy.ts';
import { clearIdentityVerified, markIdentityVerified } from './people.repository.ts';
import { loadPersonDto, loadPersonScope, personNotFound } from './people.service.ts';
import { managedPerson } from './person-admin.service.ts';

// Real-name verification. Registering needs only a resident ID or credit code with a valid checksum,
// so an account proves nothing about who holds it; what the platform shows about "the person behind
// this ID" (who read their records, see exchange/my-data) waits until staff have checked the person's
// documents and recorded how. Staff verify only at the counter (counter-verification.service.ts),
// where the holder must also show the one-time code made on their own account page: the document
// proves who stands there, the code that the account is theirs. An admin's word alone is not proof
// of account control, so no staff member, platform admins included, verifies an account here; what
// remains is withdrawing a verification (with a reason, audited) and, for the platform itself (demo
// loader, tests), recording one made elsewhere.

const notVerifiable = () =>
  invalid('identity.not_verifiable', 'Only resident and business accounts are identity-verified');

function cleanText(text: string, field: string): string {
  const value = text.trim();
  if (!value) {
    throw invalid('validation.failed', 'The request is not valid', {
      fields: [{ path: `/${field}`, message: 'must not be blank' }],
    });
  }
  return value;
}

/**
 * Records, as the platform itself (the system actor: demo loader, tests), a verification made
 * outside this platform; 403 for any person, who must verify at the counter; 409 when already verified.
 */
export async function verifyIdentity(
  ctx: AppContext,
  actor: Actor,
  id: string,
  note: string,
  meta?: RequestMeta,
): Promise<PersonDto> {
  if (!isSystemActor(actor)) throw forbidden('Identity is verified at the counter, with the holder’s code');
  const text = cleanText(note, 'note');
  return ctx.db.transaction().execute(async (trx) => {
    const person = await managedPerson(trx, actor, id);
    if (person.kind === 'staff') throw notVerifiable();
    if (!(await markIdentityVerified(trx, id, null, text))) {
      throw conflict('identity.already_verified', 'This account’s identity is already verified');
    }
    await audit(trx, actor, meta, {
      action: 'identity.person.verify_identity',
      target: { type: 'person', id },
      departmentId: person.departmentId,
      details: { kind: person.kind, note: text },
    });
    const dto = await loadPersonDto(trx, id);
    if (!dto) throw personNotFound();
    return dto;
  });
}

/**
 * Withdraws a verification made in error (the account sees no access history until verified again).
 * Whoever may manage the account may, and so may an admin of the department whose counter staff
 * recorded it. Answers with the masked counter view: a department admin does not manage residents.
 */
export async function revokeIdentityVerification(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
  meta?: RequestMeta,
): Promise<CounterAccountDto> {
  const text = cleanText(reason, 'reason');
  return ctx.db.transaction().execute(async (trx) => {
    const scope = await loadPersonScope(trx, id);
    if (!scope) throw personNotFound();
    const verification = await findVerificationOf(trx, id);
    const counterDept = verification?.identity_verified_department_id ?? null;
    const byDepartment = canWithdrawVerification(actor, verification?.department_path ?? null);
    if (!byDepartment && !canManagePerson(actor, scope)) throw forbidden();
    if (scope.kind === 'staff') throw notVerifiable();
    if (!(await clearIdentityVerified(trx, id))) {
      throw conflict('identity.not_verified', 'This account’s identity is not verified');
    }
    await audit(trx, actor, meta, {
      action: 'identity.person.revoke_identity',
      target: { type: 'person', id },
      departmentId: counterDept,
      details: { kind: scope.kind, reason: text },
    });
    const row = await findCounterAccount(trx, id);
    if (!row) throw personNotFound();
    return toCounterAccount(row);
  });
}
