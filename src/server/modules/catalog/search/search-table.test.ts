import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../../test/support/test-app.ts';
import type { DatasetDto, SearchResultDto } from '../../../../contracts/catalog.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../catalog.test-helpers.ts';

// Search reads the narrow `catalog_search` copy of each resource. Whatever writes the catalog — a
// service, a download, a raw statement — the copy must equal the resource in the same transaction.

let t: TestApp;
let dept: CatalogDept;
let anonymous: TestClient;

const COPIED = sql.raw(
  `department_id, modified_at, created_at, download_count, published_at, status, open_type, share_type,
   update_cycle, theme_id, license_id, catalog_kind, sensitivity, keywords, formats, name, resource_code,
   title_zh, title_en, search_text, search_vector::text`,
);

/**
 * Resources whose search row is missing, extra or different from the resource, or whose keyword and
 * format list ids (what the facets group by) name other lists than the row's own.
 */
async function drift(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      (select id, ${COPIED} from catalog_datasets except select id, ${COPIED} from catalog_search)
      union all
      (select id, ${COPIED} from catalog_search except select id, ${COPIED} from catalog_datasets)
      union all
      (select s.id, ${COPIED} from catalog_search s
         left join catalog_search_lists k on k.id = s.keywords_list
         left join catalog_search_lists f on f.id = s.formats_list
       where k.items is distinct from s.keywords or f.items is distinct from s.formats)) x`.execute(t.ctx.db);
  return rows[0]?.n ?? -1;
}

const search = async (query: string) => {
  const res = await anonymous.get(`/api/catalog/search?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body) as SearchResultDto;
};

beforeAll(async () => {
  t = await createTestApp();
  dept = await catalogDepartment(t.ctx, t.app, { nameZh: '统计局' });
  anonymous = new TestClient(t.app);
});
afterAll(async () => t.close());

describe('the narrow search rows', () => {
  it('follow every kind of write in the same transaction', async () => {
    const a = await publishedDataset(t.ctx, openDatasetInput(dept.id, { titleZh: '人口普查汇总' }));
    const b = await publishedDataset(t.ctx, openDatasetInput(dept.id, { titleZh: '人口抽样调查' }));
    expect(await drift()).toBe(0);

    await dept.steward.patch(`/api/catalog/datasets/${a.id}`, {
      titleZh: '人口普查分区汇总',
      keywords: ['普查'],
    });
    // A list no resource had before gets its id in the same statement; a value it holds twice (only
    // raw SQL can write that) is still one resource in the facet.
    await sql`update catalog_datasets set keywords = array['普查', ${a.id}, ${a.id}] where id = ${a.id}`.execute(
      t.ctx.db,
    );
    expect(await drift()).toBe(0);
    const tagged = await search(`q=${encodeURIComponent('人口')}`);
    expect(tagged.facets.tags?.find((f) => f.value === a.id)?.count).toBe(1);
    const link = await dept.steward.post(`/api/catalog/datasets/${b.id}/distributions`, {
      name: '接口',
      kind: 'api',
      url: 'https://data.example.gov.cn/api/census',
    });
    expect(link.statusCode, link.body).toBe(201);
    const distribution = (JSON.parse(link.body) as DatasetDto).distributions[0];
    for (let i = 0; i < 3; i++)
      expect(
        (await anonymous.get(`/api/catalog/distributions/${distribution?.id}/download`)).statusCode,
      ).toBe(302);
    expect(await drift()).toBe(0);

    // The copy is the database's job, so even a statement behind the services' back is followed.
    await sql`update catalog_datasets set download_count = 99 where id = ${a.id}`.execute(t.ctx.db);
    expect(await drift()).toBe(0);
    const byDownloads = await search(`q=${encodeURIComponent('人口')}&sort=downloads`);
    expect(byDownloads.results.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(byDownloads.facets.format?.map((f) => f.value)).toEqual(['API']);

    const withdrawn = await dept.admin.post(`/api/catalog/datasets/${b.id}/withdraw`, { reason: '重复' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(await drift()).toBe(0);
    expect((await search(`q=${encodeURIComponent('人口')}`)).results.map((r) => r.id)).toEqual([a.id]);

    await sql`delete from catalog_versions where dataset_id = ${b.id}`.execute(t.ctx.db);
    await sql`delete from catalog_datasets where id = ${b.id}`.execute(t.ctx.db);
    expect(await drift()).toBe(0);
  });

  it('a write that rolls back leaves the copy as it was', async () => {
    const before = await search(`q=${encodeURIComponent('普查')}`);
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await sql`update catalog_datasets set title_zh = '已回滚', status = 'withdrawn'`.execute(trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await drift()).toBe(0);
    expect((await search(`q=${encodeURIComponent('普查')}`)).total).toBe(before.total);
  });
});
