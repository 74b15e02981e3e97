import { sql } from 'kysely';
import type { DatastoreType } from '../../../../contracts/datastore.ts';
import type { QualityRule, RuleResult } from '../../../../contracts/datastore-quality.ts';
import type { Db } from '../../../platform/db.ts';
import { versionTable } from '../table-names.ts';
import {
  type LoadDecisions,
  type ProfiledColumn,
  profileTable,
  type TableProfile,
  VALUE_CHARS,
} from './profile.ts';
import { ruleSuits, violationSql } from './rules.ts';

// A table's profile and its rule results together: row rules are counted in the profile's pass;
// then, only for rules that found something, the first violating rows are read by _id (the primary
// key walks in order and stops at the tenth), and uniqueness gets a grouped pass of its own.

const EXAMPLES = 10;

export interface TableCheck {
  profile: TableProfile;
  rules: RuleResult[];
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
type Example = RuleResult['examples'][number];
const examplesOf = (rows: { id: unknown; value: string | null }[]): Example[] =>
  rows.map((r) => ({ id: Number(r.id), value: r.value }));

/** The first rows breaking a row rule. */
async function violatingRows(db: Db, distributionId: string, version: number, rule: QualityRule) {
  const column = sql.id(rule.column);
  const rows = await sql<{ id: unknown; value: string | null }>`
    select _id as id, left(${column}::text, ${sql.lit(VALUE_CHARS)}) as value
    from ${versionTable(distributionId, version)}
    where ${violationSql(rule, column)}
    order by _id limit ${sql.lit(EXAMPLES)}`.execute(db);
  return examplesOf(rows.rows);
}

/** Rows whose value an earlier row (by _id) already has: how many, and the first of them. */
async function duplicates(db: Db, distributionId: string, version: number, column: string) {
  const c = sql.id(column);
  const result = await sql<{ n: number; examples: { id: unknown; value: string | null }[] | null }>`
    with d as (
      select _id, ${c}::text as value, row_number() over (partition by ${c} order by _id) as seen
      from ${versionTable(distributionId, version)} where ${c} is not null
    )
    select (select count(*) from d where seen > 1) as n,
      (select json_agg(x order by x.id) from (
        select _id as id, left(value, ${sql.lit(VALUE_CHARS)}) as value from d where seen > 1 order by _id limit ${sql.lit(EXAMPLES)}
      ) x) as examples`.execute(db);
  const row = result.rows[0];
  return { violations: Number(row?.n ?? 0), examples: examplesOf(row?.examples ?? []) };
}

/** Profiles the table and checks every rule that still suits its column. */
export async function checkTable(
  db: Db,
  distributionId: string,
  version: number,
  columns: readonly ProfiledColumn[],
  rules: readonly QualityRule[],
  known?: LoadDecisions,
): Promise<TableCheck> {
  const typeOf = new Map<string, DatastoreType>(columns.map((c) => [c.id, c.type]));
  const applicable = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => typeOf.has(rule.column) && ruleSuits(rule, typeOf.get(rule.column)!));
  const profile = await profileTable(db, distributionId, version, columns, applicable, known);
  const results: RuleResult[] = [];
  for (const [index, rule] of rules.entries()) {
    const type = typeOf.get(rule.column);
    if (!type || !ruleSuits(rule, type)) {
      results.push({
        rule,
        status: 'skipped',
        reason: type ? 'type_mismatch' : 'unknown_column',
        checked: 0,
        violations: 0,
        conformity: null,
        examples: [],
      });
      continue;
    }
    const column = profile.columns.find((c) => c.id === rule.column)!;
    const checked = rule.kind === 'not_null' ? profile.rows : column.nonNull;
    let violations = profile.violations.get(index) ?? 0;
    let examples: Example[] = [];
    if (rule.kind === 'unique') {
      ({ violations, examples } = await duplicates(db, distributionId, version, rule.column));
    } else if (violations > 0) {
      examples = await violatingRows(db, distributionId, version, rule);
    }
    results.push({
      rule,
      status: 'checked',
      checked,
      violations,
      conformity: pct(checked - violations, checked),
      examples,
    });
  }
  return { profile, rules: results };
}
