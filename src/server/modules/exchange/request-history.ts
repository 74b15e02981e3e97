import { type Actor, auditActorOf } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { insertEvent } from './request.repository.ts';

// Every step of a request or grant is written twice, in the same transaction: as an event for the
// detail page's history, and as an entry of the hash-chained audit log.

export interface ExchangeStep {
  requestId?: string | null;
  grantId?: string | null;
  /** The event's action (`create`, `approve`, `suspend` …). */
  event: string;
  /** The audit action (`exchange.request.create` …). */
  audit: string;
  /** The department the audit entry is filed under. */
  departmentId: string;
  note?: string | null;
  /** Never credentials or personal identifiers. */
  details?: Record<string, unknown>;
}

/** Writes the event and its audit entry in `trx`. */
export async function recordStep(trx: Db, actor: Actor, meta: RequestMeta | undefined, step: ExchangeStep) {
  const who = auditActorOf(actor);
  const details = step.details ?? {};
  await insertEvent(trx, {
    request_id: step.requestId ?? null,
    grant_id: step.grantId ?? null,
    actor_id: who.id,
    actor_label: who.label,
    action: step.event,
    note: step.note ?? null,
    details: JSON.stringify(details),
  });
  const target = step.requestId
    ? { type: 'exchange_request', id: step.requestId }
    : { type: 'exchange_grant', id: step.grantId as string };
  await auditAction(trx, actor, meta, {
    action: step.audit,
    target,
    departmentId: step.departmentId,
    details: {
      ...details,
      ...(step.requestId && step.grantId ? { grantId: step.grantId } : {}),
      ...(step.note ? { note: step.note } : {}),
    },
  });
}
