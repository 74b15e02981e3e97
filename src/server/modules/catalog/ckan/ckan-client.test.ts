import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../../test/support/test-app.ts';
import {
  CKAN_TIME,
  ckanAuth,
  ckanCall,
  ckanUpload,
  createCkanTestApp,
  departmentWithStaff,
  okResult as result,
} from './ckan.test-helpers.ts';
import { DEFAULT_OPEN_LICENSE, DEFAULT_SHARE_CONDITION } from './ckan-mapping.ts';

// A CKAN client's session against Civitas: it knows CKAN's fields only, authenticates the three ways
// CKAN clients do, creates, patches, uploads and publishes (updates and deletes: ckan-update.test.ts).

let t: TestApp;
let msa: Awaited<ReturnType<typeof departmentWithStaff>>;
let edu: Awaited<ReturnType<typeof departmentWithStaff>>;

beforeAll(async () => {
  t = await createCkanTestApp();
  msa = await departmentWithStaff(t.ctx, 'LS-MSA', '市场监督管理局');
  edu = await departmentWithStaff(t.ctx, 'LS-EDU', '教育局');
});
afterAll(async () => t.close());

describe('a CKAN client', () => {
  it('creates a dataset with CKAN fields only, patches it, uploads a file and reads CKAN field names back', async () => {
    // Authorization: <token>, as CKAN's own clients send it.
    const created = result(
      await ckanCall(
        t.app,
        'package_create',
        {
          name: 'enterprise-register',
          title: '企业名录',
          owner_org: 'ls-msa',
          notes: '全市企业登记信息',
          tags: [{ name: '企业' }, { name: 'two words' }],
          resources: [{ url: 'https://example.org/enterprises.csv', format: 'CSV' }],
        },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(created).toMatchObject({
      name: 'enterprise-register',
      title: '企业名录',
      notes: '全市企业登记信息',
      type: 'dataset',
      state: 'draft',
      private: false,
      owner_org: msa.dept.id,
      organization: {
        id: msa.dept.id,
        name: 'ls-msa',
        title: '市场监督管理局',
        is_organization: true,
        type: 'organization',
      },
      license_id: DEFAULT_OPEN_LICENSE,
      open_type: 'open',
      share_type: 'unconditional',
      num_resources: 1,
      num_tags: 2,
      civitas_status: 'draft',
    });
    expect(created.resource_code).toMatch(/^\d{6}-LS-MSA-\d{5}$/);
    expect(created.metadata_created).toMatch(CKAN_TIME);
    expect(created.metadata_modified).toMatch(CKAN_TIME);
    expect(created.tags.map((tag: { name: string }) => tag.name)).toEqual(['企业', 'two words']);
    expect(created.resources[0]).toMatchObject({
      url: 'https://example.org/enterprises.csv',
      format: 'CSV',
      name: 'enterprises.csv',
      url_type: null,
      package_id: created.id,
      position: 0,
      state: 'active',
    });

    // Authorization: Bearer <token>
    const patched = result(
      await ckanCall(
        t.app,
        'package_patch',
        { id: 'enterprise-register', notes: '更新后的说明' },
        {
          headers: { authorization: `Bearer ${msa.stewardToken}` },
        },
      ),
    );
    expect(patched).toMatchObject({
      notes: '更新后的说明',
      title: '企业名录',
      num_tags: 2,
      num_resources: 1,
    });

    // X-CKAN-API-Key, multipart upload in `upload`.
    const bytes = Buffer.from('统一社会信用代码,名称\n91330100MA00000000,蓝山科技有限公司\n');
    const res = await ckanUpload(
      t.app,
      'resource_create',
      { 'x-ckan-api-key': msa.stewardToken },
      { package_id: created.id, name: '企业名录.csv' },
      bytes,
    );
    const resource = result(res);
    expect(resource).toMatchObject({
      package_id: created.id,
      name: '企业名录.csv',
      url_type: 'upload',
      format: 'CSV',
      mimetype: 'text/csv',
      size: bytes.length,
      hash: createHash('sha256').update(bytes).digest('hex'),
      position: 1,
    });
    expect(resource.url).toMatch(
      /^http:\/\/localhost(:\d+)?\/api\/catalog\/distributions\/[0-9a-f-]{36}\/download$/,
    );
    expect(resource.created).toMatch(CKAN_TIME);

    const shown = result(
      await ckanCall(
        t.app,
        'package_show',
        { id: created.id },
        { method: 'GET', headers: ckanAuth(msa.stewardToken) },
      ),
    );
    for (const key of [
      'name',
      'title',
      'notes',
      'owner_org',
      'organization',
      'resources',
      'tags',
      'groups',
      'extras',
      'metadata_created',
      'metadata_modified',
      'num_resources',
      'num_tags',
      'license_id',
      'license_title',
      'private',
      'state',
      'type',
    ])
      expect(shown).toHaveProperty(key);
    expect(shown.num_resources).toBe(2);
    expect(shown.license_title).toContain('Public Data Open Licence');
    const viaResourceShow = result(
      await ckanCall(
        t.app,
        'resource_show',
        { id: resource.id },
        { method: 'GET', headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(viaResourceShow).toEqual(shown.resources[1]);

    // A draft is the department's own: anonymous callers get CKAN's 403.
    expect((await ckanCall(t.app, 'package_show', { id: created.id }, { method: 'GET' })).statusCode).toBe(
      403,
    );
    expect((await ckanCall(t.app, 'resource_show', { id: resource.id }, { method: 'GET' })).statusCode).toBe(
      403,
    );
  });

  it('publishes with state "active": a steward submits for review, a department admin publishes', async () => {
    const submitted = result(
      await ckanCall(
        t.app,
        'package_patch',
        { id: 'enterprise-register', state: 'active' },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(submitted).toMatchObject({ state: 'draft', civitas_status: 'submitted' });
    const published = result(
      await ckanCall(
        t.app,
        'package_patch',
        { id: 'enterprise-register', state: 'active' },
        { headers: ckanAuth(msa.adminToken) },
      ),
    );
    expect(published).toMatchObject({ state: 'active', civitas_status: 'published' });
    expect(published.published_at).toMatch(CKAN_TIME);

    const anonymous = result(
      await ckanCall(t.app, 'package_show', { id: 'enterprise-register' }, { method: 'GET' }),
    );
    expect(anonymous.resources).toHaveLength(2);
    const search = result(await ckanCall(t.app, 'package_search', { q: '企业' }, { method: 'GET' }));
    expect(search.results.map((r: { name: string }) => r.name)).toContain('enterprise-register');

    const byAdmin = result(
      await ckanCall(
        t.app,
        'package_create',
        { name: 'admin-made', owner_org: msa.dept.id, state: 'active' },
        { headers: ckanAuth(msa.adminToken) },
      ),
    );
    expect(byAdmin).toMatchObject({ state: 'active', title: 'admin-made' });
  });

  it('keeps private datasets from the public and shares them conditionally with other departments', async () => {
    const made = result(
      await ckanCall(
        t.app,
        'package_create',
        { name: 'inspection-records', title: '检查记录', private: true, state: 'active' },
        // No owner_org: the caller stewards one department only.
        { headers: ckanAuth(msa.adminToken) },
      ),
    );
    expect(made).toMatchObject({
      private: true,
      state: 'active',
      open_type: 'none',
      share_type: 'conditional',
      share_condition: DEFAULT_SHARE_CONDITION,
      owner_org: msa.dept.id,
    });
    expect((await ckanCall(t.app, 'package_show', { id: made.name }, { method: 'GET' })).statusCode).toBe(
      403,
    );
    const otherDept = await ckanCall(
      t.app,
      'package_show',
      { id: made.name },
      { headers: ckanAuth(edu.stewardToken) },
    );
    expect(otherDept.statusCode).toBe(200);

    const names = async (headers: Record<string, string>, includePrivate: boolean) =>
      result(
        await ckanCall(t.app, 'package_search', { include_private: includePrivate, rows: 100 }, { headers }),
      ).results.map((r: { name: string }) => r.name);
    expect(await names({}, true)).not.toContain('inspection-records');
    expect(await names(ckanAuth(edu.stewardToken), false)).not.toContain('inspection-records');
    expect(await names(ckanAuth(edu.stewardToken), true)).toContain('inspection-records');
    expect(result(await ckanCall(t.app, 'package_list', {}, { method: 'GET' }))).not.toContain(
      'inspection-records',
    );
  });

  it('accepts Civitas fields as top-level keys', async () => {
    const made = result(
      await ckanCall(
        t.app,
        'package_create',
        {
          name: 'school-list',
          owner_org: 'LS-EDU',
          resource_code: 'EDU-SCHOOLS-1',
          share_type: 'conditional',
          share_condition: '仅限教育相关部门',
          open_type: 'none',
          update_cycle: 'monthly',
          title_en: 'Schools',
          extras: [{ key: 'source', value: 'census' }],
          groups: [{ name: 'education' }],
        },
        { headers: ckanAuth(edu.stewardToken) },
      ),
    );
    expect(made).toMatchObject({
      resource_code: 'EDU-SCHOOLS-1',
      share_type: 'conditional',
      share_condition: '仅限教育相关部门',
      open_type: 'none',
      private: true,
      update_cycle: 'monthly',
      title_en: 'Schools',
      extras: [{ key: 'source', value: 'census' }],
      groups: [{ name: 'education', id: 'education' }],
    });
    const bad = await ckanCall(
      t.app,
      'package_create',
      { name: 'bad-cycle', owner_org: 'ls-edu', update_cycle: 'hourly' },
      {
        headers: ckanAuth(edu.stewardToken),
      },
    );
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error).toHaveProperty('update_cycle');
  });
});
