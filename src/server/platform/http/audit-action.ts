import { type AuditActor, appendAudit } from '../audit/index.ts';
import { type Actor, auditActorOf } from '../auth/actor.ts';
import type { Db } from '../db.ts';
import type { RequestMeta } from './request-meta.ts';

export interface ActionAuditEvent<TargetType extends string = string> {
  action: string;
  target?: { type: TargetType; id: string };
  departmentId?: string | null;
  /** Never passwords, tokens, secrets or personal identifiers in clear. */
  details?: Record<string, unknown>;
}

/** Appends an audit entry in the caller's transaction, naming the actor and the request it came from. */
export async function auditAction(
  trx: Db,
  who: Actor | AuditActor | undefined,
  meta: RequestMeta | undefined,
  event: ActionAuditEvent,
): Promise<void> {
  const actor = who && 'label' in who ? who : auditActorOf(who);
  await appendAudit(trx, {
    action: event.action,
    actor,
    target: event.target,
    departmentId: event.departmentId ?? null,
    details: event.details,
    ip: meta?.ip ?? null,
    requestId: meta?.requestId ?? null,
  });
}
