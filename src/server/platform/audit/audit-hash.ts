import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEntryRow } from '../db-schema.ts';

/** The fields of an entry that its hash covers, besides its sequence number and the previous hash. */
export interface HashedFields {
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  departmentId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  requestId: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hashed fields of a stored entry. */
export function hashedFieldsOf(row: AuditEntryRow): HashedFields {
  return {
    at: row.at,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    departmentId: row.department_id,
    details: row.details,
    ip: row.ip,
    requestId: row.request_id,
  };
}

/**
 * Canonical body of an entry: RFC 8785 (JCS) JSON, so that key order and number formatting
 * cannot change the hash, and jsonb's reordering of `details` in the database is harmless.
 */
export function canonicalBody(f: HashedFields): string {
  const body = canonicalize({
    at: f.at.toISOString(),
    actorId: f.actorId,
    actorLabel: f.actorLabel,
    action: f.action,
    targetType: f.targetType,
    targetId: f.targetId,
    departmentId: f.departmentId,
    details: f.details,
    ip: f.ip,
    requestId: f.requestId,
  });
  if (body === undefined) throw new Error('Audit entry cannot be canonicalised');
  return body;
}

/** hash = sha256_hex(prev_hash ‖ "\n" ‖ seq ‖ "\n" ‖ canonical body). The database computes the same on append. */
export function entryHash(prevHash: string, seq: number, body: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${body}`).digest('hex');
}
