import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import { copyIn } from '../../../platform/copy-in.ts';
import { qualified, quoteIdent, STAGING_SCHEMA, stagingTable } from '../table-names.ts';
import { castExpression, jitOff, pgTypeOf } from '../types/index.ts';
import { type CopiedPart, type Deferred, encodePart, type TypedColumnPlan } from './encode-part.ts';
import { partsProgress } from './parts.ts';
import type { ScanShape } from './record-scan.ts';
import { connectionOf, runAllInWorkers } from './workers.ts';

// Pass two of a typed load: the file read again and every row written as binary COPY into a table
// of the decided types, so PostgreSQL only stores (no text parsing, no casts). Values of shapes the
// encoder leaves to PostgreSQL (exponents, rare date forms…) go in as NULL and are set afterwards by
// the load's own SQL cast, which pass one's classification guarantees will accept them. The table is
// built in the staging schema under the load's staging name: a load that fails or a process that
// dies leaves it where the staging table's cleanup drops it.

/** The COPY statement of the load's typed table. */
function copySqlOf(loadId: string, columns: readonly TypedColumnPlan[]): string {
  const names = ['_id', ...columns.map((c) => c.id)].map(quoteIdent).join(', ');
  return `COPY ${qualified(STAGING_SCHEMA, loadId)} (${names}) FROM {source} WITH (FORMAT binary)`;
}

/** How a copy goes: cancel, progress, and whether it also counts and checks every value (the one pass). */
export interface CopyOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((bytes: number, rows: number) => void) | undefined;
  check?: boolean | undefined;
}

/**
 * Creates the load's typed table (`_id` = the file's record number, then `columns`) in the staging
 * schema and fills it from `file` — one part per thread, each over its own connection, given the
 * records before each part — then sets the values left to the SQL cast. Returns what each part
 * did. Throws ScanRefused if the file does not read as COPY would (or no longer as pass one read
 * it), and GuessMissed (when checking) if a value does not have its column's type.
 */
export async function copyTypedTable(
  ctx: AppContext,
  loadId: string,
  file: string,
  parts: readonly { shape: ScanShape; rowsBefore: number; countFrom?: number }[],
  columns: readonly TypedColumnPlan[],
  nullTokens: readonly string[],
  options: CopyOptions = {},
): Promise<CopiedPart[]> {
  const table = stagingTable(loadId);
  await sql`drop table if exists ${table}`.execute(ctx.db);
  const definitions = columns.map((c) => sql`${sql.id(c.id)} ${sql.raw(pgTypeOf(c.type))}`);
  await sql`create table ${table} (_id bigint not null, ${sql.join(definitions)})`.execute(ctx.db);
  const copySql = copySqlOf(loadId, columns);
  const tasks = parts.map((p) => ({
    file,
    shape: p.shape,
    rowsBefore: p.rowsBefore,
    ...(p.countFrom !== undefined ? { countFrom: p.countFrom } : {}),
    columns,
    nullTokens,
    copySql,
    ...(options.check ? { check: true } : {}),
  }));
  const progress = partsProgress(
    parts.map((p) => p.shape),
    options.onProgress,
  );
  let copied: CopiedPart[];
  if (tasks.length === 1 || !ctx.database.pool) {
    copied = [];
    for (const [k, task] of tasks.entries()) {
      const encoded = encodePart(task, options.signal, (bytes, rows) => progress(k, bytes, rows));
      const rows = await copyIn(
        ctx.database,
        task.copySql,
        encoded.rows,
        options.signal ? { signal: options.signal } : {},
      );
      copied.push(encoded.result(rows));
    }
  } else {
    const connection = connectionOf(ctx);
    copied = await runAllInWorkers<CopiedPart>(
      tasks.map((task) => ({ kind: 'copy', task, connection })),
      options.signal,
      progress,
    );
  }
  const deferred = columns.map((_, j) => ({
    ids: copied.flatMap((c) => c.deferred[j]!.ids),
    values: copied.flatMap((c) => c.deferred[j]!.values),
  }));
  await setDeferred(ctx, table, columns, deferred, nullTokens);
  return copied;
}

/** The values pass two left to PostgreSQL, cast as the staging path casts them. */
async function setDeferred(
  ctx: AppContext,
  table: ReturnType<typeof stagingTable>,
  columns: readonly TypedColumnPlan[],
  deferred: readonly Deferred[],
  nullTokens: readonly string[],
): Promise<void> {
  if (deferred.every((d) => d.ids.length === 0)) return;
  await ctx.db.transaction().execute(async (trx) => {
    await jitOff().execute(trx);
    // 2023/5/21 is year-first whatever the server's DateStyle says (as in the build).
    await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
    for (const [j, d] of deferred.entries()) {
      if (d.ids.length === 0) continue;
      const column = columns[j]!;
      const value = castExpression(sql.ref('d.value'), column.type, nullTokens);
      await sql`update ${table} t set ${sql.id(column.id)} = ${value}
        from unnest(${d.ids}::bigint[], ${d.values}::text[]) as d(_id, value)
        where t._id = d._id`.execute(trx);
    }
  });
}
