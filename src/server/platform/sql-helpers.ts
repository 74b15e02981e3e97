import { createHash } from 'node:crypto';
import { type Compilable, CompiledQuery, type ExpressionBuilder, type RawBuilder, sql } from 'kysely';
import { type Db, poolOf } from './db.ts';

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
  let statement: { name: string; text: string } | undefined;
  return async (db: Db, values: readonly unknown[]): Promise<Row[]> => {
    if (statement === undefined) {
      const compiled = build(db).compile();
      if (compiled.parameters.length > 0)
        throw new Error('compiledOnce: the statement binds values of its own');
      statement = { name: statementName(compiled.sql), text: compiled.sql };
    }
    return runNamed<Row>(db, statement.name, statement.text, values);
  };
}

/** A prepared statement's name derived from its text (one text, one name, on every connection). */
export const statementName = (text: string): string =>
  `cvq_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;

/**
 * Runs a statement; on PostgreSQL's pool (poolOf) as a named prepared statement, which each
 * connection parses and plans once instead of at every call (for wide joins, planning costs more
 * than running them). Inside a transaction or on PGlite, as a plain statement.
 */
export async function runNamed<Row>(
  db: Db,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<Row[]> {
  const pool = poolOf(db);
  if (pool) {
    try {
      return (await pool.query({ name, text, values: [...values] })).rows as Row[];
    } catch (err) {
      // A table whose columns changed type since this connection prepared the statement: its cached
      // plan no longer fits (SQLSTATE 0A000); run it as a plain statement this time.
      if ((err as { code?: string }).code !== '0A000') throw err;
    }
  }
  return (await db.executeQuery<Row>(CompiledQuery.raw(text, [...values]))).rows;
}
