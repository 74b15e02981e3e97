import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import type { SubscriptionSchema } from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { randomToken } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import type { VersionPublishedEvent } from '../datastore/index.ts';
import { canUseGrant } from './exchange.policy.ts';
import {
  cancelSubscriptionRow,
  findGrantForUse,
  findSubscription,
  insertDelivery,
  insertSubscription,
  listSubscriptionRows,
  subscriptionsOfTable,
} from './subscription.repository.ts';
import { queueDelivery } from './webhook.jobs.ts';
import type { VersionEvent } from './webhook.ts';
import { webhookAddressProblem } from './webhook-address.ts';

// Subscriptions: a grantee's data administrators give a webhook address and are told of every new
// version of the granted table. The HMAC secret is made here, shown once, and kept encrypted.

type Subscription = Static<typeof SubscriptionSchema>;

/** The grant, if the actor may manage its subscriptions and extracts (404 when it does not exist). */
export async function grantToUse(ctx: AppContext, actor: Actor | undefined, grantId: string) {
  const grant = await findGrantForUse(ctx.db, grantId);
  const a = authorize(actor, () => true);
  if (!grant) throw notFound('exchange.grant_not_found', 'Grant');
  authorize(a, (x) => canUseGrant(x, grant.grantee_path));
  return { actor: a, grant };
}

/** A grant's subscriptions with their latest delivery. */
export async function listSubscriptions(ctx: AppContext, actor: Actor | undefined, grantId: string) {
  await grantToUse(ctx, actor, grantId);
  const rows = await listSubscriptionRows(ctx.db, grantId);
  return rows.map(
    (r): Subscription => ({
      id: r.id,
      grantId: r.grant_id,
      url: r.url,
      state: r.state,
      createdAt: r.created_at.toISOString(),
      lastDelivery:
        r.d_at && r.d_state
          ? {
              at: r.d_at.toISOString(),
              state: r.d_state,
              attempts: r.d_attempts ?? 0,
              lastStatus: r.d_status,
              lastError: r.d_error,
            }
          : null,
    }),
  );
}

/** Subscribes a webhook address to a grant's table; the answer carries the secret, once. */
export async function subscribe(
  ctx: AppContext,
  actor: Actor | undefined,
  grantId: string,
  input: { url: string },
  meta?: RequestMeta,
): Promise<Subscription> {
  const { actor: a, grant } = await grantToUse(ctx, actor, grantId);
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw invalid('exchange.webhook_invalid_url', 'The webhook address is not a valid URL');
  }
  const problem = await webhookAddressProblem(url, ctx.config.exchangeWebhookAllowPrivate);
  if (problem)
    throw invalid('exchange.webhook_address_refused', `The webhook address is refused: ${problem}`);
  if (grant.state === 'revoked') throw invalid('exchange.grant_revoked', 'The grant is revoked');
  const secret = `whsec_${randomToken(32)}`;
  const id = randomUUID();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await insertSubscription(trx, {
      id,
      grant_id: grantId,
      url: url.href,
      secret_enc: ctx.cipher.encrypt(secret),
      created_by: a.personId || null,
    });
    await auditAction(trx, a, meta, {
      action: 'exchange.subscription.create',
      target: { type: 'exchange_subscription', id },
      departmentId: grant.grantee_department_id,
      details: { grantId, url: url.href },
    });
    return created;
  });
  return {
    id: row.id,
    grantId,
    url: row.url,
    state: row.state,
    createdAt: row.created_at.toISOString(),
    secret,
    lastDelivery: null,
  };
}

/** Cancels a subscription; pending deliveries are dropped at their next attempt. */
export async function cancelSubscription(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
  meta?: RequestMeta,
): Promise<void> {
  const a = authorize(actor, () => true);
  const sub = await findSubscription(ctx.db, id);
  if (!sub) throw notFound('exchange.subscription_not_found', 'Subscription');
  const { grant } = await grantToUse(ctx, a, sub.grant_id);
  await ctx.db.transaction().execute(async (trx) => {
    await cancelSubscriptionRow(trx, id);
    await auditAction(trx, a, meta, {
      action: 'exchange.subscription.cancel',
      target: { type: 'exchange_subscription', id },
      departmentId: grant.grantee_department_id,
      details: { grantId: sub.grant_id, url: sub.url },
    });
  });
}

/**
 * Listener of new DataStore versions (in the publishing transaction): one delivery and one queued job
 * per active subscription of an active, unexpired grant on the table.
 */
export async function queueVersionDeliveries(trx: Db, e: VersionPublishedEvent): Promise<void> {
  const subs = await subscriptionsOfTable(trx, e.distributionId);
  const at = new Date().toISOString();
  for (const s of subs) {
    const deliveryId = randomUUID();
    const event: VersionEvent = {
      event: 'datastore.version',
      grantId: s.grant_id,
      resourceId: e.distributionId,
      datasetId: e.datasetId,
      version: e.version,
      rowCount: e.rowCount,
      mode: e.mode,
      at,
      deliveryId,
    };
    await insertDelivery(trx, { id: deliveryId, subscription_id: s.id, event });
    await queueDelivery(trx, deliveryId);
  }
}
