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

/** The hashed fields of a stored entry (details stored as canonical JSON text). */
export function hashedFieldsOf(row: AuditEntryRow): HashedFields {
  return {
    at: row.at,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    departmentId: row.department_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    ip: row.ip,
    requestId: row.request_id,
  };
}

/**
 * The hashed fields in the form the database stores and the verifier reads them: the time as its
 * ISO text and the details as their canonical JSON text, so verification needs no parsing.
 */
export interface StoredFields {
  atIso: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  departmentId: string | null;
  detailsJson: string;
  ip: string | null;
  requestId: string | null;
}

/**
 * RFC 8785 (JCS) form of a JSON value: plain objects, arrays, strings, finite numbers, booleans
 * and null. Gives the same text as canonicalize() for such values (a property test holds it to
 * that) at a fraction of the cost. Appends store details in this form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i] ?? null);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

const text = (s: string | null) => (s === null ? 'null' : JSON.stringify(s));

/**
 * canonicalBody() of stored fields, written out for its fixed keys in JCS order with the details
 * text spliced in as stored: equal to canonicalBody() when the text is canonical (appends make it
 * so); if someone rewrote it in another form, the bytes and so the hash differ.
 */
export function storedBody(f: StoredFields): string {
  return (
    `{"action":${JSON.stringify(f.action)},"actorId":${text(f.actorId)},"actorLabel":${JSON.stringify(f.actorLabel)},` +
    `"at":"${f.atIso}","departmentId":${text(f.departmentId)},"details":${f.detailsJson},` +
    `"ip":${text(f.ip)},"requestId":${text(f.requestId)},"targetId":${text(f.targetId)},"targetType":${text(f.targetType)}}`
  );
}

/**
 * Canonical body of an entry: RFC 8785 (JCS) JSON, so that key order and number formatting cannot
 * change the hash. The reference form, computed with the canonicalize library (the sequencer uses
 * it; the verifier uses storedBody, so each checks the other).
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

/** hash = sha256_hex(prev_hash ‖ "\n" ‖ seq ‖ "\n" ‖ canonical body). */
export function entryHash(prevHash: string, seq: number, body: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${body}`).digest('hex');
}
