import { type RawBuilder, sql } from 'kysely';
import type { DatastoreType, DictionaryColumn } from '../../../../contracts/datastore.ts';
import type { QualityRule } from '../../../../contracts/datastore-quality.ts';
import type { Db } from '../../../platform/db.ts';
import { invalid } from '../../../platform/errors.ts';
import { phoneValidSql, residentIdValidSql, usccValidSql } from './identifier-sql.ts';

// Column rules: which column types each kind suits, how a rule set is checked before it is stored,
// and the SQL predicate that is true for a violating value. Every value a steward typed — regular
// expressions, bounds, enumerations — is bound as a parameter, never written into the statement.

const NUMBER_TYPES: readonly DatastoreType[] = ['integer', 'bigint', 'numeric'];
const DATE_TYPES: readonly DatastoreType[] = ['date', 'timestamp'];

/** Whether a rule of this kind can judge a column of this type (the others judge its text form). */
export function ruleSuits(rule: QualityRule, type: DatastoreType): boolean {
  if (rule.kind === 'range') return NUMBER_TYPES.includes(type);
  if (rule.kind === 'date_range') return DATE_TYPES.includes(type);
  return true;
}

/** Rules checked in the profile's aggregate pass; `unique` needs a pass of its own. */
export const isRowRule = (rule: QualityRule) => rule.kind !== 'unique';

/**
 * Back-references are the one construct that makes PostgreSQL's regex engine backtrack (everything
 * else runs on its DFA/NFA in time linear in the value), so they are refused outright.
 */
const BACK_REFERENCE = /\\[1-9]/;

/** Checks a rule set against the dictionary and the database's regex parser; throws 400 with field errors. */
export async function validateRules(
  db: Db,
  rules: readonly QualityRule[],
  columns: readonly DictionaryColumn[],
): Promise<void> {
  const fields: { path: string; message: string }[] = [];
  const fail = (i: number, field: string, message: string) =>
    fields.push({ path: `/rules/${i}/${field}`, message });
  const seen = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    const column = columns.find((c) => c.id === rule.column);
    if (!column) {
      fail(i, 'column', 'unknown column');
      continue;
    }
    if (!ruleSuits(rule, column.type))
      fail(i, 'kind', `a ${rule.kind} rule does not suit a ${column.type} column`);
    const key = JSON.stringify(rule);
    if (seen.has(key)) fail(i, 'kind', 'the same rule twice');
    seen.add(key);
    if (rule.kind === 'range' && rule.min === undefined && rule.max === undefined)
      fail(i, 'min', 'a range needs min, max or both');
    if (rule.kind === 'range' && rule.min !== undefined && rule.max !== undefined && rule.min > rule.max)
      fail(i, 'max', 'max is below min');
    if (rule.kind === 'date_range' && !rule.from && !rule.to)
      fail(i, 'from', 'a date range needs from, to or both');
    if (rule.kind === 'date_range' && rule.from && rule.to && rule.from > rule.to)
      fail(i, 'to', 'to is before from');
    if (rule.kind === 'pattern') {
      const problem = await regexProblem(db, rule.regex);
      if (problem) fail(i, 'regex', problem);
    }
  }
  if (fields.length) throw invalid('datastore.invalid_rules', 'Some rules are not valid', { fields });
}

/** Why PostgreSQL would not use this regular expression, or undefined. */
async function regexProblem(db: Db, regex: string): Promise<string | undefined> {
  if (regex.includes('\u0000')) return 'contains NUL';
  if (BACK_REFERENCE.test(regex)) return 'back-references (\\1 … \\9) are not allowed';
  try {
    // Compiling happens on first use: match it against the empty string, the pattern bound.
    await sql`select '' ~ ${regex} as ok`.execute(db);
    return undefined;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    // 2201B invalid_regular_expression; anything else is not the steward's to fix.
    if (e.code !== '2201B') throw err;
    return e.message ?? 'invalid regular expression';
  }
}

const asText = (v: RawBuilder<unknown>) => sql`(${v})::text`;
// Bounds travel as text and are cast in SQL: numeric keeps every digit of a bigint bound.
const numberParam = (n: number) => sql`${String(n)}::numeric`;
const dateParam = (d: string) => sql`${d}::date`;

/** True where the value `v` (a column the rule suits) breaks the rule; NULL and false where it keeps it. */
export function violationSql(rule: QualityRule, v: RawBuilder<unknown>): RawBuilder<boolean> {
  switch (rule.kind) {
    case 'not_null':
      return sql<boolean>`(${v} is null)`;
    case 'pattern':
      return sql<boolean>`not (${asText(v)} ~ ${rule.regex})`;
    case 'range': {
      const parts = [
        ...(rule.min !== undefined ? [sql`${v} < ${numberParam(rule.min)}`] : []),
        ...(rule.max !== undefined ? [sql`${v} > ${numberParam(rule.max)}`] : []),
      ];
      return sql<boolean>`(${sql.join(parts, sql` or `)})`;
    }
    case 'date_range': {
      const parts = [
        ...(rule.from ? [sql`${v} < ${dateParam(rule.from)}`] : []),
        // `to` is a whole day: a timestamp later that day is still inside.
        ...(rule.to ? [sql`${v} >= ${dateParam(rule.to)} + 1`] : []),
      ];
      return sql<boolean>`(${sql.join(parts, sql` or `)})`;
    }
    case 'enum':
      return sql<boolean>`not (${asText(v)} in (${sql.join(rule.values.map((x) => sql`${x}::text`))}))`;
    case 'resident_id':
      return sql<boolean>`not ${residentIdValidSql(asText(v))}`;
    case 'uscc':
      return sql<boolean>`not ${usccValidSql(asText(v))}`;
    case 'phone':
      return sql<boolean>`not ${phoneValidSql(asText(v))}`;
    case 'unique':
      throw new Error('unique rules are checked by their own query');
  }
}
