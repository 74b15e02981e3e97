import type { DictionaryColumn, DictionaryUpdate } from '../../../contracts/datastore.ts';
import { type DatastoreType, LOADABLE_FORMATS } from '../../../contracts/datastore-values.ts';

// Pure helpers of the DataStore pages: the preview's query string, the quick chart's SQL, the
// dictionary changes a steward made, and the API snippets. Kept free of React so they are tested alone.

/** Whether the DataStore loads a distribution (a stored file of a tabular format). */
export const isTabular = (d: { kind: string; format: string }) =>
  d.kind === 'file' && (LOADABLE_FORMATS as readonly string[]).includes(d.format.toUpperCase());

/** What the preview asks datastore_search for. */
export interface RowsParams {
  limit: number;
  offset: number;
  sort?: { column: string; desc: boolean } | undefined;
  q?: string | undefined;
  /** One column equal to one value (datastore_search's filters). */
  filter?: { column: string; value: string } | undefined;
}

/** A PostgreSQL identifier in double quotes: column ids may be Chinese or hold any letter. */
export const quoteIdent = (id: string) => `"${id.replaceAll('"', '""')}"`;

/** The query string of GET /api/datastore/:id/rows for these parameters. */
export function rowsQuery(p: RowsParams): Record<string, string | number | undefined> {
  return {
    limit: p.limit,
    offset: p.offset,
    sort: p.sort ? `${quoteIdent(p.sort.column)} ${p.sort.desc ? 'desc' : 'asc'}` : undefined,
    q: p.q?.trim() || undefined,
    filters: p.filter ? JSON.stringify({ [p.filter.column]: p.filter.value }) : undefined,
  };
}

/**
 * The dump's query string for the rows the preview shows (its search, filter and order), all pages
 * of them; undefined when nothing narrows or orders the table (then it is the whole table).
 */
export function dumpSearch(p: Omit<RowsParams, 'limit' | 'offset'>): Record<string, string> | undefined {
  const { sort, q, filters } = rowsQuery({ ...p, limit: 0, offset: 0 });
  const out = Object.fromEntries(
    Object.entries({ sort, q, filters }).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return Object.keys(out).length ? out : undefined;
}

/** A column named once when its label is its id, else as "label (id)". */
export const columnName = (c: { id: string; label: string }) =>
  c.label === c.id ? c.id : `${c.label} (${c.id})`;

/**
 * The i18n key of a yes/no value — a JSON boolean from datastore_search, or the text 'true'/'false'
 * (t/f) of a boolean column's profile — so it reads 是/否 or Yes/No; null for any other value.
 */
export function booleanKey(value: unknown, type?: string): string | null {
  if (typeof value === 'boolean') return `datastore.enums.boolean.${value}`;
  if (type !== 'boolean' || typeof value !== 'string') return null;
  const word = value.toLowerCase();
  if (word === 'true' || word === 't') return 'datastore.enums.boolean.true';
  if (word === 'false' || word === 'f') return 'datastore.enums.boolean.false';
  return null;
}

const NUMERIC: readonly DatastoreType[] = ['integer', 'bigint', 'numeric'];

export const isNumeric = (type: string) => (NUMERIC as readonly string[]).includes(type);

export const CHART_KINDS = ['bar', 'line', 'pie', 'scatter', 'map'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
export const AGGREGATES = ['count', 'sum', 'avg'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The quick chart's choices. */
export interface ChartSpec {
  kind: ChartKind;
  x: string;
  y?: string | undefined;
  aggregate: Aggregate;
}

/** Rows a chart draws at most: categories for bar/line/pie, points for scatter and map. */
export const CATEGORY_LIMIT = 50;
export const POINT_LIMIT = 2000;

/**
 * The datastore_search_sql statement behind a chart, always naming its outputs x and y.
 * Categories are grouped and counted, summed or averaged; scatter and map read raw points.
 */
export function chartSql(resourceId: string, spec: ChartSpec): string {
  const table = quoteIdent(resourceId);
  const x = quoteIdent(spec.x);
  if (spec.kind === 'scatter' || spec.kind === 'map') {
    if (!spec.y) throw new Error('A scatter needs a Y column');
    const y = quoteIdent(spec.y);
    return `SELECT ${x} AS x, ${y} AS y FROM ${table} WHERE ${x} IS NOT NULL AND ${y} IS NOT NULL LIMIT ${POINT_LIMIT}`;
  }
  const value =
    spec.aggregate === 'count' || !spec.y ? 'count(*)' : `${spec.aggregate}(${quoteIdent(spec.y)})`;
  // A pie shows the largest shares; bars and lines follow the categories' own order.
  const order = spec.kind === 'pie' ? 'y DESC' : 'x';
  return `SELECT ${x} AS x, ${value} AS y FROM ${table} GROUP BY ${x} ORDER BY ${order} LIMIT ${CATEGORY_LIMIT}`;
}

/** Whether the spec has what its chart kind needs. */
export function chartReady(spec: Partial<ChartSpec>): spec is ChartSpec {
  if (!spec.kind || !spec.x || !spec.aggregate) return false;
  if (spec.kind === 'scatter' || spec.kind === 'map') return !!spec.y;
  return spec.aggregate === 'count' || !!spec.y;
}

const LONGITUDE = /^(lon|lng|long|longitude|经度|x坐标)$|经度/i;
const LATITUDE = /^(lat|latitude|纬度|y坐标)$|纬度/i;

/** The numeric longitude and latitude columns of a table, when it has both (named in English or Chinese). */
export function lonLatColumns(
  columns: readonly Pick<DictionaryColumn, 'id' | 'label' | 'type'>[],
): { lon: string; lat: string } | undefined {
  const find = (pattern: RegExp) =>
    columns.find((c) => isNumeric(c.type) && (pattern.test(c.id) || pattern.test(c.label)))?.id;
  const lon = find(LONGITUDE);
  const lat = find(LATITUDE);
  return lon && lat ? { lon, lat } : undefined;
}

/** The fields of a column a steward edits in the dictionary. */
export const EDITABLE_FIELDS = [
  'label',
  'labelEn',
  'description',
  'unit',
  'type',
  'sensitivity',
  'mask',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
/** Text and choice fields as typed; `subject` '' means "identifies no one"; `indexed` a checkbox. */
export type ColumnDraft = Partial<Pick<DictionaryColumn, EditableField>> & {
  subject?: string;
  indexed?: boolean;
};

/** Only what changed: one entry per changed column, with only its changed fields (absent and empty are alike). */
export function dictionaryChanges(
  columns: readonly DictionaryColumn[],
  drafts: Readonly<Record<string, ColumnDraft>>,
): DictionaryUpdate['columns'] {
  const out: DictionaryUpdate['columns'] = [];
  for (const column of columns) {
    const draft = drafts[column.id];
    if (!draft) continue;
    const change: DictionaryUpdate['columns'][number] = { id: column.id };
    let changed = false;
    for (const field of EDITABLE_FIELDS) {
      if (!(field in draft)) continue;
      const next = (draft[field] ?? '').trim();
      const before = (column[field] ?? '').trim();
      if (next === before) continue;
      (change as Record<string, unknown>)[field] = next;
      changed = true;
    }
    if (draft.subject !== undefined && draft.subject !== (column.subject ?? '')) {
      change.subject =
        draft.subject === '' ? null : (draft.subject as NonNullable<DictionaryColumn['subject']>);
      changed = true;
    }
    if (draft.indexed !== undefined && draft.indexed !== (column.indexed ?? false)) {
      change.indexed = draft.indexed;
      changed = true;
    }
    if (changed) out.push(change);
  }
  return out;
}

/** A column's label in the interface language (the English one when there is one). */
export const columnLabel = (c: Pick<DictionaryColumn, 'label' | 'labelEn'>, language: string) =>
  language === 'en' && c.labelEn?.trim() ? c.labelEn : c.label;

/** How developers read a table: curl for datastore_search, datastore_search_sql and the dump, and Python. */
export function apiSnippets(origin: string, resourceId: string) {
  const action = `${origin}/api/3/action`;
  const sql = `SELECT * FROM ${quoteIdent(resourceId)} LIMIT 5`;
  // The SQL goes in single quotes in the shell; it holds none itself (ids are UUIDs).
  return {
    search: `curl '${action}/datastore_search?resource_id=${resourceId}&limit=5'`,
    sql: `curl -G '${action}/datastore_search_sql' --data-urlencode '${`sql=${sql}`}'`,
    dump: `curl -L -o data.csv '${origin}/datastore/dump/${resourceId}?format=csv'`,
    python: [
      'import requests',
      '',
      `API = '${action}'`,
      `RESOURCE_ID = '${resourceId}'`,
      '',
      "r = requests.get(f'{API}/datastore_search', params={'resource_id': RESOURCE_ID, 'limit': 5})",
      'r.raise_for_status()',
      "for record in r.json()['result']['records']:",
      '    print(record)',
      '',
      `sql = f'SELECT count(*) FROM "{RESOURCE_ID}"'`,
      "r = requests.get(f'{API}/datastore_search_sql', params={'sql': sql})",
      "print(r.json()['result']['records'])",
    ].join('\n'),
  };
}
