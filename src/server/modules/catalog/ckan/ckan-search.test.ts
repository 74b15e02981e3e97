import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../../test/support/test-app.ts';
import { createDataset } from '../index.ts';
import {
  ckanAuth,
  ckanCall,
  createCkanTestApp,
  departmentWithStaff,
  publishedDataset,
  system,
} from './ckan.test-helpers.ts';

// package_search and the list actions over a small public catalog of two departments.

let t: TestApp;
let a: Awaited<ReturnType<typeof departmentWithStaff>>;
let b: Awaited<ReturnType<typeof departmentWithStaff>>;

beforeAll(async () => {
  t = await createCkanTestApp();
  a = await departmentWithStaff(t.ctx, 'SA-A', '生态环境局');
  b = await departmentWithStaff(t.ctx, 'SA-B', '教育局');
  const A = a.dept.id;
  const B = b.dept.id;
  // Published in this order, so "newest change first" is the reverse of it.
  await publishedDataset(
    t.ctx,
    {
      name: 'air-quality',
      titleZh: '空气质量监测',
      keywords: ['空气', 'two words'],
      themeId: 'environment',
      departmentId: A,
    },
    ['CSV', 'JSON'],
  );
  await publishedDataset(
    t.ctx,
    {
      name: 'water-quality',
      titleZh: '水质监测',
      keywords: ['水', 'two words'],
      themeId: 'environment',
      licenseId: 'odc-odbl',
      departmentId: A,
    },
    ['CSV'],
  );
  await publishedDataset(
    t.ctx,
    { name: 'school-list', titleZh: '学校名录', keywords: ['教育'], themeId: 'education', departmentId: B },
    ['XLSX'],
  );
  await publishedDataset(t.ctx, {
    name: 'budget-2024',
    titleZh: '财政预算',
    keywords: ['财政'],
    themeId: 'finance',
    departmentId: B,
  });
  await publishedDataset(t.ctx, {
    name: 'private-stats',
    titleZh: '内部统计',
    openType: 'none',
    shareType: 'conditional',
    shareCondition: '申请后共享',
    departmentId: A,
  });
  await createDataset(t.ctx, system, { name: 'draft-thing', titleZh: '草稿', departmentId: A });
});
afterAll(async () => t.close());

type Result = {
  count: number;
  results: { name: string }[];
  facets: Record<string, Record<string, number>>;
  search_facets: Record<
    string,
    { title: string; items: { name: string; display_name: string; count: number }[] }
  >;
  sort: string;
};

async function search(
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Result> {
  const res = await ckanCall(t.app, 'package_search', params, { method: 'GET', headers });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode}: ${res.body}`);
  return res.json().result;
}
const names = (r: Result) => r.results.map((x) => x.name).sort();

describe('package_search', () => {
  it("returns the active public datasets, newest change first, with CKAN's defaults", async () => {
    const r = await search({});
    expect(r.count).toBe(4);
    expect(r.sort).toBe('score desc, metadata_modified desc');
    expect(r.results.map((x) => x.name)).toEqual([
      'budget-2024',
      'school-list',
      'water-quality',
      'air-quality',
    ]);
    expect(r.facets).toEqual({});
    expect(r.search_facets).toEqual({});
    expect(r.results[0]).toMatchObject({
      type: 'dataset',
      state: 'active',
      private: false,
      organization: { name: 'sa-b' },
    });
  });

  it('filters with fq: field:value, quoted values, negation, AND/OR and groups', async () => {
    expect(names(await search({ fq: 'organization:sa-a' }))).toEqual(['air-quality', 'water-quality']);
    expect(names(await search({ fq: 'organization:SA-B' }))).toEqual(['budget-2024', 'school-list']);
    expect(names(await search({ fq: `owner_org:${a.dept.id}` }))).toEqual(['air-quality', 'water-quality']);
    expect(names(await search({ fq: 'tags:"two words"' }))).toEqual(['air-quality', 'water-quality']);
    expect(names(await search({ fq: '-res_format:CSV' }))).toEqual(['budget-2024', 'school-list']);
    expect(names(await search({ fq: '(organization:sa-b OR tags:空气)' }))).toEqual([
      'air-quality',
      'budget-2024',
      'school-list',
    ]);
    expect(names(await search({ fq: 'res_format:CSV AND -tags:水' }))).toEqual(['air-quality']);
    expect(names(await search({ fq: 'groups:environment license_id:odc-odbl' }))).toEqual(['water-quality']);
    expect((await search({ fq: '+dataset_type:dataset +capacity:public' })).count).toBe(4);
    expect((await search({ fq: 'metadata_modified:[* TO NOW]' })).count).toBe(4);
    expect(
      (await search({ fq: 'metadata_modified:[2000-01-01T00:00:00Z TO 2001-01-01T00:00:00Z]' })).count,
    ).toBe(0);
  });

  it('takes a field query in q, and text otherwise', async () => {
    expect(names(await search({ q: 'tags:教育' }))).toEqual(['school-list']);
    expect(names(await search({ q: 'name:budget-2024 OR name:air-quality' }))).toEqual([
      'air-quality',
      'budget-2024',
    ]);
    expect(names(await search({ q: '*:*' }))).toHaveLength(4);
    expect(names(await search({ q: '学校' }))).toEqual(['school-list']);
  });

  it('counts facets under CKAN names, with facet.limit and facet.mincount', async () => {
    const r = await search({
      'facet.field': JSON.stringify([
        'organization',
        'tags',
        'res_format',
        'license_id',
        'groups',
        'unknown_field',
      ]),
      rows: 0,
    });
    expect(r.results).toEqual([]);
    expect(r.count).toBe(4);
    expect(r.facets.organization).toEqual({ 'sa-a': 2, 'sa-b': 2 });
    expect(r.facets.res_format).toEqual({ CSV: 2, JSON: 1, XLSX: 1 });
    expect(r.facets.tags?.['two words']).toBe(2);
    expect(r.facets.license_id).toEqual({ 'cc-by': 3, 'odc-odbl': 1 });
    expect(r.facets.groups).toEqual({ environment: 2, education: 1, finance: 1 });
    expect(r.facets.unknown_field).toEqual({});
    expect(r.search_facets.organization).toEqual({
      title: 'organization',
      items: [
        { name: 'sa-a', display_name: '生态环境局', count: 2 },
        { name: 'sa-b', display_name: '教育局', count: 2 },
      ].sort((x, y) => (x.display_name < y.display_name ? 1 : -1)),
    });
    expect(r.search_facets.license_id?.items.find((i) => i.name === 'cc-by')?.display_name).toBe(
      'Creative Commons Attribution',
    );

    const limited = await search({ 'facet.field': '["res_format"]', 'facet.limit': 1, 'facet.mincount': 1 });
    expect(limited.facets.res_format).toEqual({ CSV: 2 });
    const min2 = await search({
      'facet.field': '["res_format","tags"]',
      'facet.mincount': 2,
      'facet.limit': -1,
    });
    expect(min2.facets).toEqual({ res_format: { CSV: 2 }, tags: { 'two words': 2 } });
    expect(
      (await ckanCall(t.app, 'package_search', { 'facet.field': 'organization' }, { method: 'GET' }))
        .statusCode,
    ).toBe(409);
  });

  it('pages with rows and start, lowering rows above 1000 to 1000 as CKAN does', async () => {
    const page = await search({ rows: 1, start: 2, sort: 'name asc' });
    expect(page.count).toBe(4);
    expect(page.results.map((x) => x.name)).toEqual(['school-list']);
    const many = await search({ rows: 5000 });
    expect(many.results).toHaveLength(4);
    const viaPost = await ckanCall(t.app, 'package_search', { rows: 1001, start: 0 });
    expect(viaPost.statusCode).toBe(200);
  });

  it('sorts by CKAN sort fields', async () => {
    expect((await search({ sort: 'name desc' })).results.map((x) => x.name)).toEqual([
      'water-quality',
      'school-list',
      'budget-2024',
      'air-quality',
    ]);
    expect((await search({ sort: 'metadata_created asc' })).results.map((x) => x.name)).toEqual([
      'air-quality',
      'water-quality',
      'school-list',
      'budget-2024',
    ]);
    expect((await search({ sort: 'metadata_modified desc' })).results[0]?.name).toBe('budget-2024');
    const byTitle = (await search({ sort: 'title_string asc' })).results.map((x) => x.name);
    expect(byTitle).toHaveLength(4);
  });

  it('includes private datasets and drafts only for callers who may see them', async () => {
    expect((await search({ include_private: true })).count).toBe(4);
    const own = await search({ include_private: true }, ckanAuth(a.stewardToken));
    expect(names(own)).toContain('private-stats');
    expect(names(own)).not.toContain('draft-thing');
    const drafts = await search({ include_private: true, include_drafts: true }, ckanAuth(a.stewardToken));
    expect(names(drafts)).toContain('draft-thing');
    const otherDept = await search({ include_private: true, include_drafts: true }, ckanAuth(b.stewardToken));
    expect(names(otherDept)).toContain('private-stats');
    expect(names(otherDept)).not.toContain('draft-thing');
    expect(
      names(await search({ fq: 'capacity:private', include_private: true }, ckanAuth(a.stewardToken))),
    ).toEqual(['private-stats']);
  });
});

describe('list actions', () => {
  const get = async (action: string, params: Record<string, unknown> = {}) => {
    const res = await ckanCall(t.app, action, params, { method: 'GET' });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode}: ${res.body}`);
    return res.json().result;
  };

  it('package_list and current_package_list_with_resources show the public catalog', async () => {
    expect(await get('package_list')).toEqual(['air-quality', 'budget-2024', 'school-list', 'water-quality']);
    expect(await get('package_list', { limit: 2, offset: 1 })).toEqual(['budget-2024', 'school-list']);
    const current = await get('current_package_list_with_resources', { limit: 2 });
    expect(current.map((p: { name: string }) => p.name)).toEqual(['budget-2024', 'school-list']);
    expect(current[1].resources[0]).toMatchObject({ format: 'XLSX' });
  });

  it('organization_list, organization_show', async () => {
    expect(await get('organization_list')).toEqual(['sa-a', 'sa-b']);
    const all = await get('organization_list', { all_fields: true, sort: 'package_count' });
    expect(all[0]).toMatchObject({
      name: 'sa-a',
      title: '生态环境局',
      package_count: 2,
      is_organization: true,
    });
    const shown = await get('organization_show', { id: 'SA-B', include_datasets: true });
    expect(shown).toMatchObject({ id: b.dept.id, name: 'sa-b', package_count: 2 });
    expect(shown.packages.map((p: { name: string }) => p.name)).toEqual(['budget-2024', 'school-list']);
    expect((await ckanCall(t.app, 'organization_show', { id: 'nope' }, { method: 'GET' })).statusCode).toBe(
      404,
    );
  });

  it('group_list, group_show, tag_list, license_list', async () => {
    const groups = await get('group_list');
    expect(groups).toContain('environment');
    const env = await get('group_show', { id: 'environment', include_datasets: 'True' });
    expect(env).toMatchObject({ name: 'environment', package_count: 2, is_organization: false });
    expect(env.packages).toHaveLength(2);
    expect(await get('tag_list')).toEqual(['two words', '教育', '水', '空气', '财政'].sort());
    expect(await get('tag_list', { query: 'WORD' })).toEqual(['two words']);
    expect((await get('tag_list', { all_fields: true }))[0]).toMatchObject({
      name: 'two words',
      display_name: 'two words',
    });
    const licenses = await get('license_list');
    expect(licenses.find((l: { id: string }) => l.id === 'cc-by')).toMatchObject({
      title: 'Creative Commons Attribution',
      od_conformance: 'approved',
    });
  });
});
