import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { canonicalBody, type HashedFields } from './audit-hash.ts';

/** Who did it, as the audit log records them. */
export interface AuditActor {
  id: string | null;
  /** A readable label kept even if the person is later renamed: "admin", "system", "cli". */
  label: string;
}

export interface AuditEvent {
  /** Stable dotted name: `identity.department.create`. */
  action: string;
  actor: AuditActor;
  target?: { type: string; id: string } | undefined;
  /** The department the action concerns; department auditors see entries of their own departments. */
  departmentId?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
  ip?: string | null | undefined;
  requestId?: string | null | undefined;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, label: 'system' };

/**
 * Appends one entry in the caller's transaction, so the entry exists exactly when the action does.
 * One statement locks the head row, chains the hash (computed by the database with sha256) and moves
 * the head; concurrent appenders queue on that row lock, which is what makes sequence numbers gapless.
 */
export async function appendAudit(trx: Db, event: AuditEvent): Promise<{ seq: number; hash: string }> {
  // Millisecond precision survives the timestamptz round trip exactly, which verification relies on.
  const at = new Date();
  const fields: HashedFields = {
    at,
    actorId: event.actor.id,
    actorLabel: event.actor.label,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    departmentId: event.departmentId ?? null,
    details: event.details ?? {},
    ip: event.ip ?? null,
    requestId: event.requestId ?? null,
  };
  const body = canonicalBody(fields);
  const result = await sql<{ seq: number; hash: string }>`
    with head as (select seq, hash from audit_head where id = 1 for update),
    ins as (
      insert into audit_log (seq, at, actor_id, actor_label, action, target_type, target_id,
                             department_id, details, ip, request_id, prev_hash, hash)
      select head.seq + 1, ${at.toISOString()}::timestamptz, ${fields.actorId}::uuid, ${fields.actorLabel},
             ${fields.action}, ${fields.targetType}, ${fields.targetId}, ${fields.departmentId}::uuid,
             ${JSON.stringify(fields.details)}::jsonb, ${fields.ip}, ${fields.requestId}, head.hash,
             encode(sha256(convert_to(head.hash || E'\\n' || (head.seq + 1)::text || E'\\n' || ${body}, 'UTF8')), 'hex')
      from head
      returning seq, hash
    )
    update audit_head set seq = ins.seq, hash = ins.hash from ins where audit_head.id = 1
    returning ins.seq, ins.hash`.execute(trx);
  const row = result.rows[0];
  if (!row) throw new Error('audit_head row is missing; the database was not migrated');
  return row;
}
