import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { SearchResultDto } from '../../../contracts/catalog.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from './catalog.test-helpers.ts';
import { bumpCatalogGeneration } from './search/search-cache.ts';
import { rebuildSearchIndex } from './search-index.ts';

// Real queries against a real index: jieba-segmented Chinese and stemmed English in one tsvector,
// trigram matching for typos and single characters, facets counted over the same conditions.

let t: TestApp;
let market: CatalogDept;
let transport: CatalogDept;
let anonymous: TestClient;

const search = async (client: TestClient, query: string) => {
  const res = await client.get(`/api/catalog/search?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body) as SearchResultDto;
};
const titles = (r: SearchResultDto) => r.results.map((x) => x.titleZh);

beforeAll(async () => {
  t = await createTestApp();
  market = await catalogDepartment(t.ctx, t.app, { nameZh: '市场监督管理局' });
  transport = await catalogDepartment(t.ctx, t.app, { nameZh: '交通运输局' });
  anonymous = new TestClient(t.app);
  const open = (dept: CatalogDept, o: Parameters<typeof openDatasetInput>[1]) =>
    publishedDataset(t.ctx, openDatasetInput(dept.id, o));
  await open(market, {
    titleZh: '企业营业执照信息',
    titleEn: 'Enterprise business licence information',
    descriptionZh: '全市企业营业执照的登记、变更和注销信息。',
    descriptionEn: 'Registrations, changes and cancellations of business licences.',
    themeId: 'market-licensing',
    keywords: ['营业执照', '企业登记'],
  });
  await open(market, {
    titleZh: '政务数据共享交换统计',
    titleEn: 'Government data sharing and exchange statistics',
    descriptionZh: '各部门通过共享交换平台调用数据的次数。',
    themeId: 'government',
    keywords: ['共享交换'],
  });
  await open(transport, {
    titleZh: '空气质量监测数据',
    titleEn: 'Air quality monitoring data',
    descriptionEn: 'Hourly readings of monitoring stations across the city.',
    themeId: 'environment-air',
    keywords: ['空气质量', 'AQI'],
    updateCycle: 'daily',
  });
  await open(transport, {
    titleZh: '公交线路及站点',
    titleEn: 'Bus routes and stops',
    themeId: 'transport',
    keywords: ['公交'],
    licenseId: 'cc-zero',
  });
  await open(transport, {
    titleZh: '车辆购置税征收统计',
    titleEn: 'Vehicle purchase tax statistics',
    themeId: 'finance',
  });
  // Shared with other departments but not open: staff find it, the public does not.
  await publishedDataset(
    t.ctx,
    openDatasetInput(market.id, {
      titleZh: '个体工商户营业执照明细',
      openType: 'none',
      shareType: 'conditional',
      shareCondition: '用于行政审批',
    }),
  );
});
afterAll(async () => t.close());

describe('Chinese and English full text', () => {
  it('营业执照 finds the title that contains 企业营业执照, highlighted', async () => {
    const r = await search(anonymous, `q=${encodeURIComponent('营业执照')}`);
    expect(r.matchedBy).toBe('fulltext');
    expect(titles(r)).toEqual(['企业营业执照信息']);
    const marked = r.results[0]?.highlight.title.filter((s) => s.match).map((s) => s.text);
    expect(marked?.join('')).toContain('营业执照');
  });

  it('数据共享 finds 政务数据共享交换', async () => {
    const r = await search(anonymous, `q=${encodeURIComponent('数据共享')}`);
    expect(titles(r)).toContain('政务数据共享交换统计');
    expect(titles(r)).not.toContain('公交线路及站点');
  });

  it('an English query finds English titles, stemmed', async () => {
    expect(titles(await search(anonymous, 'q=licences'))).toEqual(['企业营业执照信息']);
    expect(titles(await search(anonymous, 'q=monitor%20air'))).toEqual(['空气质量监测数据']);
    expect(titles(await search(anonymous, 'q=bus+stop'))).toEqual(['公交线路及站点']);
  });

  it('shows staff what sharing allows, and the public only what is open', async () => {
    const q = `q=${encodeURIComponent('营业执照')}`;
    expect(titles(await search(transport.handler, `${q}&includePrivate=true`))).toHaveLength(2);
    expect(titles(await search(anonymous, `${q}&includePrivate=true`))).toHaveLength(1);
    expect(titles(await search(transport.handler, q))).toHaveLength(1);
  });
});

describe('trigram fallback', () => {
  it('finds through a typo', async () => {
    const r = await search(anonymous, 'q=qualty');
    expect(r.matchedBy).toBe('trigram');
    expect(titles(r)).toContain('空气质量监测数据');
  });

  it('finds a single character inside words', async () => {
    const r = await search(anonymous, `q=${encodeURIComponent('税')}`);
    expect(titles(r)).toEqual(['车辆购置税征收统计']);
  });

  it('survives hostile query text', async () => {
    for (const q of ["'&|!:()<->\\", '"', '*', '%_%', 'a:b & c', '\u0000x']) {
      const res = await anonymous.get(`/api/catalog/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
    }
  });
});

describe('facets, filters, sort and paging', () => {
  it('counts facets over the matching resources', async () => {
    const r = await search(anonymous, '');
    expect(r.total).toBe(5);
    const dept = Object.fromEntries((r.facets.department ?? []).map((f) => [f.value, f.count]));
    expect(dept).toEqual({ [market.code]: 2, [transport.code]: 3 });
    const marketFacet = r.facets.department?.find((f) => f.value === market.code);
    expect(marketFacet?.label).toBe('市场监督管理局');
    const licences = Object.fromEntries((r.facets.license ?? []).map((f) => [f.value, f.count]));
    expect(licences).toEqual({ 'cc-by': 4, 'cc-zero': 1 });
    expect(r.facets.tags?.find((f) => f.value === 'AQI')?.count).toBe(1);
  });

  it('filters by a facet value and recounts', async () => {
    const r = await search(anonymous, `department=${transport.code}`);
    expect(r.total).toBe(3);
    expect(r.facets.department).toEqual([expect.objectContaining({ value: transport.code, count: 3 })]);
    const theme = await search(anonymous, 'theme=market');
    expect(titles(theme)).toEqual(['企业营业执照信息']);
    const cycle = await search(anonymous, 'update_cycle=daily');
    expect(titles(cycle)).toEqual(['空气质量监测数据']);
  });

  it('sorts by title and pages', async () => {
    const first = await search(anonymous, 'sort=title&pageSize=2&page=1');
    const second = await search(anonymous, 'sort=title&pageSize=2&page=2');
    expect(first.total).toBe(5);
    const all = [...titles(first), ...titles(second)];
    expect(all).toHaveLength(4);
    expect(new Set(all).size).toBe(4);
  });

  it('refuses bad parameters with 400', async () => {
    expect((await anonymous.get('/api/catalog/search?sort=sideways')).statusCode).toBe(400);
    expect((await anonymous.get('/api/catalog/search?pageSize=1000')).statusCode).toBe(400);
  });

  it('changes the index in the same transaction as the edit', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(market.id, { titleZh: '食品生产许可证' }));
    expect(titles(await search(anonymous, `q=${encodeURIComponent('许可证')}`))).toEqual(['食品生产许可证']);
    await market.steward.patch(`/api/catalog/datasets/${ds.id}`, { titleZh: '药品经营许可名录' });
    expect(titles(await search(anonymous, `q=${encodeURIComponent('食品')}`))).toEqual([]);
    expect(titles(await search(anonymous, `q=${encodeURIComponent('药品')}`))).toEqual(['药品经营许可名录']);
  });
});

describe('rebuilding the index', () => {
  it('recomputes every document, so a wiped index finds again', async () => {
    await sql`update catalog_datasets set search_vector = ''::tsvector, search_text = ''`.execute(t.ctx.db);
    expect((await search(anonymous, `q=${encodeURIComponent('营业执照')}`)).total).toBe(0);
    const report = await rebuildSearchIndex(t.ctx.db, { batchSize: 2 });
    const count = await t.ctx.db
      .selectFrom('catalog_datasets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(report.rows).toBe(Number(count.n));
    expect(report.batches).toBe(Math.ceil(Number(count.n) / 2));
    expect(titles(await search(anonymous, `q=${encodeURIComponent('营业执照')}`))).toEqual([
      '企业营业执照信息',
    ]);
    expect(titles(await search(anonymous, 'q=qualty'))).toContain('空气质量监测数据');
  });
});

describe('the public result cache', () => {
  it('serves a repeated search from the cache until the next catalog change', async () => {
    const q = `q=${encodeURIComponent('公交')}`;
    expect(titles(await search(anonymous, q))).toEqual(['公交线路及站点']);
    // A change behind the services' back (no generation bump) stays invisible: the cache answered.
    await sql`update catalog_datasets set title_zh = '公交线路（改）' where title_zh = '公交线路及站点'`.execute(
      t.ctx.db,
    );
    expect(titles(await search(anonymous, q))).toEqual(['公交线路及站点']);
    // Staff searches including private resources are never cached.
    expect(titles(await search(transport.handler, `${q}&includePrivate=true`))).toEqual(['公交线路（改）']);
    await bumpCatalogGeneration(t.ctx.db);
    expect(titles(await search(anonymous, q))).toEqual(['公交线路（改）']);
  });
});
