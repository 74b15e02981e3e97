import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import { pathWithinSql } from '../../../platform/sql-helpers.ts';
import type { SearchVisibility } from '../catalog.policy.ts';
import { type DatasetView, selectDatasetViews } from '../dataset.repository.ts';

type Cond = RawBuilder<boolean>;

/** How the text of a query is matched. */
export type TextMatch =
  | { kind: 'none' }
  /** tsquery texts for the two halves of the index (either may be empty). */
  | { kind: 'fulltext'; simple: string; english: string }
  /** Typos and very short queries: trigram word similarity or substring. */
  | { kind: 'trigram'; text: string };

export type SortKey = 'relevance' | 'modified' | 'title' | 'downloads' | 'newest' | 'name' | 'created';

export interface SearchSpec {
  match: TextMatch;
  visibility: SearchVisibility;
  /** False: only what the public sees (published and open). */
  includePrivate: boolean;
  filter: Cond | null;
  sort: SortKey;
  descending?: boolean;
  offset: number;
  limit: number;
  facets: readonly FacetName[];
  facetLimit: number;
  facetMinCount: number;
}

// Facets aggregate the matched rows (the CTE `m`); department and theme labels are joined after
// grouping, so the join touches one row per value instead of one per match.
export const FACET_SQL = {
  department: sql`select d.code as value, d.name_zh as label_zh, d.name_en as label_en, x.n
    from (select department_id, count(*)::int as n from m group by 1) x join departments d on d.id = x.department_id`,
  theme: sql`select t.id as value, t.name_zh as label_zh, t.name_en as label_en, x.n
    from (select theme_id, count(*)::int as n from m where theme_id is not null group by 1) x
    join catalog_themes t on t.id = x.theme_id`,
  format: sql`select f.v as value, null as label_zh, null as label_en, count(*)::int as n
    from m cross join unnest(m.formats) as f(v) group by 1`,
  tags: sql`select k.v as value, null as label_zh, null as label_en, count(*)::int as n
    from m cross join unnest(m.keywords) as k(v) group by 1`,
  license: sql`select license_id as value, null as label_zh, null as label_en, count(*)::int as n
    from m where license_id is not null group by 1`,
  open_type: sql`select open_type as value, null as label_zh, null as label_en, count(*)::int as n from m group by 1`,
  share_type: sql`select share_type as value, null as label_zh, null as label_en, count(*)::int as n from m group by 1`,
  update_cycle: sql`select update_cycle as value, null as label_zh, null as label_en, count(*)::int as n from m group by 1`,
} as const;
export type FacetName = keyof typeof FACET_SQL;

export interface FacetCount {
  value: string;
  /** Chinese label (department or theme name; the value itself for coded fields). */
  label: string;
  labelEn: string;
  count: number;
}

export interface SearchPage {
  total: number;
  rows: DatasetView[];
  facets: Partial<Record<FacetName, FacetCount[]>>;
}

const PUBLIC = sql<boolean>`(ds.status = 'published' and ds.open_type = 'open')`;

function visibilitySql(v: SearchVisibility, includePrivate: boolean): Cond {
  if (!includePrivate) return PUBLIC;
  if (v.all) return sql<boolean>`true`;
  const parts: Cond[] = [PUBLIC];
  if (v.ownDepartmentRoots.length > 0) parts.push(pathWithinSql('d.path', v.ownDepartmentRoots));
  if (v.sharedPublished) parts.push(sql<boolean>`(ds.status = 'published' and ds.share_type <> 'none')`);
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}

function tsquerySql(m: Extract<TextMatch, { kind: 'fulltext' }>) {
  const parts: RawBuilder<unknown>[] = [];
  if (m.simple) parts.push(sql`to_tsquery('simple', ${m.simple})`);
  if (m.english) parts.push(sql`to_tsquery('english', ${m.english})`);
  return sql.join(parts, sql` && `);
}

function matchSql(m: TextMatch): Cond | null {
  switch (m.kind) {
    case 'none':
      return null;
    case 'fulltext':
      return sql<boolean>`ds.search_vector @@ (${tsquerySql(m)})`;
    case 'trigram':
      // `<%` is word similarity above pg_trgm.word_similarity_threshold, served by the trigram index.
      return sql<boolean>`(ds.search_text like ${`%${escapeLike(m.text)}%`} or ${m.text} <% ds.search_text)`;
  }
}

const escapeLike = (s: string) => s.replaceAll(/[\\%_]/g, (c) => `\\${c}`);

function rankSql(m: TextMatch) {
  // ts_rank weighs matches by field (A titles … D items); ts_rank_cd's cover density cost twice as much.
  if (m.kind === 'fulltext') return sql<number>`ts_rank(ds.search_vector, ${tsquerySql(m)}, 1)`;
  if (m.kind === 'trigram') return sql<number>`word_similarity(${m.text}, ds.search_text)`;
  return sql<number>`0`;
}

// Orders the matched rows; every column named here is carried in `m`.
function orderSql(spec: SearchSpec) {
  const dir = (defaultDesc: boolean) => sql.raw((spec.descending ?? defaultDesc) ? 'desc' : 'asc');
  switch (spec.sort) {
    case 'relevance':
      return spec.match.kind === 'none'
        ? sql`m.modified_at desc, m.id`
        : sql`m.rank ${dir(true)}, m.modified_at desc, m.id`;
    case 'modified':
      return sql`m.modified_at ${dir(true)}, m.id`;
    case 'created':
      return sql`m.created_at ${dir(true)}, m.id`;
    case 'newest':
      return sql`m.published_at ${dir(true)} nulls last, m.id`;
    case 'title':
      return sql`m.title_zh ${dir(false)}, m.id`;
    case 'name':
      return sql`m.name ${dir(false)}`;
    case 'downloads':
      return sql`m.download_count ${dir(true)}, m.id`;
  }
}

function whereSql(spec: SearchSpec): Cond {
  const parts: Cond[] = [visibilitySql(spec.visibility, spec.includePrivate)];
  const match = matchSql(spec.match);
  if (match) parts.push(match);
  if (spec.filter) parts.push(spec.filter);
  return sql<boolean>`${sql.join(parts, sql` and `)}`;
}

const FROM = sql`catalog_datasets ds join departments d on d.id = ds.department_id
                 left join catalog_themes t on t.id = ds.theme_id`;

// Word similarity of a one-letter typo in a short word is about 0.55; pg_trgm's default bar is 0.6.
const TYPO_SIMILARITY = 0.5;

/** Runs a search: the total, one page of resources and the facet counts, over the same conditions. */
export async function runSearch(db: Db, spec: SearchSpec): Promise<SearchPage> {
  if (spec.match.kind !== 'trigram') return runQueries(db, spec);
  // The threshold of the index-served `<%` operator is a setting; scope it to this search.
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_SIMILARITY)}, true)`.execute(
      trx,
    );
    return runQueries(trx, spec);
  });
}

// One statement: the matching runs once into a materialised CTE, and the total, the page's ids and
// every facet are read from it. The page's full rows are then fetched by primary key.
async function runQueries(db: Db, spec: SearchSpec): Promise<SearchPage> {
  const facetColumns = spec.facets.map(
    (name) => sql`(select coalesce(json_agg(f order by f.n desc, f.value), '[]') from (
        select * from (${FACET_SQL[name]}) c where c.n >= ${spec.facetMinCount}
        order by c.n desc, c.value limit ${spec.facetLimit}) f)
      as ${sql.ref(`facet_${name}`)}`,
  );
  const { rows } = await sql<Record<string, unknown> & { total: number; ids: string[] }>`
    with m as materialized (
      select ds.id, ds.department_id, ds.theme_id, ds.keywords, ds.formats, ds.license_id, ds.open_type,
             ds.share_type, ds.update_cycle, ds.modified_at, ds.created_at, ds.published_at, ds.title_zh,
             ds.name, ds.download_count, ${rankSql(spec.match)} as rank
      from ${FROM} where ${whereSql(spec)})
    select (select count(*)::int from m) as total,
           (select coalesce(json_agg(p.id order by p.ord), '[]') from (
              select m.id, row_number() over (order by ${orderSql(spec)}) as ord
              from m order by ${orderSql(spec)} limit ${spec.limit} offset ${spec.offset}) p) as ids
           ${facetColumns.length ? sql`, ${sql.join(facetColumns)}` : sql``}`.execute(db);
  const row = rows[0] ?? { total: 0, ids: [] };
  const ids = row.ids;
  const views = ids.length
    ? ((await selectDatasetViews(db).where('ds.id', 'in', ids).execute()) as DatasetView[])
    : [];
  const byId = new Map(views.map((v) => [v.id, v]));
  const facets: SearchPage['facets'] = {};
  for (const name of spec.facets) {
    const counts = row[`facet_${name}`] as {
      value: string;
      label_zh: string | null;
      label_en: string | null;
      n: number;
    }[];
    facets[name] = counts.map((c) => ({
      value: c.value,
      label: c.label_zh ?? c.value,
      labelEn: c.label_en ?? c.value,
      count: c.n,
    }));
  }
  return {
    total: row.total,
    rows: ids.map((id) => byId.get(id)).filter((v): v is DatasetView => !!v),
    facets,
  };
}
