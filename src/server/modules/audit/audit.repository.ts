import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { AuditEntryRow, Database } from '../../platform/db-schema.ts';

export interface AuditFilter {
  actionPrefix?: string | undefined;
  actorLabel?: string | undefined;
  targetId?: string | undefined;
  /** Entries of this department and of its sub-departments. */
  departmentId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset paging: only entries with a smaller sequence number. */
  before?: number | undefined;
  limit: number;
  /** Restricts to departments inside these subtrees; undefined means no restriction. */
  scopeRootIds?: string[] | undefined;
}

/** Ids of the departments whose path passes through one of `rootIds` (the roots included). */
function departmentsWithin(eb: ExpressionBuilder<Database, 'audit_log'>, rootIds: string[]) {
  const roots = sql.join(rootIds.map((id) => sql`${id}`));
  return eb
    .selectFrom('departments')
    .select(sql<string>`departments.id`.as('id'))
    .where(sql<boolean>`string_to_array(departments.path, '/') && array[${roots}]::text[]`);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An entry with its place in the chain (the sequencer has run over it). */
export type ChainedEntry = AuditEntryRow & { seq: number; hash: string };

/** Chained entries newest first, keyset-paged on seq so deep pages cost the same as the first. */
export async function listAuditEntries(db: Db, f: AuditFilter): Promise<ChainedEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().where('seq', 'is not', null);
  if (f.actionPrefix) q = q.where('action', 'like', `${escapeLike(f.actionPrefix)}%`);
  if (f.actorLabel) q = q.where('actor_label', '=', f.actorLabel);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.before !== undefined) q = q.where('seq', '<', f.before);
  const departmentId = f.departmentId;
  if (departmentId) q = q.where('department_id', 'in', (eb) => departmentsWithin(eb, [departmentId]));
  const scope = f.scopeRootIds;
  if (scope) {
    if (scope.length === 0) return [];
    q = q.where('department_id', 'in', (eb) => departmentsWithin(eb, scope));
  }
  return (await q.orderBy('seq', 'desc').limit(f.limit).execute()) as ChainedEntry[];
}

export async function listCheckpoints(db: Db, before: number | undefined, limit: number) {
  let q = db.selectFrom('audit_checkpoints').selectAll();
  if (before !== undefined) q = q.where('seq', '<', before);
  return q.orderBy('seq', 'desc').limit(limit).execute();
}
