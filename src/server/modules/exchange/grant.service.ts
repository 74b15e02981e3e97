import { sql } from 'kysely';
import type { Grant, GrantAction } from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { newCredential } from './credential.ts';
import { canBrowseShared, canDecide, canStopGrant, canUseGrant, canViewExchange } from './exchange.policy.ts';
import { forgetGrant } from './gateway.grants.ts';
import { presentGrant, reportedState } from './grant.presenter.ts';
import { findGrantView, type GrantView, listGrantViews, updateGrant } from './grant.repository.ts';
import { listEvents } from './request.repository.ts';
import { recordStep } from './request-history.ts';

// Grants after approval: listing and reading them, the grantee's system credential (issued or
// rotated, shown once), and the lifecycle — renew, suspend, resume, revoke (terminal). A grant
// past its expiry is reported `expired` while its stored state stays active, so a renewal revives it.

const DAY_MS = 24 * 60 * 60 * 1000;
const grantNotFound = () => notFound('exchange.grant_not_found', 'Grant');
const revoked = () => conflict('exchange.grant_revoked', 'The grant has been revoked');

/** Grants of the caller's departments, newest first. */
export async function listGrants(
  ctx: AppContext,
  actor: Actor | undefined,
  query: {
    side?: 'incoming' | 'outgoing' | undefined;
    state?: Grant['state'] | undefined;
    datasetId?: string | undefined;
    page?: number | undefined;
    pageSize?: number | undefined;
  },
) {
  const caller = authorize(actor, canBrowseShared);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await listGrantViews(ctx.db, {
    all: caller.isPlatformAdmin,
    roots: [...new Set(caller.roles.map((r) => r.departmentId))],
    side: query.side,
    state: query.state,
    datasetId: query.datasetId,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const now = new Date();
  return { items: rows.map((g) => presentGrant(g, undefined, now)), total, page, pageSize };
}

async function visibleGrant(ctx: AppContext, caller: Actor, id: string, lock = false, db = ctx.db) {
  const g = await findGrantView(db, id, lock);
  if (!g) throw grantNotFound();
  authorize(caller, (a) => canViewExchange(a, g.owner_path, g.grantee_path));
  return g;
}

/** One grant with its history. */
export async function getGrant(ctx: AppContext, actor: Actor | undefined, id: string): Promise<Grant> {
  const caller = authorize(actor, () => true);
  const g = await visibleGrant(ctx, caller, id);
  return presentGrant(g, await listEvents(ctx.db, { grantId: id }));
}

/** Issues the grantee's system credential, replacing any earlier one at once; shown only here. */
export async function issueCredential(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
  meta?: RequestMeta,
): Promise<{ grantId: string; credential: string; prefix: string; issuedAt: string }> {
  const caller = authorize(actor, () => true);
  const issued = newCredential();
  const issuedAt = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const g = await visibleGrant(ctx, caller, id, true, trx);
    authorize(caller, (a) => canUseGrant(a, g.grantee_path));
    const state = reportedState(g);
    if (state === 'revoked') throw revoked();
    if (state === 'expired') throw conflict('exchange.grant_expired', 'The grant has expired');
    await updateGrant(trx, id, {
      credential_hash: issued.hash,
      credential_prefix: issued.prefix,
      credential_issued_at: issuedAt,
    });
    await recordStep(trx, caller, meta, {
      grantId: id,
      event: 'credential_issue',
      audit: 'exchange.credential.issue',
      departmentId: g.grantee_department_id,
      details: { prefix: issued.prefix, rotated: g.credential_prefix !== null },
    });
  });
  // The old credential stops working on this node now (other nodes' caches follow within a second).
  forgetGrant(id);
  return {
    grantId: id,
    credential: issued.credential,
    prefix: issued.prefix,
    issuedAt: issuedAt.toISOString(),
  };
}

/**
 * Stopping a grant cuts a department's system off: the other side, the auditors and the history are
 * owed the reason, as a refusal states its own.
 */
function requireReason(reason: string | null | undefined, message: string) {
  if (!reason?.trim()) throw invalid('exchange.reason_required', message);
}

type Transition = (
  g: GrantView,
  input: { reason?: string | null; days?: number | undefined },
) => {
  allowed: (a: Actor) => boolean;
  /** Throws when the grant's state does not allow the action. */
  check(): void;
  set: Parameters<typeof updateGrant>[2];
};

function transitions(ctx: AppContext): Record<GrantAction, Transition> {
  const owner = (g: GrantView) => (a: Actor) => canDecide(a, g.owner_path);
  const stopper = (g: GrantView) => (a: Actor) => canStopGrant(a, g.owner_path, g.grantee_path);
  return {
    renew: (g, input) => ({
      allowed: owner(g),
      check() {
        if (g.state === 'revoked') throw revoked();
        if (!input.days) throw invalid('exchange.days_required', 'Say for how many days to renew');
        if (input.days > ctx.config.exchangeMaxGrantDays)
          throw invalid(
            'exchange.duration_too_long',
            `Access is granted for at most ${ctx.config.exchangeMaxGrantDays} days`,
            { maxDays: ctx.config.exchangeMaxGrantDays },
          );
        // "Extend from today by n days": a renewal never cuts short what is already granted
        // (that is a suspension or a revocation, with its reason).
        if (Date.now() + input.days * DAY_MS < new Date(g.expires_at).getTime())
          throw conflict(
            'exchange.renew_shortens',
            'A renewal extends a grant; this one would end it earlier than it ends now',
            { expiresAt: new Date(g.expires_at).toISOString() },
          );
      },
      set: { expires_at: sql<Date>`now() + make_interval(days => ${input.days ?? 0})` as unknown as Date },
    }),
    suspend: (g, input) => ({
      allowed: stopper(g),
      check() {
        if (g.state === 'revoked') throw revoked();
        if (g.state === 'suspended')
          throw conflict('exchange.grant_already_suspended', 'The grant is already suspended');
        requireReason(input.reason, 'A suspension states its reason');
      },
      set: { state: 'suspended', state_reason: input.reason ?? null },
    }),
    resume: (g) => ({
      allowed: owner(g),
      check() {
        if (g.state === 'revoked') throw revoked();
        if (g.state !== 'suspended')
          throw conflict('exchange.grant_not_suspended', 'The grant is not suspended');
      },
      set: { state: 'active', state_reason: null },
    }),
    revoke: (g, input) => ({
      allowed: stopper(g),
      check() {
        if (g.state === 'revoked') throw revoked();
        requireReason(input.reason, 'A revocation states its reason');
      },
      set: { state: 'revoked', state_reason: input.reason ?? null },
    }),
  };
}

/** Renews, suspends, resumes or revokes a grant; invalid transitions are 409s with stable codes. */
export async function changeGrant(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
  action: GrantAction,
  input: { reason?: string | undefined; days?: number | undefined },
  meta?: RequestMeta,
): Promise<Grant> {
  const caller = authorize(actor, () => true);
  if (input.days !== undefined && action !== 'renew')
    throw new AppError('exchange.days_only_for_renew', 400, 'Only a renewal takes a number of days');
  const reason = input.reason?.trim() || null;
  await ctx.db.transaction().execute(async (trx) => {
    const g = await visibleGrant(ctx, caller, id, true, trx);
    const t = transitions(ctx)[action](g, { reason, days: input.days });
    authorize(caller, t.allowed);
    t.check();
    await updateGrant(trx, id, t.set);
    await recordStep(trx, caller, meta, {
      grantId: id,
      event: action,
      audit: `exchange.grant.${action}`,
      departmentId: g.owner_department_id,
      note: reason,
      details: {
        from: reportedState(g),
        ...(action === 'renew' ? { days: input.days } : {}),
        ...(action === 'renew' ? { previousExpiry: new Date(g.expires_at).toISOString() } : {}),
      },
    });
  });
  forgetGrant(id);
  return getGrant(ctx, caller, id);
}
