import { type AuditActor, appendAudit } from '../../platform/audit/index.ts';
import { type Actor, auditActorOf } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import type { RequestMeta } from './request-meta.ts';

export interface IdentityAuditEvent {
  action: string;
  target?: { type: 'person' | 'department' | 'role_assignment' | 'api_token' | 'session'; id: string };
  departmentId?: string | null;
  /** Never passwords, tokens, TOTP secrets or identifiers in clear. */
  details?: Record<string, unknown>;
}

/** Appends an identity entry in the caller's transaction, naming the actor and the request it came from. */
export async function audit(
  trx: Db,
  who: Actor | AuditActor | undefined,
  meta: RequestMeta | undefined,
  event: IdentityAuditEvent,
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
