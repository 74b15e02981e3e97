import type { AuditActor } from '../../platform/audit/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import { type ActionAuditEvent, auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';

export type IdentityAuditEvent = ActionAuditEvent<
  'person' | 'department' | 'role_assignment' | 'api_token' | 'session'
>;

/** Appends an identity entry in the caller's transaction, naming the actor and the request it came from. */
export const audit = (
  trx: Db,
  who: Actor | AuditActor | undefined,
  meta: RequestMeta | undefined,
  event: IdentityAuditEvent,
): Promise<void> => auditAction(trx, who, meta, event);
