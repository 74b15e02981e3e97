import { type RawBuilder, sql } from 'kysely';

// Facet counts over the matched rows of a search (the CTE `m`). Every requested facet and the total
// come from one pass: a single GROUP BY GROUPING SETS over `m`, one set per facet column plus the
// empty set for the total. Each facet then reads its own groups, which are few: department and theme
// labels are joined to one row per value, and list columns (tags, formats) are grouped by the integer
// id of the whole list (catalog_search_lists; hashing ids costs a fraction of hashing text arrays, and
// many matches share one list), and only the lists of those groups are unnested.

interface FacetDef {
  /** The column of `catalog_search` (and of `m`) the facet counts. */
  column: string;
  /** How a group becomes facet values: a labelled reference, the items of a list, or itself. */
  shape: 'department' | 'theme' | 'list' | 'value';
}

const FACETS = {
  department: { column: 'department_id', shape: 'department' },
  theme: { column: 'theme_id', shape: 'theme' },
  format: { column: 'formats_list', shape: 'list' },
  tags: { column: 'keywords_list', shape: 'list' },
  license: { column: 'license_id', shape: 'value' },
  open_type: { column: 'open_type', shape: 'value' },
  share_type: { column: 'share_type', shape: 'value' },
  update_cycle: { column: 'update_cycle', shape: 'value' },
} as const satisfies Record<string, FacetDef>;

export type FacetName = keyof typeof FACETS;
export const FACET_NAMES = Object.keys(FACETS) as FacetName[];

/** The column of the search rows a facet counts. */
export const facetColumn = (name: FacetName): string => FACETS[name].column;

// Rows of `g` for the facet's grouping set, as (value, label_zh, label_en, n).
function valuesOf(def: FacetDef, gid: number): RawBuilder<unknown> {
  const col = sql.ref(`g.${def.column}`);
  const mine = sql`g.gid = ${sql.lit(gid)} and ${col} is not null`;
  switch (def.shape) {
    case 'department':
      return sql`select d.code as value, d.name_zh as label_zh, d.name_en as label_en, g.n
        from g join departments d on d.id = g.department_id where ${mine}`;
    case 'theme':
      return sql`select t.id as value, t.name_zh as label_zh, t.name_en as label_en, g.n
        from g join catalog_themes t on t.id = g.theme_id where ${mine}`;
    case 'list':
      // A value listed twice in one list still counts its resources once, as Solr counts documents.
      return sql`select u.v as value, null as label_zh, null as label_en, sum(g.n)::int as n
        from g join catalog_search_lists l on l.id = ${col}
        cross join lateral (select distinct x.v from unnest(l.items) as x(v)) as u
        where ${mine} group by 1`;
    case 'value':
      return sql`select ${col} as value, null as label_zh, null as label_en, g.n from g where ${mine}`;
  }
}

export interface FacetQuery {
  /** The CTE `g` (to follow `m` in a WITH list). */
  groups: RawBuilder<unknown>;
  /** The total number of matches, read from `g`. */
  total: RawBuilder<unknown>;
  /** One select-list column per facet, named facet_<name>: a JSON array of (value, labels, n). */
  columns: RawBuilder<unknown>[];
}

/** The grouping pass over `m` and the columns that read each facet from it. */
export function facetQuery(names: readonly FacetName[], minCount: number, limit: number): FacetQuery {
  const columns = names.map((name) => sql.ref(FACETS[name].column));
  const all = (1 << names.length) - 1;
  // grouping(a, b, …) sets a column's bit when that column is aggregated away: in the set of facet
  // i every other bit is set, and in the empty set (the total) all of them are.
  const gidOf = (i: number) => all & ~(1 << (names.length - 1 - i));
  const groups = names.length
    ? sql`g as (select grouping(${sql.join(columns)}) as gid, ${sql.join(columns)}, count(*)::int as n
        from m group by grouping sets ((), ${sql.join(columns.map((c) => sql`(${c})`))}))`
    : sql`g as (select 0 as gid, count(*)::int as n from m)`;
  return {
    groups,
    total: sql`(select g.n from g where g.gid = ${sql.lit(all)})`,
    columns: names.map(
      (name, i) => sql`(select coalesce(json_agg(f order by f.n desc, f.value collate "C"), '[]') from (
          select * from (${valuesOf(FACETS[name], gidOf(i))}) c where c.n >= ${minCount}
          order by c.n desc, c.value collate "C" limit ${limit}) f) as ${sql.ref(`facet_${name}`)}`,
    ),
  };
}
