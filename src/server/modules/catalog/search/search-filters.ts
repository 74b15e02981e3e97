import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../../../platform/errors.ts';
import type { FqNode } from './fq-parser.ts';

// Filters of a catalog search as SQL over the narrow search rows `catalog_search ds`; departments
// and themes are looked up by subqueries, which run once per search rather than once per row. The same fields serve the portal's facets and CKAN's `fq`, under CKAN's names
// and Civitas's own. Every value is a bind parameter; field names come from this table only.

type Cond = RawBuilder<boolean>;

interface FieldDef {
  /** Condition for `field:value`. */
  eq: (value: string) => Cond;
  /** Condition for `field:[from TO to]`; absent when the field has no order. */
  range?: (from: string | null, to: string | null) => Cond;
}

const column = (name: string) => sql.ref(name);
const eqColumn = (col: string) => (v: string) => sql<boolean>`${column(col)} = ${v}`;

// CKAN's `state` and `private` in Civitas terms.
const STATE_TO_STATUS: Record<string, string[]> = {
  active: ['published'],
  draft: ['draft', 'submitted'],
  deleted: ['withdrawn'],
};

function timeRange(col: string) {
  return (from: string | null, to: string | null): Cond => {
    const parts: Cond[] = [];
    if (from) parts.push(sql<boolean>`${column(col)} >= ${solrTime(from)}::timestamptz`);
    if (to) parts.push(sql<boolean>`${column(col)} <= ${solrTime(to)}::timestamptz`);
    return parts.length ? sql<boolean>`(${sql.join(parts, sql` and `)})` : sql<boolean>`true`;
  };
}

/** Solr's NOW and dates (2020-01-01T00:00:00Z, NOW-1YEAR is not supported) as timestamps. */
function solrTime(value: string): string {
  if (value.toUpperCase() === 'NOW') return new Date().toISOString();
  if (Number.isNaN(Date.parse(value)))
    throw new AppError('catalog.invalid_filter', 400, `"${value}" is not a date (use ISO 8601, * or NOW)`);
  return value;
}

const theme = (v: string) =>
  sql<boolean>`ds.theme_id in (select t.id from catalog_themes t where t.id = ${v} or t.parent_id = ${v})`;
const department = (v: string) =>
  sql<boolean>`ds.department_id in (select d.id from departments d where lower(d.code) = lower(${v}))`;
const tag = (v: string) => sql<boolean>`ds.keywords @> array[${v}]::text[]`;
const format = (v: string) => sql<boolean>`ds.formats @> array[${v.toUpperCase()}]::text[]`;
const license = eqColumn('ds.license_id');

export const FILTER_FIELDS: Record<string, FieldDef> = {
  // Civitas names (portal facets and the REST API)
  department: { eq: department },
  theme: { eq: theme },
  format: { eq: format },
  tags: { eq: tag },
  license: { eq: license },
  open_type: { eq: eqColumn('ds.open_type') },
  share_type: { eq: eqColumn('ds.share_type') },
  update_cycle: { eq: eqColumn('ds.update_cycle') },
  catalog_kind: { eq: eqColumn('ds.catalog_kind') },
  sensitivity: { eq: eqColumn('ds.sensitivity') },
  resource_code: { eq: eqColumn('ds.resource_code') },
  status: { eq: eqColumn('ds.status') },
  // CKAN names
  organization: { eq: department },
  owner_org: {
    eq: (v) =>
      sql<boolean>`ds.department_id in (select d.id from departments d where d.id::text = ${v} or lower(d.code) = lower(${v}))`,
  },
  groups: { eq: theme },
  res_format: { eq: format },
  license_id: { eq: license },
  name: { eq: eqColumn('ds.name') },
  id: { eq: (v) => sql<boolean>`ds.id::text = ${v}` },
  title: { eq: (v) => sql<boolean>`(ds.title_zh = ${v} or ds.title_en = ${v})` },
  state: {
    eq: (v) => {
      const statuses = STATE_TO_STATUS[v.toLowerCase()];
      return statuses ? sql<boolean>`ds.status in (${sql.join(statuses)})` : sql<boolean>`false`;
    },
  },
  private: {
    eq: (v) =>
      v.toLowerCase() === 'true' ? sql<boolean>`ds.open_type <> 'open'` : sql<boolean>`ds.open_type = 'open'`,
  },
  metadata_modified: { eq: (v) => timeRange('ds.modified_at')(v, v), range: timeRange('ds.modified_at') },
  metadata_created: { eq: (v) => timeRange('ds.created_at')(v, v), range: timeRange('ds.created_at') },
};

export const FILTER_FIELD_NAMES: ReadonlySet<string> = new Set(Object.keys(FILTER_FIELDS));

// Terms every public resource (published and open) satisfies, as FILTER_FIELDS compares them:
// state and private ignore case, status and open_type are column values.
const PUBLIC_TERMS: Record<string, (value: string) => boolean> = {
  state: (v) => v.toLowerCase() === 'active',
  private: (v) => v.toLowerCase() === 'false',
  status: (v) => v === 'published',
  open_type: (v) => v === 'open',
};

/**
 * A public search's filter without the terms its scope already implies (CKAN clients send
 * `state:active` with every search): null when nothing else is left. The result selects the same
 * public resources, so the in-memory mirror can answer searches that only restate the public scope.
 */
export function withoutPublicTerms(node: FqNode | null): FqNode | null {
  if (!node) return null;
  switch (node.kind) {
    case 'term':
      return PUBLIC_TERMS[node.field]?.(node.value) ? null : node;
    case 'and': {
      const children = node.children.map(withoutPublicTerms).filter((c): c is FqNode => c !== null);
      return children.length === 0
        ? null
        : children.length === 1
          ? (children[0] as FqNode)
          : { kind: 'and', children };
    }
    case 'or':
      return node.children.some((c) => withoutPublicTerms(c) === null) ? null : node;
    default:
      return node;
  }
}

/** The SQL condition of a parsed filter expression. */
export function filterSql(node: FqNode): Cond {
  switch (node.kind) {
    case 'term': {
      const def = fieldDef(node.field);
      // field:* asks for any value; for our always-present columns that is "true".
      if (node.value === '*' && !node.exact) return sql<boolean>`true`;
      return def.eq(node.value);
    }
    case 'range': {
      const def = fieldDef(node.field);
      if (!def.range)
        throw new AppError('catalog.invalid_filter', 400, `Field "${node.field}" does not take a range`);
      return def.range(node.from, node.to);
    }
    case 'and':
    case 'or':
      return sql<boolean>`(${sql.join(node.children.map(filterSql), node.kind === 'and' ? sql` and ` : sql` or `)})`;
    case 'not':
      return sql<boolean>`not (${filterSql(node.child)})`;
  }
}

function fieldDef(field: string): FieldDef {
  const def = FILTER_FIELDS[field];
  if (!def) throw new AppError('catalog.invalid_filter', 400, `Unknown filter field "${field}"`);
  return def;
}
