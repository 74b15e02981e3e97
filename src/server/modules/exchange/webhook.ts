import { createHmac, timingSafeEqual } from 'node:crypto';
import { webhookAddressProblem } from './webhook-address.ts';

// Sending one webhook: the event as JSON, signed as Stripe and GitHub sign theirs — HMAC-SHA256 over
// `<timestamp>.<body>` with the subscription's secret — so the receiver can check both who sent it
// and that it is fresh (the timestamp is signed too: a captured request cannot be replayed later).
// Redirects are not followed: a subscriber gives the address that answers.

export const WEBHOOK_TIMEOUT_MS = 10_000;
const USER_AGENT = 'Civitas-exchange-webhook/1';

/** The event a subscriber receives when a new version of a granted table is published. */
export interface VersionEvent {
  event: 'datastore.version';
  grantId: string;
  resourceId: string;
  datasetId: string;
  version: number;
  rowCount: number;
  mode: string;
  at: string;
  deliveryId: string;
}

/** The body, with its keys in a fixed order (the stored jsonb has its own). */
export function webhookBody(event: VersionEvent): string {
  const { event: kind, grantId, resourceId, datasetId, version, rowCount, mode, at, deliveryId } = event;
  return JSON.stringify({
    event: kind,
    grantId,
    resourceId,
    datasetId,
    version,
    rowCount,
    mode,
    at,
    deliveryId,
  });
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const webhookSignature = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** A receiver's check of a signature (constant time); tests and the API notes use it. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string,
): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookOutcome {
  ok: boolean;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  error: string | null;
}

/** POSTs one event; any 2xx is success, anything else (other statuses, errors, time-outs) is not. */
export async function postWebhook(
  target: string,
  event: VersionEvent,
  secret: string,
  options: { allowPrivate: boolean; signal?: AbortSignal; timeoutMs?: number },
): Promise<WebhookOutcome> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, status: null, error: 'not a valid address' };
  }
  const problem = await webhookAddressProblem(url, options.allowPrivate);
  if (problem) return { ok: false, status: null, error: problem };
  const body = webhookBody(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const timeout = AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': USER_AGENT,
        'x-civitas-event': event.event,
        'x-civitas-delivery': event.deliveryId,
        'x-civitas-timestamp': timestamp,
        'x-civitas-signature': webhookSignature(secret, timestamp, body),
      },
      body,
    });
    // The answer's body is of no interest; drop it so the connection is freed.
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    if (timeout.aborted)
      return {
        ok: false,
        status: null,
        error: `no answer within ${Math.round((options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000)} s`,
      };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return {
      ok: false,
      status: null,
      error: (cause?.code ?? cause?.message ?? (err as Error).message).slice(0, 500),
    };
  }
}
