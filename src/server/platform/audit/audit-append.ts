import type { Db } from '../db.ts';
import { canonicalJson } from './audit-hash.ts';

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
 * Records one entry in the caller's transaction, so the entry exists exactly when the action does
 * (a rolled-back action leaves no entry). This is one plain INSERT: the entry's place in the hash
 * chain is assigned right after commit by the sequencer (sequenceAudit), which batches entries and
 * so keeps concurrent actions from queueing on the chain's head.
 */
export async function appendAudit(trx: Db, event: AuditEvent): Promise<void> {
  await trx.insertInto('audit_log').values(auditRowOf(event)).execute();
}

/** The row an event is stored as (no chain fields yet). */
export function auditRowOf(event: AuditEvent, at = new Date()) {
  return {
    // Millisecond precision (a Date has no more) survives the timestamptz round trip exactly.
    at,
    actor_id: event.actor.id,
    actor_label: event.actor.label,
    action: event.action,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    department_id: event.departmentId ?? null,
    // Canonical JSON text: what is hashed is exactly what is stored. The JSON round trip first
    // drops what JSON cannot hold (undefined, functions) and turns NaN into null.
    details: canonicalJson(JSON.parse(JSON.stringify(event.details ?? {}))),
    ip: event.ip ?? null,
    request_id: event.requestId ?? null,
  };
}
