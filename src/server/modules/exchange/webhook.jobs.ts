import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { enqueue, type JobRun } from '../../platform/jobs/index.ts';
import { abandonDelivery, findDeliveryToSend, recordAttempt } from './subscription.repository.ts';
import { postWebhook, type VersionEvent } from './webhook.ts';

// Each webhook delivery is a durable job. A failed attempt queues the next one itself, at its own
// pace — 30 s, 2 min, 10 min, 1 h, 6 h — rather than the worker's default backoff (seconds, meant
// for the platform's own work): a subscriber that is down for an afternoon still gets the event.
// After the sixth attempt the delivery is failed; its last status and error stay for the list.

export const WEBHOOK_JOB = 'exchange.webhook';
export const WEBHOOK_MAX_ATTEMPTS = 6;
/** Delay before attempt n+1, after attempt n failed (n = 1 … 5). */
export const WEBHOOK_RETRY_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000] as const;

interface Payload {
  deliveryId: string;
}

/** Queues the first attempt of a delivery (in the caller's transaction). */
export const queueDelivery = (trx: Db, deliveryId: string, runAt?: Date) =>
  // The queue's own retries only cover a node dying mid-attempt; failed POSTs are retried below.
  enqueue(trx, WEBHOOK_JOB, { deliveryId } satisfies Payload, {
    maxAttempts: 3,
    ...(runAt ? { runAt } : {}),
  });

/** Makes one attempt at a delivery and records it; queues the next attempt when it failed. */
export async function deliverWebhook(job: JobRun<Payload>, ctx: AppContext) {
  const d = await findDeliveryToSend(ctx.db, job.payload.deliveryId);
  if (!d) return { skipped: 'gone' };
  if (d.state !== 'pending') return { skipped: d.state };
  if (d.subscription_state !== 'active') {
    await abandonDelivery(ctx.db, d.id, 'the subscription was cancelled');
    return { skipped: 'cancelled' };
  }
  if (d.grant_state !== 'active' || d.grant_expired) {
    await abandonDelivery(ctx.db, d.id, 'the grant is no longer active');
    return { skipped: 'grant inactive' };
  }
  const outcome = await postWebhook(
    d.url,
    d.event as unknown as VersionEvent,
    ctx.cipher.decrypt(d.secret_enc),
    {
      allowPrivate: ctx.config.exchangeWebhookAllowPrivate,
      signal: job.signal,
    },
  );
  // Stopping or taken over: this attempt does not count; the worker puts the job back.
  if (job.signal.aborted) throw job.signal.reason;
  return ctx.db.transaction().execute(async (trx) => {
    const last = d.attempts + 1 >= WEBHOOK_MAX_ATTEMPTS;
    const state = outcome.ok ? 'delivered' : last ? 'failed' : 'pending';
    const { attempts } = await recordAttempt(trx, d.id, {
      state,
      status: outcome.status,
      error: outcome.error,
    });
    if (state === 'pending') {
      const delay = WEBHOOK_RETRY_MS[Math.min(attempts, WEBHOOK_RETRY_MS.length) - 1] ?? 0;
      const runAt = await sql<{
        at: Date;
      }>`select now() + make_interval(secs => ${delay / 1000}) as at`.execute(trx);
      await queueDelivery(trx, d.id, runAt.rows[0]!.at);
    }
    return { state, attempts, status: outcome.status };
  });
}
