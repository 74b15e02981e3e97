import { type Compilable, CompiledQuery, type ExpressionBuilder, type RawBuilder, sql } from 'kysely';
import type { Db } from './db.ts';

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

/** `$1`, `$2` …: a positional parameter in a statement compiled once (compiledOnce). */
export const positional = (n: number): RawBuilder<unknown> => sql.raw(`$${n}`);

/**
 * A statement built and compiled at its first run, then run with new values each time: for wide
 * selects on hot paths, where Kysely's building and compiling cost more than the query itself. The
 * statement binds nothing but the positional parameters it names (positional(1) …), checked once.
 */
export function compiledOnce<Row>(build: (db: Db) => Compilable<Row>) {
  let text: string | undefined;
  return async (db: Db, values: readonly unknown[]): Promise<Row[]> => {
    if (text === undefined) {
      const compiled = build(db).compile();
      if (compiled.parameters.length > 0)
        throw new Error('compiledOnce: the statement binds values of its own');
      text = compiled.sql;
    }
    return (await db.executeQuery<Row>(CompiledQuery.raw(text, [...values]))).rows;
  };
}
