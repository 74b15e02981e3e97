import type { Db } from '../db.ts';
import type { AuditEntryRow } from '../db-schema.ts';
import { canonicalBody, hashedFieldsOf } from './audit-hash.ts';
import { type SequenceOptions, sequenceChain } from './chain-sequencer.ts';

/** Gives every committed, not yet chained audit entry its place in the chain (chain-sequencer.ts). */
export const sequenceAudit = (db: Db, options?: SequenceOptions): Promise<number> =>
  sequenceChain<AuditEntryRow>(db, { table: 'audit_log', head: 'audit_head', bodyOf }, options);

/** The canonical body of a stored entry (shared with verification, so both hash the same bytes). */
export function bodyOf(row: AuditEntryRow): string {
  return canonicalBody(hashedFieldsOf(row));
}
