import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type CkanAction, requireParam } from '../catalog/index.ts';
import { relationTextFor } from './access-views.ts';
import { readableTable } from './datastore-access.ts';
import { guardSearchSql, loadSqlParser, runSearchSql } from './sql/index.ts';

// datastore_search_sql: one SELECT over the tables the caller may read, each replaced by the view of
// the caller's class of reader (masking applied), run read-only with a statement timeout.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows a datastore_search_sql answer carries at most (CKAN's ckan.datastore.search.rows_max). */
export const SQL_MAX_ROWS = 32_000;

/** Runs a caller's SQL: the first pass finds the tables it names, the second rewrites them to the caller's views. */
export async function searchSql(ctx: AppContext, actor: Actor | undefined, text: string) {
  await loadSqlParser();
  const named = guardSearchSql(text, (name: string) =>
    UUID.test(name) ? `"datastore"."${name}"` : undefined,
  );
  const relations = new Map<string, string>();
  for (const name of named.tables) {
    const { cls } = await readableTable(ctx.db, actor, name.toLowerCase()).catch((err) => {
      // A table the caller may not read is refused like one that does not exist: no probing.
      if (err instanceof AppError && (err.status === 404 || err.status === 401 || err.status === 403)) {
        throw new AppError('datastore.sql_not_allowed', 403, `Not authorised to read resource ${name}`, {
          reason: 'table_not_allowed',
          table: name,
        });
      }
      throw err;
    });
    relations.set(name, relationTextFor(name.toLowerCase(), cls));
  }
  const guarded = guardSearchSql(text, (name: string) => relations.get(name));
  const result = await runSearchSql(ctx.db, guarded, {
    timeoutMs: ctx.config.datastoreSqlTimeoutMs,
    maxRows: SQL_MAX_ROWS,
  });
  // CKAN's name for the cut, present only when there was one.
  return result.truncated ? { ...result, records_truncated: true } : result;
}

export const searchSqlAction: CkanAction = {
  sideEffectFree: true,
  doc: 'Execute one SQL SELECT over DataStore resources (tables named by resource id, e.g. SELECT * FROM "<resource id>").\n\n:param sql: a single SELECT statement',
  run: (call) => searchSql(call.ctx, call.actor, requireParam(call.data, 'sql')),
};
