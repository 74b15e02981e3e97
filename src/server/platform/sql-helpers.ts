import { type ExpressionBuilder, type RawBuilder, sql } from 'kysely';

/** SQL condition: the department path in `column` lies in the subtree of one of `rootIds` (the roots included). */
export function pathWithinSql(column: string, rootIds: readonly string[]): RawBuilder<boolean> {
  if (rootIds.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    rootIds.map((id) => sql`('/' || ${sql.ref(column)} || '/') like ${`%/${id}/%`}`),
    sql` or `,
  )})`;
}

/** pathWithinSql for Kysely's expression builders (`.where((eb) => pathWithin(eb, 'd.path', roots))`). */
export function pathWithin<DB, TB extends keyof DB>(
  _eb: ExpressionBuilder<DB, TB>,
  column: string,
  rootIds: readonly string[],
) {
  return pathWithinSql(column, rootIds);
}
