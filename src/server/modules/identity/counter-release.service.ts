import type {
  CounterAccountDto,
  CounterReleaseInput,
  PendingReleasesPageDto,
} from '../../../contracts/identity.ts';
import { type Actor, authorize, isSystemActor, systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { conflict, forbidden } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import type { Tick } from '../../platform/jobs/index.ts';
import {
  clearReleaseRow,
  findCounterAccount,
  listPendingReleaseRows,
  lockDueReleases,
  lockReleaseOf,
  releaseIdentifierRow,
  scheduleReleaseRow,
} from './counter.repository.ts';
import {
  lockMatchingAccount,
  parseIdentifier,
  requiredNote,
  toCounterAccount,
} from './counter-verification.service.ts';
import { findDepartmentById } from './department.repository.ts';
import { audit } from './identity.audit.ts';
import {
  adminRootsOf,
  canListPendingReleases,
  canReleaseIdentifier,
  canStopRelease,
  counterDepartmentOf,
} from './identity.policy.ts';
import { personNotFound } from './people.service.ts';
import { deleteSessionsExcept } from './session.repository.ts';
import { revokeTokensOf } from './token.repository.ts';

// The squatter case. The person at the counter shows their ID card; the lookup finds an account
// registered with that number which they cannot show a counter code for, because it is not theirs.
// The clerk asks for the number to be released. When the release takes effect the account is
// disabled, every form of the identifier (ciphertext, blind index, mask) cleared so the real holder
// can register, its sessions ended and its API tokens revoked (disabling alone would leave tokens
// that work again if the account were re-enabled). The account itself stays, with its audit history,
// and its next sign-in attempt explains what happened (auth.identifier_released).
//
// Why not at once: the card at the counter may be stolen (or borrowed), and then the account that
// cannot show a code is the real holder's. A second clerk's approval would not help, since both look
// at the same good card; refusing accounts with recent sign-ins would not either, since a squatter
// signs in as easily as a holder, and a password says nothing about whose number it is. What tells
// them apart is the pair the counter already asks for: the genuine holder can get a replacement or
// temporary card with the same number and make a counter code, a thief cannot make the code and a
// squatter cannot show the card. So the release waits a notice period (config
// identifierReleaseNoticeDays, CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS, 14 days unless set), during which the account
// holder is warned at every sign-in (PersonDto.identifierReleaseDueAt) and stops it by verifying at
// any counter (markIdentityVerified ends the pending release). A squatter gains nothing from the wait:
// the account stays unverified, so "My data" stays closed. The cost is that the real holder of a
// squatted number registers two weeks later; the clerk tells them the date (releaseDueAt).
// An admin may also stop a pending release (stopRelease): the holder called the hotline rather than
// come to a counter, or the clerk asked in error. Whoever may stop it is the second person (the
// platform, or the asking department's admin), and the reason is audited.

/**
 * Asks for `identifier` to be released from the unverified account `personId`; it takes effect after
 * the notice period unless the account is verified first. 409 when verified or already pending.
 */
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
    if (row.identity_verified_at) {
      throw conflict(
        'identity.release_verified_account',
        'This account is verified: a platform admin (or the verifying department’s admin) must withdraw the verification first',
      );
    }
    if (row.identifier_release_due_at) {
      throw conflict('identity.release_pending', 'A release of this number is already pending', {
        dueAt: new Date(row.identifier_release_due_at).toISOString(),
      });
    }
    const departmentId = counterDepartmentOf(a);
    const dueAt = new Date(Date.now() + ctx.config.identifierReleaseNoticeDays * 86_400_000);
    const by = isSystemActor(a) ? null : a.personId;
    if (!(await scheduleReleaseRow(trx, row.id, by, departmentId, dueAt))) {
      throw conflict('identity.release_pending', 'A release of this number is already pending');
    }
    await audit(trx, a, meta, {
      action: 'identity.person.release_requested',
      target: { type: 'person', id: row.id },
      departmentId,
      details: { kind: row.kind, note, at: 'counter', dueAt: dueAt.toISOString() },
    });
    const after = await findCounterAccount(trx, row.id);
    if (!after) throw personNotFound();
    return toCounterAccount(after);
  });
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * Stops the pending release of account `id`, with the reason: platform admins, and admins of the
 * department whose counter asked. 404 for no such account, 403 when not theirs to stop, 409 when no
 * release is pending. Answers the masked counter view (department admins do not manage residents).
 */
export async function stopRelease(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
  meta?: RequestMeta,
): Promise<CounterAccountDto> {
  const text = requiredNote(reason, 'reason');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockReleaseOf(trx, id);
    if (!row) throw personNotFound();
    const departmentId = row.identifier_release_department_id;
    const department = departmentId ? await findDepartmentById(trx, departmentId) : undefined;
    if (!canStopRelease(actor, department?.path ?? null)) throw forbidden();
    if (!row.identifier_release_due_at || !(await clearReleaseRow(trx, id))) {
      throw conflict('identity.release_not_pending', 'No release of this account’s number is pending');
    }
    await audit(trx, actor, meta, {
      action: 'identity.person.release_cancelled',
      target: { type: 'person', id },
      departmentId,
      details: {
        kind: row.kind,
        at: 'admin',
        reason: text,
        dueAt: iso(row.identifier_release_due_at),
        requestedBy: row.identifier_release_requested_by,
        requestedAt: row.identifier_release_requested_at ? iso(row.identifier_release_requested_at) : null,
      },
    });
    const after = await findCounterAccount(trx, id);
    if (!after) throw personNotFound();
    return toCounterAccount(after);
  });
}

/** Releases in their notice period: every one for platform admins, their departments' counters' for department admins. */
export async function listPendingReleases(
  ctx: AppContext,
  actor: Actor | undefined,
  query: { departmentId?: string | undefined; limit?: number | undefined; offset?: number | undefined },
): Promise<PendingReleasesPageDto> {
  const a = authorize(actor, canListPendingReleases);
  const { rows, total } = await listPendingReleaseRows(ctx.db, {
    roots: a.isPlatformAdmin ? undefined : adminRootsOf(a),
    departmentId: query.departmentId,
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  return {
    total,
    items: rows.map((r) => ({
      account: toCounterAccount(r),
      requestedAt: r.identifier_release_requested_at ? iso(r.identifier_release_requested_at) : null,
      requestedByLabel: r.requested_by_username,
      departmentId: r.identifier_release_department_id,
      departmentNameZh: r.department_name_zh,
      departmentNameEn: r.department_name_en,
    })),
  };
}

/**
 * Carries out the releases whose notice period is over (at most `limit` per call); returns how many.
 * Audited as the platform, naming the clerk and department that asked.
 */
export async function applyDueReleases(ctx: AppContext, limit = 100): Promise<number> {
  const actor = systemActor('identifier-release');
  return ctx.db.transaction().execute(async (trx) => {
    let released = 0;
    for (const row of await lockDueReleases(trx, limit)) {
      if (!(await releaseIdentifierRow(trx, row.id))) continue;
      const sessionsEnded = await deleteSessionsExcept(trx, row.id);
      const tokensRevoked = await revokeTokensOf(trx, row.id);
      await audit(trx, actor, undefined, {
        action: 'identity.person.release_identifier',
        target: { type: 'person', id: row.id },
        departmentId: row.identifier_release_department_id,
        details: {
          kind: row.kind,
          at: 'counter',
          requestedBy: row.identifier_release_requested_by,
          requestedAt: row.identifier_release_requested_at
            ? new Date(row.identifier_release_requested_at).toISOString()
            : null,
          sessionsEnded,
          tokensRevoked,
        },
      });
      released += 1;
    }
    return released;
  });
}

/** Every node runs it each minute; locked rows are skipped, so each release happens once. */
export const identityTicks: Tick[] = [
  { name: 'identity.identifier-release', everyMs: 60_000, run: (ctx) => applyDueReleases(ctx) },
];
