import type { DatastoreType, DictionaryColumn } from '../../../contracts/datastore.ts';
import { AppError } from '../../platform/errors.ts';
import { FALSE_WORDS, TRUE_WORDS } from './types/index.ts';

// The parameters of datastore_search, checked against the columns the caller can see: every name
// must be a visible column, every filter value must fit its column's type, sort is `col [asc|desc]`
// separated by commas. Anything else is a clear 409 naming the field, as CKAN's Validation Error.

export const MAX_LIMIT = 32_000;
export const DEFAULT_LIMIT = 100;

export type RecordsFormat = 'objects' | 'lists' | 'csv' | 'tsv';

export interface SearchParams {
  resource_id: string;
  filters?: Record<string, unknown> | undefined;
  q?: string | Record<string, unknown> | undefined;
  fields?: string[] | string | undefined;
  sort?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  distinct?: boolean | undefined;
  include_total?: boolean | undefined;
  records_format?: RecordsFormat | undefined;
  /** Above this many (estimated) matching rows the total is the planner's estimate (CKAN's parameter). */
  total_estimation_threshold?: number | undefined;
}

export interface CheckedSearch {
  fields: { id: string; type: DatastoreType | 'int8' }[];
  filters: { id: string; type: DatastoreType | 'int8'; values: string[] }[];
  q: { id: string | null; text: string }[];
  /** What a whole-row q searches: every visible column, whatever `fields` returns (CKAN's _full_text). */
  searchable: { id: string; type: DatastoreType | 'int8' }[];
  sort: { id: string; desc: boolean; nulls?: 'first' | 'last' | undefined }[];
  limit: number;
  offset: number;
  distinct: boolean;
  includeTotal: boolean;
  recordsFormat: RecordsFormat;
  estimationThreshold: number | null;
}

export const searchInvalid = (field: string, message: string) =>
  new AppError('datastore.invalid_search', 409, message, { fields: [{ path: field, message }] });

const SORT_PART = /^\s*("(?:[^"]|"")+"|[^\s,"]+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;
const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name);

/** Checks the parameters against the visible columns (`_id` always included). */
export function checkSearch(params: SearchParams, visible: readonly DictionaryColumn[]): CheckedSearch {
  const columns = new Map<string, DatastoreType | 'int8'>([['_id', 'int8']]);
  for (const c of visible) columns.set(c.id, c.type);
  const known = (field: string, id: string) => {
    const type = columns.get(id);
    if (!type) throw searchInvalid(field, `Unknown field "${id}"`);
    return type;
  };

  const wanted =
    params.fields === undefined
      ? [...columns.keys()]
      : (Array.isArray(params.fields) ? params.fields : params.fields.split(','))
          .map((f) => f.trim())
          .filter(Boolean);
  const fields = wanted.map((id) => ({ id, type: known('fields', id) }));
  if (fields.length === 0) throw searchInvalid('fields', 'Name at least one field');

  const filters = Object.entries(params.filters ?? {}).map(([id, value]) => {
    const type = known('filters', id);
    const values = (Array.isArray(value) ? value : [value]).map((v) => {
      if (v === null || typeof v === 'object')
        throw searchInvalid('filters', `Filter values of "${id}" must be text, numbers or booleans`);
      const text = String(v);
      if (!fitsType(text, type))
        throw searchInvalid('filters', `"${text}" is not a valid ${type} for "${id}"`);
      return type === 'boolean' ? String(booleanOf(text)) : text;
    });
    if (values.length === 0) throw searchInvalid('filters', `Give at least one value for "${id}"`);
    if (values.length > 1000) throw searchInvalid('filters', `At most 1000 values per filter`);
    return { id, type, values };
  });

  const q: CheckedSearch['q'] = [];
  if (typeof params.q === 'string') {
    if (params.q.trim()) q.push({ id: null, text: params.q.trim() });
  } else if (params.q && typeof params.q === 'object') {
    for (const [id, text] of Object.entries(params.q)) {
      known('q', id);
      if (typeof text !== 'string') throw searchInvalid('q', `The search text for "${id}" must be text`);
      if (text.trim()) q.push({ id, text: text.trim() });
    }
  }
  for (const part of q)
    if (part.text.length > 200) throw searchInvalid('q', 'The search text is longer than 200 characters');

  const sort = (params.sort ?? '')
    .split(',')
    .filter((s) => s.trim())
    .map((part) => {
      const m = SORT_PART.exec(part);
      if (!m)
        throw searchInvalid(
          'sort',
          `Cannot read the sort "${part.trim()}": use "field asc" or "field desc" (optionally "nulls first" or "nulls last")`,
        );
      const id = unquote(m[1] as string);
      known('sort', id);
      const nulls = m[3]?.toLowerCase() as 'first' | 'last' | undefined;
      return { id, desc: (m[2] ?? 'asc').toLowerCase() === 'desc', ...(nulls ? { nulls } : {}) };
    });
  if (sort.length > 10) throw searchInvalid('sort', 'Sort by at most 10 fields');

  const asked = params.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(asked) || asked < 0) {
    throw searchInvalid('limit', 'limit must be a whole number ≥ 0');
  }
  // As CKAN's rows_max: a larger limit is lowered, not refused, and the answer's limit says so.
  const limit = Math.min(asked, MAX_LIMIT);
  const offset = params.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > Number.MAX_SAFE_INTEGER)
    throw searchInvalid('offset', 'offset must be a whole number ≥ 0');
  const format = params.records_format ?? 'objects';
  if (!['objects', 'lists', 'csv', 'tsv'].includes(format)) {
    throw searchInvalid('records_format', 'records_format is one of objects, lists, csv, tsv');
  }
  return {
    fields,
    filters,
    q,
    searchable: [...columns].filter(([id]) => id !== '_id').map(([id, type]) => ({ id, type })),
    sort,
    limit,
    offset,
    distinct: params.distinct === true,
    includeTotal: params.include_total !== false,
    recordsFormat: format,
    estimationThreshold: estimationThresholdOf(params.total_estimation_threshold),
  };
}

function estimationThresholdOf(value: number | undefined): number | null {
  if (value === undefined) return null;
  if (!Number.isInteger(value) || value < 0) {
    throw searchInvalid(
      'total_estimation_threshold',
      'total_estimation_threshold must be a whole number ≥ 0',
    );
  }
  return value;
}

const INT = /^-?\d{1,19}$/;
const NUM = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/;

/** Whether a filter value can be compared with a column of `type` without a database error. */
export function fitsType(value: string, type: DatastoreType | 'int8'): boolean {
  switch (type) {
    case 'integer':
      return INT.test(value) && Math.abs(Number(value)) <= 2_147_483_647;
    case 'bigint':
    case 'int8':
      return (
        INT.test(value) &&
        BigInt(value) <= 9_223_372_036_854_775_807n &&
        BigInt(value) >= -9_223_372_036_854_775_808n
      );
    case 'numeric':
      return NUM.test(value) && value.length <= 100;
    case 'boolean':
      return booleanOf(value) !== null;
    case 'date':
      return DATE.test(value) && validDate(value);
    case 'timestamp':
      return TIMESTAMP.test(value) && validDate(value.slice(0, 10)) && validClock(value.slice(11));
    case 'time':
      return TIME.test(value) && validClock(value);
    default:
      return value.length <= 10_000;
  }
}

const TRUE_SET: ReadonlySet<string> = new Set(TRUE_WORDS);
const FALSE_SET: ReadonlySet<string> = new Set(FALSE_WORDS);

/** A yes/no filter value read with the words the loader reads (是/否, Y/N, true/false, 1/0…); null when none. */
export function booleanOf(value: string): boolean | null {
  const word = value.trim().toLowerCase();
  if (TRUE_SET.has(word)) return true;
  if (FALSE_SET.has(word)) return false;
  return null;
}

function validDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function validClock(text: string): boolean {
  if (!text) return true;
  const [h, mi, s] = text.split(':').map(Number) as [number, number, number | undefined];
  return h < 24 && mi < 60 && (s === undefined || s < 60);
}
