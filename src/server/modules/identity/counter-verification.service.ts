import type { Static } from 'typebox';
import { normalizeIdentifier, residentIdProblem, usccProblem } from '../../../contracts/identifiers.ts';
import type {
  CounterAccountDto,
  CounterLookupResultDto,
  CounterVerifyInput,
  VerificationRecordsPage,
} from '../../../contracts/identity.ts';
import { type Actor, authorize, isSystemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import {
  type CounterRow,
  findAccountsByIdentifier,
  findCounterAccount,
  listVerificationRows,
  lockAccountByIdAndIdentifier,
} from './counter.repository.ts';
import { type CodeRefusal, checkCounterCode, counterCodeError } from './counter-code.service.ts';
import { audit } from './identity.audit.ts';
import {
  adminRootsOf,
  canListVerificationRecords,
  canVerifyAtCounter,
  counterDepartmentOf,
} from './identity.policy.ts';
import { markIdentityVerified } from './people.repository.ts';

// Real-name verification at a service-hall counter. The clerk types the full resident ID number or
// credit code from the document in hand; the platform finds the account by its keyed blind index (an
// exact match, so there is nothing to browse and no partial search), shows a masked summary, and the
// clerk records how the document was checked. Every lookup is audited, found or not: looking a person
// up by ID number is itself a sensitive act. The verify call carries the identifier again, so an
// account can be verified at the counter only by someone holding its number, and the account
// holder's one-time counter code (counter-code.service.ts), so only for the person who controls it.

export type IdentifierKind = 'resident_id' | 'uscc';

/** The kinds an identifier is valid as (a string could in principle pass both checksums). */
export function parseIdentifier(raw: string): { value: string; kinds: IdentifierKind[] } {
  const value = normalizeIdentifier(raw);
  const kinds: IdentifierKind[] = [];
  if (value && !residentIdProblem(value)) kinds.push('resident_id');
  if (value && !usccProblem(value)) kinds.push('uscc');
  if (kinds.length === 0) {
    throw invalid(
      'identity.invalid_identifier',
      'Enter the full 18-character resident ID number or unified social credit code',
    );
  }
  return { value, kinds };
}

export const column = (kind: IdentifierKind) => (kind === 'resident_id' ? 'resident_id_bidx' : 'uscc_bidx');

/** 张三丰 → 张*丰, 李四 → 李*, one character → *: enough to compare with the card, not to learn the name. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 8))}${chars[chars.length - 1]}`;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** A row as counter staff see it. */
export const toCounterAccount = (r: CounterRow): CounterAccountDto => ({
  id: r.id,
  kind: r.kind === 'business' ? 'business' : 'citizen',
  displayNameMasked: maskName(r.display_name),
  identifierMasked: r.resident_id_masked ?? r.uscc_masked ?? '',
  companyName: r.company_name,
  status: r.status,
  registeredAt: iso(r.created_at),
  identityVerifiedAt: r.identity_verified_at ? iso(r.identity_verified_at) : null,
  releaseDueAt: r.identifier_release_due_at ? iso(r.identifier_release_due_at) : null,
});

async function accountsFor(db: Db, ctx: AppContext, value: string, kinds: IdentifierKind[]) {
  const rows: CounterRow[] = [];
  for (const kind of kinds) {
    rows.push(...(await findAccountsByIdentifier(db, column(kind), ctx.cipher.blindIndex(kind, value))));
  }
  return rows;
}

/** Finds the resident or business accounts holding exactly this identifier; audited whatever the outcome. */
export async function lookupAtCounter(
  ctx: AppContext,
  actor: Actor | undefined,
  identifier: string,
  meta?: RequestMeta,
): Promise<CounterLookupResultDto> {
  const a = authorize(actor, canVerifyAtCounter);
  const { value, kinds } = parseIdentifier(identifier);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await accountsFor(trx, ctx, value, kinds);
    const departmentId = counterDepartmentOf(a);
    const base = { action: 'identity.person.counter_lookup', departmentId } as const;
    if (rows.length === 0) {
      await audit(trx, a, meta, { ...base, details: { kinds, found: 0 } });
    }
    for (const r of rows) {
      await audit(trx, a, meta, {
        ...base,
        target: { type: 'person', id: r.id },
        details: { kind: r.kind, found: rows.length },
      });
    }
    return { items: rows.map(toCounterAccount) };
  });
}

/** Finds and locks the account `personId` only if it holds this identifier; 404 otherwise. */
export async function lockMatchingAccount(ctx: AppContext, trx: Db, personId: string, identifier: string) {
  const { value, kinds } = parseIdentifier(identifier);
  for (const kind of kinds) {
    const row = await lockAccountByIdAndIdentifier(
      trx,
      personId,
      column(kind),
      ctx.cipher.blindIndex(kind, value),
    );
    if (row) return row;
  }
  // Same answer for "no such account" and "not this identifier's account": nothing to probe.
  throw notFound('identity.account_not_found', 'Account with this identifier');
}

/** A note (or the text of another field) that must not be blank. */
export function requiredNote(text: string, field = 'note'): string {
  const note = text.trim();
  if (!note) {
    throw invalid('validation.failed', 'The request is not valid', {
      fields: [{ path: `/${field}`, message: 'must not be blank' }],
    });
  }
  return note;
}

/**
 * Records a counter verification of the account holding `identifier`, given its holder's counter
 * code: 404 when account and identifier do not match, 409 when already verified, 400/409 when the
 * code is missing, wrong or not in force (refusals audited; a wrong code counts against the code).
 */
export async function verifyAtCounter(
  ctx: AppContext,
  actor: Actor | undefined,
  input: CounterVerifyInput,
  meta?: RequestMeta,
): Promise<CounterAccountDto> {
  const a = authorize(actor, canVerifyAtCounter);
  parseIdentifier(input.identifier);
  const note = requiredNote(input.note);
  const departmentId = counterDepartmentOf(a);
  // A refused code is answered after the transaction commits, so the count and the entry stay.
  type Outcome = { ok: true; account: CounterAccountDto } | { ok: false; refusal: CodeRefusal };
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    const row = await lockMatchingAccount(ctx, trx, input.personId, input.identifier);
    if (row.identity_verified_at) {
      throw conflict('identity.already_verified', 'This account’s identity is already verified');
    }
    const refusal = await checkCounterCode(ctx, trx, row, input.code);
    if (refusal) {
      await audit(trx, a, meta, {
        action: 'identity.person.counter_code_refused',
        target: { type: 'person', id: row.id },
        departmentId,
        details: { kind: row.kind, ...refusal },
      });
      return { ok: false, refusal };
    }
    const by = isSystemActor(a) ? null : a.personId;
    if (!(await markIdentityVerified(trx, row.id, by, note, departmentId))) {
      throw conflict('identity.already_verified', 'This account’s identity is already verified');
    }
    await audit(trx, a, meta, {
      action: 'identity.person.verify_identity',
      target: { type: 'person', id: row.id },
      departmentId,
      details: { kind: row.kind, note, at: 'counter' },
    });
    // The holder proved control of the account, so a release asked for with a card (stolen, perhaps) ends.
    if (row.identifier_release_due_at) {
      await audit(trx, a, meta, {
        action: 'identity.person.release_cancelled',
        target: { type: 'person', id: row.id },
        departmentId,
        details: {
          kind: row.kind,
          at: 'counter',
          reason: 'verified',
          dueAt: iso(row.identifier_release_due_at),
        },
      });
    }
    return { ok: true, account: toCounterAccount((await findCounterAccount(trx, row.id)) ?? row) };
  });
  if (!outcome.ok) throw counterCodeError(outcome.refusal);
  return outcome.account;
}

/** Verifications on record: every one for platform admins, those of their departments for department admins. */
export async function listVerificationRecords(
  ctx: AppContext,
  actor: Actor | undefined,
  query: { limit?: number | undefined; offset?: number | undefined },
): Promise<Static<typeof VerificationRecordsPage>> {
  const a = authorize(actor, canListVerificationRecords);
  const roots = a.isPlatformAdmin ? undefined : adminRootsOf(a);
  const { rows, total } = await listVerificationRows(ctx.db, roots, query.limit ?? 50, query.offset ?? 0);
  return {
    total,
    items: rows.map((r) => ({
      account: toCounterAccount(r),
      verifiedByLabel: r.verified_by_username,
      departmentId: r.identity_verified_department_id,
      note: r.identity_verification_note,
    })),
  };
}
