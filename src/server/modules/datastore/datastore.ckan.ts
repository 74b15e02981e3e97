import type { DatastoreType } from '../../../contracts/datastore.ts';
import { AppError } from '../../platform/errors.ts';
import { type CkanAction, type CkanData, requireParam } from '../catalog/index.ts';
import { getDatastoreInfo } from './load.service.ts';
import { CKAN_TYPES, searchDatastore } from './query.service.ts';
import type { SearchParams } from './search-params.ts';
import { searchSqlAction } from './search-sql.service.ts';

// CKAN's DataStore actions on the same /api/3/action endpoint as the catalog's: datastore_search,
// datastore_search_sql and datastore_info, with CKAN's parameters and result shapes. The search
// parameters are read here for the REST rows and dump routes too.

/**
 * A parameter that cannot be read: an AppError (not a CKAN one) so that the REST routes answer it
 * as a 409 too; the CKAN envelope turns it into the same Validation Error naming the field.
 */
const paramInvalid = (key: string, problem: string, message = `${problem}: ${key}`) =>
  new AppError('datastore.invalid_search', 409, message, { fields: [{ path: key, message: problem }] });

/** A parameter that GET sends as JSON text and POST as JSON. */
function jsonParam(data: CkanData, key: string): unknown {
  const value = data[key];
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return value;
  try {
    return JSON.parse(text);
  } catch {
    throw paramInvalid(key, 'Cannot parse JSON');
  }
}

function intOf(data: CkanData, key: string): number | undefined {
  const v = data[key];
  if (v === undefined || v === null || v === '') return undefined;
  const text = String(v).trim();
  if (!/^-?\d+$/.test(text)) throw paramInvalid(key, 'Invalid integer');
  return Number(text);
}

function boolOf(data: CkanData, key: string): boolean | undefined {
  const v = data[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  const text = String(v).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw paramInvalid(key, 'Invalid boolean');
}

function objectOf(data: CkanData, key: string): Record<string, unknown> | undefined {
  const v = jsonParam(data, key);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw paramInvalid(key, 'Not a JSON object');
  }
  return v as Record<string, unknown>;
}

/** CKAN's datastore_search parameters read from a call. */
export function searchParamsOf(data: CkanData): SearchParams {
  const q = jsonParam(data, 'q');
  const fields = jsonParam(data, 'fields');
  if (q !== undefined && typeof q !== 'string' && (typeof q !== 'object' || q === null || Array.isArray(q))) {
    throw paramInvalid('q', 'Must be text or a JSON object', 'The request is not valid');
  }
  if (fields !== undefined && typeof fields !== 'string' && !Array.isArray(fields)) {
    throw paramInvalid('fields', 'Must be a list of field names', 'The request is not valid');
  }
  const format = data.records_format;
  const sort = jsonParam(data, 'sort');
  if (
    sort !== undefined &&
    typeof sort !== 'string' &&
    !(Array.isArray(sort) && sort.every((s) => typeof s === 'string'))
  ) {
    throw paramInvalid('sort', 'Must be text or a list of text', 'The request is not valid');
  }
  return {
    // CKAN renames `id` to `resource_id` before validating.
    resource_id: requireParam(
      data.resource_id === undefined && data.id !== undefined ? { ...data, resource_id: data.id } : data,
      'resource_id',
    ),
    filters: objectOf(data, 'filters'),
    q: q as SearchParams['q'],
    fields: fields as SearchParams['fields'],
    sort: Array.isArray(sort) ? sort.join(',') : (sort as string | undefined),
    limit: intOf(data, 'limit'),
    offset: intOf(data, 'offset'),
    distinct: boolOf(data, 'distinct'),
    include_total: boolOf(data, 'include_total'),
    records_format: typeof format === 'string' ? (format as SearchParams['records_format']) : undefined,
    total_estimation_threshold: intOf(data, 'total_estimation_threshold'),
  };
}

/**
 * The dump's search (CKAN's dump_schema): filters, q, fields, sort, offset and limit read exactly as
 * datastore_search reads them. `plain` and `language` are accepted and ignored, as by our
 * datastore_search: q is a substring match here, with no text-search syntax or language to choose.
 */
export function dumpSearchOf(resourceId: string, query: CkanData): SearchParams {
  const { filters, q, fields, sort, offset, limit } = query;
  return searchParamsOf({ resource_id: resourceId, filters, q, fields, sort, offset, limit });
}

const datastoreSearch: CkanAction = {
  sideEffectFree: true,
  doc: 'Search a DataStore resource.\n\n:param resource_id: id of the resource\n:param filters: {field: value or [values]}\n:param q: full-text query, or {field: text}\n:param fields: fields to return\n:param sort: "field asc, field2 desc"\n:param limit: at most 32000 (default 100)\n:param offset: rows to skip\n:param distinct: distinct rows only\n:param include_total: count the matching rows (default true)\n:param records_format: objects, lists, csv or tsv\n:param total_estimation_threshold: above this many matching rows (as estimated) the total is the estimate',
  run: (call) => searchDatastore(call.ctx, call.actor, searchParamsOf(call.data)),
};

const datastoreInfo: CkanAction = {
  sideEffectFree: true,
  doc: 'Return the columns, types and size of a DataStore resource.\n\n:param id: id of the resource',
  async run(call) {
    const id =
      typeof call.data.resource_id === 'string' ? call.data.resource_id : requireParam(call.data, 'id');
    const info = await getDatastoreInfo(call.ctx, call.actor, id);
    return {
      meta: { count: info.rows, version: info.currentVersion, id, aliases: [] },
      // As datastore_search's fields (pg_type names: int4, bool…); schema.native_type is PostgreSQL's
      // format_type (integer, timestamp without time zone…), as CKAN's.
      fields: info.columns.map((c) => ({
        id: c.id,
        type: CKAN_TYPES[c.type],
        schema: { native_type: NATIVE_TYPES[c.type] },
        info: {
          label: c.label,
          ...(c.labelEn ? { label_en: c.labelEn } : {}),
          ...(c.description ? { notes: c.description } : {}),
          ...(c.unit ? { unit: c.unit } : {}),
          sensitivity: c.sensitivity,
        },
      })),
    };
  },
};

const NATIVE_TYPES: Record<DatastoreType, string> = {
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp without time zone',
  time: 'time without time zone',
  text: 'text',
};

export const DATASTORE_CKAN_ACTIONS: Record<string, CkanAction> = {
  datastore_search: datastoreSearch,
  datastore_search_sql: searchSqlAction,
  datastore_info: datastoreInfo,
};
