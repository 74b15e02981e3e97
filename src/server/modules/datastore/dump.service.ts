import { sql } from 'kysely';
import type { DatastoreType, DictionaryColumn, DumpFormat } from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { poolOf } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { accessSelectList, columnsFor } from './access-views.ts';
import { dictionaryOf } from './datastore.presenter.ts';
import { findVersion } from './datastore.repository.ts';
import { readableTable } from './datastore-access.ts';
import { copyDumpRows } from './dump-copy.ts';
import { dumpPages } from './dump-pages.ts';
import { exactInteger } from './query.service.ts';
import { delimitedField, toDelimited } from './records-format.ts';
import { checkSearch, type SearchParams } from './search-params.ts';
import { versionTable } from './table-names.ts';
import { writeXlsx, type XlsxColumn } from './xlsx-dump.ts';

// /datastore/dump/{id}: a table (the current or a kept version) as CSV, TSV, JSON or XLSX, masked
// for the caller's class, streamed in pages so memory stays bounded whatever the size (CSV and TSV
// on PostgreSQL by one COPY, in the same bytes, while a slot is free: dump-copy.ts). As CKAN's
// dump, it takes datastore_search's filters, q, fields, sort, offset and limit (checked by the same
// code against the same visible columns); without limit it holds every matching row.

export interface Dump {
  filename: string;
  mediaType: string;
  body: AsyncIterable<string | Buffer>;
}

export interface DumpOptions {
  format?: DumpFormat | undefined;
  version?: number | undefined;
  bom?: string | undefined;
  /** datastore_search's parameters; `limit` counts the rows of the whole dump (no 32,000 cap). */
  search?: Omit<SearchParams, 'resource_id'> | undefined;
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
  options: DumpOptions,
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
  const search = options.search ?? {};
  // Names and values are checked against what this caller sees, as datastore_search checks them.
  const checked = checkSearch(
    { ...search, resource_id: distributionId },
    visible.map((v) => v.column),
  );
  // Without `fields`, the table's columns without _id, as the dump always gave them.
  const c = search.fields === undefined ? { ...checked, fields: checked.fields.slice(1) } : checked;
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
        ...searchDetails(search),
      },
    });
  }
  // The table of the version through the caller's masking, so kept versions (which have no access
  // views) are masked exactly as the current one.
  const relation = sql`(select ${accessSelectList(cls, columns)} from ${versionTable(distributionId, version)})`;
  const dumpColumns = c.fields.map((f) => {
    const v = visible.find((x) => x.column.id === f.id);
    return {
      id: f.id,
      label: v?.column.label ?? f.id,
      type: (f.type === 'int8' ? 'bigint' : f.type) as DatastoreType,
      masked: v ? v.access !== 'clear' : false,
    };
  });
  // CSV and TSV on PostgreSQL by COPY when a slot is free (dump-copy.ts), else in pages.
  const pool = format === 'csv' || format === 'tsv' ? poolOf(ctx.db) : undefined;
  const copied =
    pool && (format === 'csv' || format === 'tsv')
      ? await copyDumpRows(
          ctx.db,
          pool,
          relation,
          c,
          search.limit,
          dumpColumns.map((d) => ({ id: d.id, type: d.type, textual: d.type === 'text' || d.masked })),
          format,
        )
      : undefined;
  const source = copied ? { copied } : await dumpPages(ctx.db, relation, c, search.limit);
  const base = `${scope.datasetName}-${scope.distribution.name.replace(/\.[a-z0-9]+$/i, '')}${options.version ? `-v${version}` : ''}`;
  return {
    filename: `${base}.${format}`,
    mediaType: MEDIA[format],
    body: bodyOf(format, bomOf(format, options.bom), source, dumpColumns),
  };
}

/** What a dump was asked to select, for its audit entry (only the parameters given). */
function searchDetails(search: Omit<SearchParams, 'resource_id'>): Record<string, unknown> {
  const { filters, q, fields, sort, offset, limit } = search;
  return Object.fromEntries(
    Object.entries({ filters, q, fields, sort, offset, limit }).filter(([, v]) => v !== undefined),
  );
}

/** Whether a CSV/TSV dump starts with a BOM: CKAN's `bom`; without it CSV has one (Excel reads UTF-8 by it). */
function bomOf(format: DumpFormat, bom: string | undefined): boolean {
  if (bom === undefined) return format === 'csv';
  return ['true', '1', 'yes'].includes(bom.toLowerCase());
}

async function* bodyOf(
  format: DumpFormat,
  bom: boolean,
  source: AsyncIterable<Record<string, unknown>[]> | { copied: AsyncIterable<Buffer> },
  columns: XlsxColumn[],
): AsyncIterable<string | Buffer> {
  const ids = columns.map((c) => c.id);
  const delimiter = format === 'tsv' ? '\t' : ',';
  const header = () =>
    `${bom ? '\ufeff' : ''}${ids.map((id) => delimitedField(id, delimiter)).join(delimiter)}${format === 'csv' ? '\r\n' : '\n'}`;
  if ('copied' in source) {
    // Rows already formatted by COPY (dump-copy.ts).
    yield header();
    yield* source.copied;
    return;
  }
  const pages = source;
  if (format === 'xlsx') {
    yield* writeXlsx(pages, columns);
    return;
  }
  if (format === 'json') {
    yield '[';
    let first = true;
    const bigints = columns.filter((c) => c.type === 'bigint' && !c.masked).map((c) => c.id);
    // The page's rows hold the columns in the dump's order (dumpPages selects them so), and _id
    // first when it was not asked for: undefined, JSON leaves it out. Stringifying the row itself
    // is twice as fast as building a record of the columns for each row.
    const hideId = !ids.includes('_id');
    for await (const rows of pages) {
      let chunk = '';
      for (const row of rows) {
        if (hideId) row._id = undefined;
        for (const id of bigints) row[id] = exactInteger(row[id]);
        chunk += (first ? '\n' : ',\n') + JSON.stringify(row);
        first = false;
      }
      yield chunk;
    }
    yield '\n]\n';
    return;
  }
  yield header();
  for await (const rows of pages) yield toDelimited(rows, ids, delimiter);
}
