import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHINESE_QUERIES, ENGLISH_QUERIES, generateCatalog } from '../../../../../bench/catalog-generate.ts';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { testDatabaseUrl } from '../../../platform/config.ts';
import { andOperandsOf, queryTerms, toTsQueryText } from '../../../platform/text/index.ts';
import { searchVisibilityOf } from '../catalog.policy.ts';
import { rebuildSearchIndex } from '../search-index.ts';
import type { FqNode } from './fq-parser.ts';
import { mirrorableFilter } from './mirror-filter.ts';
import { compareText, mirrorable, mirroredSearch } from './mirror-search.ts';
import { runSearch, type SearchSpec, type SortKey } from './search.repository.ts';
import { FACET_NAMES } from './search-facets.ts';
import { filterSql, withoutPublicTerms } from './search-filters.ts';
import { publicSearchMirror, SearchMirror } from './search-mirror.ts';
import { parseTsvector, rankOrder, sliceOf, tsRankAnd, vectorLength } from './ts-rank.ts';

// The in-memory public index must answer exactly as the SQL search: the same ranks to the last bit,
// the same pages, totals and facets, and the same after any writer changes the catalog.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await generateCatalog(ctx.db, 1500, 12);
  await rebuildSearchIndex(ctx.db);
}, 120_000);
afterAll(async () => ctx.dispose());

const QUERIES = [...CHINESE_QUERIES.slice(0, 5), ...ENGLISH_QUERIES.slice(0, 5), '数据 data', 'bureau'];

function specOf(q: string, sort: SortKey, offset: number, o: Partial<SearchSpec> = {}): SearchSpec {
  const terms = queryTerms(q);
  return {
    match: q
      ? { kind: 'fulltext', simple: toTsQueryText(terms.simple), english: toTsQueryText(terms.english) }
      : { kind: 'none' },
    visibility: searchVisibilityOf(undefined),
    includePrivate: false,
    filter: null,
    sort,
    offset,
    limit: 10,
    facets: FACET_NAMES,
    facetLimit: 500,
    facetMinCount: 1,
    ...o,
  };
}

/** Runs a search both ways and expects the same total, page (by id) and facets. */
async function expectSameAsSql(spec: SearchSpec) {
  const viaSql = await runSearch(ctx.db, spec);
  // Searches go to SQL while the mirror is (re)built: wait for it, then ask it.
  await publicSearchMirror(ctx.db);
  const viaMirror = await mirroredSearch(ctx.db, spec);
  expect(viaMirror).toBeDefined();
  const shape = (p: typeof viaSql) => ({ total: p.total, ids: p.rows.map((r) => r.id), facets: p.facets });
  expect(shape(viaMirror as typeof viaSql)).toEqual(shape(viaSql));
  return viaSql;
}

async function expectAllSame() {
  let matched = 0;
  for (const q of [...QUERIES, ''])
    for (const sort of ['relevance', 'modified', 'created', 'newest'] as const)
      for (const offset of [0, 20]) matched += (await expectSameAsSql(specOf(q, sort, offset))).total;
  // The queries find things: an empty catalog would agree trivially.
  expect(matched).toBeGreaterThan(1000);
}

describe('ts_rank reproduced', () => {
  it('gives every match of every query the rank PostgreSQL gives, to the last bit', async () => {
    let compared = 0;
    for (const q of QUERIES) {
      const spec = specOf(q, 'relevance', 0);
      if (spec.match.kind !== 'fulltext') continue;
      const tsquery = sql`(${sql.join(
        [
          spec.match.simple ? sql`to_tsquery('simple', ${spec.match.simple})` : null,
          spec.match.english ? sql`to_tsquery('english', ${spec.match.english})` : null,
        ].filter((x) => x !== null),
        sql` && `,
      )})`;
      const { rows } = await sql<{ q: string; v: string; r: number }>`
        select ${tsquery}::text as q, search_vector::text as v, ts_rank(search_vector, ${tsquery}, 1) as r
        from catalog_search where search_vector @@ ${tsquery}`.execute(ctx.db);
      for (const row of rows) {
        const items = rankOrder(andOperandsOf(row.q) ?? []);
        const vector = parseTsvector(row.v);
        const mine = tsRankAnd(
          items.map((i) => {
            const codes = vector.get(i);
            return codes ? sliceOf(codes) : null;
          }),
          vectorLength(vector),
        );
        expect(mine).toBe(Math.fround(Number(row.r)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('parses quoted, escaped and position-less lexemes', () => {
    const v = parseTsvector(`'a''b':1A,3 'back\\\\slash':2B 'plain'`);
    expect([...v.keys()]).toEqual(["a'b", 'back\\slash', 'plain']);
    expect([...(v.get("a'b") ?? [])]).toEqual([(1 << 2) | 3, 3 << 2]);
    expect(vectorLength(v)).toBe(4);
  });
});

describe('public search from memory', () => {
  it('answers every query, sort and page exactly as SQL, facets included', async () => {
    await expectAllSame();
  });

  it('orders either way, as SQL does', async () => {
    for (const q of QUERIES.slice(0, 4))
      for (const sort of ['relevance', 'modified'] as const)
        for (const offset of [0, 40]) await expectSameAsSql(specOf(q, sort, offset, { descending: false }));
  });

  it('puts resources without a publish date last in the newest sort, either way, as SQL does', async () => {
    // Harvested records may carry no publish date.
    await sql`update catalog_datasets set published_at = null where id in (
      select id from catalog_datasets where status = 'published' and open_type = 'open' order by id limit 25)`.execute(
      ctx.db,
    );
    for (const q of ['', CHINESE_QUERIES[0]!])
      for (const descending of [true, false]) {
        const { total } = await runSearch(ctx.db, specOf(q, 'newest', 0, { descending }));
        const tail = await expectSameAsSql(
          specOf(q, 'newest', Math.max(0, total - 30), { descending, limit: 30 }),
        );
        if (q === '') expect(tail.rows.at(-1)?.published_at ?? null).toBeNull();
      }
  });

  it('follows every commit: edits, withdrawals, new and deleted resources, a rebuild', async () => {
    const first = await runSearch(ctx.db, specOf('营业执照', 'relevance', 0));
    const [a, b, c] = first.rows;
    if (!a || !b || !c) throw new Error('the catalog should match');
    // Warm the mirror, then change the catalog behind its back, as another node would.
    await publicSearchMirror(ctx.db);
    await sql`update catalog_datasets set title_zh = '城市停车场营业执照核查' where id = ${a.id}`.execute(
      ctx.db,
    );
    await sql`update catalog_datasets set status = 'withdrawn' where id = ${b.id}`.execute(ctx.db);
    await sql`delete from catalog_datasets where id = ${c.id}`.execute(ctx.db);
    await sql`update catalog_datasets set open_type = 'open', share_type = 'unconditional', license_id = 'cc-by'
      where open_type = 'none' and id in (select id from catalog_datasets where open_type = 'none' limit 30)`.execute(
      ctx.db,
    );
    await rebuildSearchIndex(ctx.db);
    // A department renamed: facet labels come from its row as of the search, as the SQL's join.
    await expectSameAsSql(specOf('营业执照', 'relevance', 0));
    await sql`update departments set name_zh = name_zh || '（更名）', code = code || '-R'
      where id = (select department_id from catalog_datasets where id = ${a.id})`.execute(ctx.db);
    const after = await expectSameAsSql(specOf('营业执照', 'relevance', 0, { limit: 200 }));
    const ids = after.rows.map((r) => r.id);
    expect(ids).not.toContain(b.id);
    expect(ids).not.toContain(c.id);
    expect((await expectSameAsSql(specOf('停车场 营业执照', 'relevance', 0))).rows[0]?.id).toBe(a.id);
    await expectAllSame();
  });

  it('builds anew in the background after more changes than a search should wait for, searches going to SQL meanwhile', async () => {
    const mirror = new SearchMirror(ctx.db, { rebuildAbove: 100 });
    // Not built yet: the first search starts the build and is answered by SQL.
    expect(await mirror.current()).toBe(false);
    await mirror.refresh();
    expect(await mirror.current()).toBe(true);
    // A few changes are caught up by the search itself.
    await sql`update catalog_datasets set modified_at = modified_at + interval '1 second'
      where id in (select id from catalog_search where status = 'published' and open_type = 'open' limit 20)`.execute(
      ctx.db,
    );
    expect(await mirror.current()).toBe(true);
    // A rebuild restamps every row: more than 100, so the mirror builds anew instead of the search waiting.
    await rebuildSearchIndex(ctx.db);
    expect(await mirror.current()).toBe(false);
    await mirror.refresh();
    expect(await mirror.current()).toBe(true);
    const { rows } = await sql<{ id: string; xid: string }>`select id::text, changed_xid::text as xid
      from catalog_search where status = 'published' and open_type = 'open'`.execute(ctx.db);
    expect(mirror.index.size).toBe(rows.length);
    for (const row of rows) expect(mirror.index.stampOf(row.id)).toBe(row.xid);
  });

  it('stays exact after enough changes to merge its segments', async () => {
    await publicSearchMirror(ctx.db);
    // More than a fifth of the catalog, and more than the thousand-change floor.
    await sql`update catalog_datasets set modified_at = modified_at + interval '1 second'
      where id in (select id from catalog_datasets order by id limit 1100)`.execute(ctx.db);
    await expectAllSame();
  });

  // Two connections: a transaction that began before the mirror's last look commits after it.
  it.skipIf(!testDatabaseUrl())(
    'sees a change committed late by a transaction that began early',
    async () => {
      const ids = async () =>
        (await expectSameAsSql(specOf('空气质量', 'relevance', 0, { limit: 1000 }))).rows.map((r) => r.id);
      const [target, other] = await ids();
      if (!target || !other) throw new Error('the catalog should match');
      let commit!: () => void;
      let written!: () => void;
      const wrote = new Promise<void>((r) => (written = r));
      const late = ctx.db.transaction().execute(async (trx) => {
        await sql`update catalog_datasets set status = 'withdrawn' where id = ${target}`.execute(trx);
        written();
        await new Promise<void>((r) => (commit = r));
      });
      await wrote;
      // The mirror looks while the writer is still open, and again after a later, quicker edit.
      expect(await ids()).toContain(target);
      await sql`update catalog_datasets set status = 'withdrawn' where id = ${other}`.execute(ctx.db);
      expect(await ids()).not.toContain(other);
      expect(await ids()).toContain(target);
      commit();
      await late;
      expect(await ids()).not.toContain(target);
    },
  );

  it('answers CKAN searches that only restate the public scope (state:active), as SQL does with the filter', async () => {
    const active: FqNode = { kind: 'term', field: 'state', value: 'active', exact: true };
    expect(withoutPublicTerms(active)).toBeNull();
    expect(
      withoutPublicTerms({
        kind: 'and',
        children: [active, { kind: 'term', field: 'private', value: 'False', exact: false }],
      }),
    ).toBeNull();
    const tag: FqNode = { kind: 'term', field: 'tags', value: '营业执照', exact: true };
    expect(withoutPublicTerms({ kind: 'and', children: [tag, active] })).toEqual(tag);
    expect(withoutPublicTerms({ kind: 'or', children: [tag, active] })).toBeNull();
    // Only what every public resource satisfies goes: another state, a negation or a case-exact
    // column value that differs in case stays (and keeps its SQL meaning).
    for (const kept of [
      { kind: 'term', field: 'state', value: 'draft', exact: true },
      { kind: 'not', child: active },
      { kind: 'term', field: 'status', value: 'Published', exact: true },
    ] satisfies FqNode[])
      expect(withoutPublicTerms(kept)).toEqual(kept);
    for (const q of QUERIES.slice(0, 4)) {
      const withFilter = await runSearch(ctx.db, specOf(q, 'relevance', 0, { filter: filterSql(active) }));
      const mirrored = await mirroredSearch(ctx.db, specOf(q, 'relevance', 0));
      expect(mirrored?.rows.map((r) => r.id)).toEqual(withFilter.rows.map((r) => r.id));
      expect(mirrored?.facets).toEqual(withFilter.facets);
      expect(mirrored?.total).toBe(withFilter.total);
    }
  });

  it('answers filtered public searches (portal facets, CKAN fq) exactly as SQL', async () => {
    const term = (field: string, value: string, exact = true): FqNode => ({
      kind: 'term',
      field,
      value,
      exact,
    });
    const { rows } = await sql<{
      id: string;
    }>`select id::text from departments where code = 'BENCH-01'`.execute(ctx.db);
    const filters: FqNode[] = [
      term('department', 'bench-03'),
      term('organization', 'BENCH-05'),
      term('owner_org', rows[0]?.id ?? ''),
      term('owner_org', 'bench-02'),
      term('theme', 'transport'),
      term('groups', 'health'),
      term('tags', '营业执照'),
      term('res_format', 'csv'),
      term('format', 'JSON'),
      term('license_id', 'cc-by'),
      term('license', 'odc-by'),
      term('open_type', 'open'),
      term('share_type', 'conditional'),
      term('update_cycle', 'monthly'),
      term('state', 'draft'),
      term('private', 'true'),
      term('status', 'Published'),
      term('tags', '*', false),
      term('department', 'no-such-department'),
      { kind: 'or', children: [term('department', 'BENCH-01'), term('department', 'BENCH-02')] },
      { kind: 'and', children: [term('res_format', 'CSV'), term('license_id', 'cc-by')] },
      { kind: 'not', child: term('tags', '营业执照') },
      { kind: 'not', child: term('theme', 'transport') },
      {
        kind: 'and',
        children: [{ kind: 'not', child: term('license', 'cc-by') }, term('update_cycle', 'daily')],
      },
    ];
    // Resources without a theme: `-theme:x` leaves them out in SQL (NULL in (…) is unknown).
    await sql`update catalog_datasets set theme_id = null
      where id in (select id from catalog_datasets where open_type = 'open' order by id limit 40)`.execute(
      ctx.db,
    );
    let matched = 0;
    for (const filter of filters) {
      expect(mirrorableFilter(filter)).toBe(true);
      for (const q of ['', '营业执照', 'air quality']) {
        const spec = specOf(q, 'relevance', 0, { filter: filterSql(filter), filterNode: filter });
        matched += (await expectSameAsSql(spec)).total;
      }
    }
    expect(matched).toBeGreaterThan(1000);
    expect(mirrorableFilter(term('catalog_kind', 'base'))).toBe(false);
    expect(mirrorableFilter({ kind: 'range', field: 'metadata_modified', from: null, to: 'NOW' })).toBe(
      false,
    );
    expect(mirrorable(specOf('数据', 'relevance', 0, { filter: sql<boolean>`true` }))).toBe(false);
  });

  it('leaves to SQL what it cannot reproduce exactly', () => {
    expect(mirrorable(specOf('数据', 'relevance', 0))).toBe(true);
    expect(mirrorable(specOf('数据', 'relevance', 0, { includePrivate: true }))).toBe(false);
    expect(mirrorable(specOf('数据', 'relevance', 0, { filter: sql<boolean>`true` }))).toBe(false);
    expect(mirrorable(specOf('数据', 'title', 0))).toBe(false);
    expect(mirrorable(specOf('数据', 'downloads', 0))).toBe(false);
    expect(mirrorable({ ...specOf('', 'relevance', 0), match: { kind: 'trigram', text: 'x' } })).toBe(false);
    expect(andOperandsOf(`'数据' & 'data'`)).toEqual(['数据', 'data']);
    expect(andOperandsOf(`'it''s'`)).toEqual(["it's"]);
    expect(andOperandsOf("'back\\\\slash' & 'x'")).toEqual(['back\\slash', 'x']);
    expect(andOperandsOf(`'e-mail' <-> 'e' <-> 'mail'`)).toBeNull();
    expect(andOperandsOf(`'a' | 'b'`)).toBeNull();
    expect(andOperandsOf(`'pre':*`)).toBeNull();
  });

  it('orders text by code point, as collation "C" does', () => {
    const texts = ['b', 'a', '\u{1F600}', '\uFF5E', '数据', 'ab', ''];
    const byCodePoint = [...texts].sort((x, y) => {
      const a = [...x].map((ch) => ch.codePointAt(0) ?? 0);
      const b = [...y].map((ch) => ch.codePointAt(0) ?? 0);
      for (let i = 0; i < Math.min(a.length, b.length); i++)
        if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
      return a.length - b.length;
    });
    expect([...texts].sort(compareText)).toEqual(byCodePoint);
    // UTF-16 order would put the emoji (a surrogate pair) before U+FF5E.
    expect(compareText('\u{1F600}', '\uFF5E')).toBeGreaterThan(0);
  });
});
