import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import { AppError } from '../../../platform/errors.ts';

export interface SearchSqlField {
  id: string;
  /** PostgreSQL type name as CKAN reports it (pg_type.typname): int4, int8, numeric, text, date, timestamp, bool, _text… */
  type: string;
}

export interface SearchSqlResult {
  fields: SearchSqlField[];
  records: Record<string, unknown>[];
  /** True when the statement had more than maxRows rows and only the first maxRows are returned. */
  truncated: boolean;
}

export interface RunSearchSqlOptions {
  timeoutMs: number;
  maxRows: number;
  /**
   * Highest planner cost estimate to start. The embedded engine (PGlite) cannot interrupt a running
   * statement — it has no timer signal — so there it defaults to timeoutMs × COST_PER_MS; on
   * PostgreSQL the statement timeout does the job and no ceiling applies unless one is given.
   */
  maxCost?: number;
}

// Measured on PGlite on the reference 2-core machine: 70–150 planner cost units per millisecond.
// The lower figure keeps the estimate on the safe side of the timeout.
const COST_PER_MS = 50;

/** Runs a statement from guardSearchSql read-only, time-boxed and row-capped; returns CKAN-shaped fields and records. */
export async function runSearchSql(
  db: Db,
  guarded: { sql: string },
  opts: RunSearchSqlOptions,
): Promise<SearchSqlResult> {
  const started = Date.now();
  let embedded = false;
  let result: SearchSqlResult;
  try {
    result = await db.transaction().execute(async (trx) => {
      await sql`SET TRANSACTION READ ONLY`.execute(trx);
      // pg_temp last: unqualified names never reach a temporary table, and the checked statement only
      // carries qualified ones anyway.
      const settings = await sql<{ version: string }>`
        SELECT set_config('statement_timeout', ${`${Math.max(1, Math.floor(opts.timeoutMs))}`}, true),
               set_config('search_path', 'pg_catalog, pg_temp', true),
               version() AS version`.execute(trx);
      embedded = settings.rows[0]?.version.includes('PGlite') ?? false;

      const names = await columnNames(trx, guarded.sql);
      const rowLimit = Math.max(0, Math.floor(opts.maxRows)) + 1;
      const source = `(\n${guarded.sql}\n) AS q${names.length > 0 ? `(${names.map((_, i) => `c${i + 1}`).join(', ')})` : ''}`;

      const maxCost = opts.maxCost ?? (embedded ? opts.timeoutMs * COST_PER_MS : undefined);
      if (maxCost !== undefined) await checkCost(trx, `SELECT * FROM ${source} LIMIT ${rowLimit}`, maxCost);

      const types = names.length > 0 ? await columnTypes(trx, source, names.length) : [];
      const result = await sql
        .raw<{ j: string }>(
          `SELECT to_json(r)::text AS j FROM (SELECT ${exactList(types)} FROM ${source} LIMIT ${rowLimit}) AS r`,
        )
        .execute(trx);

      const rows = result.rows.slice(0, rowLimit - 1);
      const records = rows.map((row) => {
        const values = JSON.parse(row.j, keepBigIntegers) as Record<string, unknown>;
        const record: Record<string, unknown> = {};
        names.forEach((name, i) => {
          record[name] = values[`c${i + 1}`];
        });
        return record;
      });
      return {
        fields: names.map((id, i) => ({ id, type: types[i] ?? 'unknown' })),
        records,
        truncated: result.rows.length > rows.length,
      };
    });
  } catch (err) {
    throw translate(err, opts.timeoutMs);
  }
  // PGlite ignores statement_timeout; a statement that ran long anyway still answers as a timeout so
  // both engines keep one contract (the server was blocked meanwhile: see maxCost).
  if (embedded && Date.now() - started > opts.timeoutMs) throw timeout(opts.timeoutMs, 'elapsed');
  return result;
}

// Output column names in order, duplicates included (json keeps them; a JS row object would not).
// Without a row to serialise there would be no names, so an outer join supplies one all-NULL row, and
// LIMIT 0 means the statement itself is only planned, never executed.
async function columnNames(trx: Db, statement: string): Promise<string[]> {
  const result = await sql
    .raw<{ name: string }>(
      `SELECT k.key AS name
         FROM (SELECT q.* FROM (SELECT 1) AS d LEFT JOIN (SELECT * FROM (\n${statement}\n) AS q0 LIMIT 0) AS q ON true) AS r
        CROSS JOIN LATERAL json_each(to_json(r)) WITH ORDINALITY AS k(key, value, ord)
        ORDER BY k.ord`,
    )
    .execute(trx);
  return result.rows.map((row) => row.name);
}

// pg_typeof of the all-NULL row gives each column's declared type; columns are renamed c1…cN first so
// duplicate names stay addressable.
async function columnTypes(trx: Db, source: string, count: number): Promise<string[]> {
  const typeofs = Array.from({ length: count }, (_, i) => `pg_typeof(r.c${i + 1})`).join(', ');
  const result = await sql
    .raw<{ typname: string }>(
      `SELECT t.typname
         FROM (SELECT 1) AS d LEFT JOIN (SELECT * FROM ${source} LIMIT 0) AS r ON true
        CROSS JOIN LATERAL unnest(ARRAY[${typeofs}]::pg_catalog.oid[]) WITH ORDINALITY AS u(oid, ord)
         JOIN pg_catalog.pg_type AS t ON t.oid = u.oid
        ORDER BY u.ord`,
    )
    .execute(trx);
  return result.rows.map((row) => row.typname);
}

// numeric leaves as its exact text, as datastore_search gives it ("1234.50"): to_json would write a
// JSON number, which a client reads as a double (12345678901234567890.10 → 12345678901234567000).
function exactList(types: readonly string[]): string {
  if (types.length === 0) return '*';
  return types
    .map((type, i) => {
      const c = `c${i + 1}`;
      if (type === 'numeric') return `${c}::text AS ${c}`;
      if (type === '_numeric') return `${c}::text[] AS ${c}`;
      return c;
    })
    .join(', ');
}

async function checkCost(trx: Db, statement: string, maxCost: number): Promise<void> {
  const result = await sql.raw<{ plan: unknown }>(`EXPLAIN (FORMAT JSON) ${statement}`).execute(trx);
  const raw = Object.values(result.rows[0] ?? {})[0];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Total Cost'?: number } }[];
  const cost = plan[0]?.Plan?.['Total Cost'] ?? 0;
  if (cost > maxCost) {
    throw new AppError(
      'datastore.sql_timeout',
      409,
      'The query would take too long; filter or aggregate more before asking for it',
      { reason: 'cost_estimate', cost: Math.round(cost), maxCost },
    );
  }
}

// to_json writes bigint as a JSON number; integers past 2^53 stay exact as strings.
function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    context?.source &&
    /^-?\d+$/.test(context.source)
  ) {
    return context.source;
  }
  return value;
}

const timeout = (timeoutMs: number, reason: string) =>
  new AppError('datastore.sql_timeout', 409, `The query took longer than ${timeoutMs} ms and was stopped`, {
    reason,
    timeoutMs,
  });

// SQLSTATE classes: 57014 query_canceled (the timeout), 25006 read_only_sql_transaction, 42501
// insufficient_privilege; 42 (names, types), 22 (data), 21 (cardinality) and 54 (limits) are the
// caller's mistakes and answer as validation errors, as CKAN's do. Everything else is ours: rethrown.
function translate(err: unknown, timeoutMs: number): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  const message = (err as Error).message;
  if (code === '57014') return timeout(timeoutMs, 'statement_timeout');
  if (code === '25006' || code === '42501') {
    return new AppError(
      'datastore.sql_not_allowed',
      403,
      'The query tried to change or read beyond its data',
      {
        reason: code === '25006' ? 'read_only' : 'permission',
      },
    );
  }
  if (/^(42|22|21|54)/.test(code)) {
    return new AppError('datastore.sql_invalid', 409, `The query failed: ${message}`, {
      reason: 'database',
      sqlstate: code,
    });
  }
  return err;
}
