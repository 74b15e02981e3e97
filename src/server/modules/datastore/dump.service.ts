import { sql } from 'kysely';
import type { DictionaryColumn, DumpFormat } from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { accessSelectList, columnsFor } from './access-views.ts';
import { dictionaryOf } from './datastore.presenter.ts';
import { findVersion } from './datastore.repository.ts';
import { readableTable } from './datastore-access.ts';
import { exactInteger, outputOf } from './query.service.ts';
import { delimitedField, toDelimited } from './records-format.ts';
import { versionTable } from './table-names.ts';
import { writeXlsx, type XlsxColumn } from './xlsx-dump.ts';

// /datastore/dump/{id}: a whole table (the current or a kept version) as CSV, TSV, JSON or XLSX,
// streamed in pages by _id so memory stays bounded whatever the size, masked for the caller's class.

const PAGE = 5000;

export interface Dump {
  filename: string;
  mediaType: string;
  body: AsyncIterable<string | Buffer>;
}

const MEDIA: Record<DumpFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Opens a dump of a table for the actor (recorded in the audit log when it shows personal data in clear). */
export async function openDump(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
  options: { format?: DumpFormat | undefined; version?: number | undefined; bom?: string | undefined },
  meta?: RequestMeta,
): Promise<Dump> {
  const { scope, table, cls } = await readableTable(ctx.db, actor, distributionId);
  const format = options.format ?? 'csv';
  let columns = dictionaryOf(table.columns);
  let version = table.current_version;
  if (options.version !== undefined && options.version !== version) {
    const kept = await findVersion(ctx.db, distributionId, options.version);
    if (!kept?.kept) throw notFound('datastore.version_not_found', 'Kept version');
    version = kept.version;
    columns = kept.columns as DictionaryColumn[];
  }
  const visible = columnsFor(cls, columns);
  const personalInClear = visible.some((v) => v.column.sensitivity !== 'public' && v.access === 'clear');
  if (personalInClear) {
    await auditAction(ctx.db, actor, meta, {
      action: 'datastore.dump',
      target: { type: 'distribution', id: distributionId },
      departmentId: scope.departmentId,
      details: {
        version,
        format,
        columns: visible.filter((v) => v.access === 'clear').map((v) => v.column.id),
      },
    });
  }
  const ids = visible.map((v) => v.column.id);
  const types = visible.map((v) => v.column.type);
  const source = versionTable(distributionId, version);
  const selectList = accessSelectList(cls, columns);
  const output = sql.join(ids.map((id, i) => outputOf(id, types[i] as DictionaryColumn['type'])));
  async function* pages(): AsyncIterable<Record<string, unknown>[]> {
    let after = -1;
    for (;;) {
      const page = await sql<Record<string, unknown>>`
        select _id, ${output} from (select ${selectList} from ${source}) t
        where _id > ${after} order by _id limit ${PAGE}`.execute(ctx.db);
      if (page.rows.length === 0) return;
      yield page.rows;
      after = Number(page.rows[page.rows.length - 1]?._id);
      if (page.rows.length < PAGE) return;
    }
  }
  const base = `${scope.datasetName}-${scope.distribution.name.replace(/\.[a-z0-9]+$/i, '')}${options.version ? `-v${version}` : ''}`;
  return {
    filename: `${base}.${format}`,
    mediaType: MEDIA[format],
    body: bodyOf(
      format,
      bomOf(format, options.bom),
      pages(),
      visible.map((v) => ({
        id: v.column.id,
        label: v.column.label,
        type: v.column.type,
        masked: v.access !== 'clear',
      })),
    ),
  };
}

/** Whether a CSV/TSV dump starts with a BOM: CKAN's `bom`; without it CSV has one (Excel reads UTF-8 by it). */
function bomOf(format: DumpFormat, bom: string | undefined): boolean {
  if (bom === undefined) return format === 'csv';
  return ['true', '1', 'yes'].includes(bom.toLowerCase());
}

async function* bodyOf(
  format: DumpFormat,
  bom: boolean,
  pages: AsyncIterable<Record<string, unknown>[]>,
  columns: XlsxColumn[],
): AsyncIterable<string | Buffer> {
  if (format === 'xlsx') {
    yield* writeXlsx(pages, columns);
    return;
  }
  const ids = columns.map((c) => c.id);
  if (format === 'json') {
    yield '[';
    let first = true;
    const bigints = new Set(columns.filter((c) => c.type === 'bigint' && !c.masked).map((c) => c.id));
    for await (const rows of pages) {
      let chunk = '';
      for (const row of rows) {
        const record: Record<string, unknown> = {};
        for (const id of ids)
          record[id] = bigints.has(id) ? exactInteger(row[id] ?? null) : (row[id] ?? null);
        chunk += (first ? '\n' : ',\n') + JSON.stringify(record);
        first = false;
      }
      yield chunk;
    }
    yield '\n]\n';
    return;
  }
  const delimiter = format === 'tsv' ? '\t' : ',';
  yield `${bom ? '\ufeff' : ''}${ids.map((id) => delimitedField(id, delimiter)).join(delimiter)}${format === 'csv' ? '\r\n' : '\n'}`;
  for await (const rows of pages) yield toDelimited(rows, ids, delimiter);
}
