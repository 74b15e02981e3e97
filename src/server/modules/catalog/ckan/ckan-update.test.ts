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

// A CKAN client updating what it made: package_update and its round trip, resources, the activity
// stream, and package_delete.

let t: TestApp;
let msa: Awaited<ReturnType<typeof departmentWithStaff>>;
let edu: Awaited<ReturnType<typeof departmentWithStaff>>;

beforeAll(async () => {
  t = await createCkanTestApp();
  msa = await departmentWithStaff(t.ctx, 'LS-MSA', '市场监督管理局');
  edu = await departmentWithStaff(t.ctx, 'LS-EDU', '教育局');
  // A published dataset with a link and an uploaded file, made the way a CKAN client makes it.
  const made = result(
    await ckanCall(
      t.app,
      'package_create',
      {
        name: 'enterprise-register',
        title: '企业名录',
        owner_org: 'ls-msa',
        notes: '全市企业登记信息',
        tags: [{ name: '企业' }],
        resources: [{ url: 'https://example.org/enterprises.csv', format: 'CSV' }],
      },
      { headers: ckanAuth(msa.stewardToken) },
    ),
  );
  result(
    await ckanUpload(
      t.app,
      'resource_create',
      ckanAuth(msa.stewardToken),
      { package_id: made.id },
      Buffer.from('a\n1\n'),
    ),
  );
  result(
    await ckanCall(
      t.app,
      'package_patch',
      { id: made.id, state: 'active' },
      { headers: ckanAuth(msa.adminToken) },
    ),
  );
});
afterAll(async () => t.close());

describe('a CKAN client changing its datasets', () => {
  it('package_update replaces what CKAN clients edit and keeps access; a show/update round trip changes one field', async () => {
    const before = result(
      await ckanCall(
        t.app,
        'package_show',
        { id: 'enterprise-register' },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    const roundTrip = result(
      await ckanCall(
        t.app,
        'package_update',
        { ...before, title: '企业名录（更新）' },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(roundTrip).toMatchObject({
      title: '企业名录（更新）',
      notes: before.notes,
      num_resources: 2,
      state: 'active',
    });
    expect(roundTrip.resources.map((r: { id: string }) => r.id)).toEqual(
      before.resources.map((r: { id: string }) => r.id),
    );

    const replaced = result(
      await ckanCall(
        t.app,
        'package_update',
        {
          id: before.id,
          title: '企业名录',
          resources: [
            { id: before.resources[1].id },
            { url: 'https://example.org/api', resource_type: 'api' },
          ],
        },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(replaced).toMatchObject({
      title: '企业名录',
      notes: '',
      num_tags: 0,
      private: false,
      open_type: 'open',
    });
    expect(
      replaced.resources.map((r: { url_type: string | null; resource_type: string | null }) => [
        r.url_type,
        r.resource_type,
      ]),
    ).toEqual([
      ['upload', null],
      [null, 'api'],
    ]);

    const renamed = await ckanCall(
      t.app,
      'package_update',
      { id: before.id, name: 'another-name' },
      { headers: ckanAuth(msa.stewardToken) },
    );
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json().error.name).toBeDefined();
    // Opening or closing a published dataset is its department admin's decision.
    const closing = await ckanCall(
      t.app,
      'package_patch',
      { id: before.id, private: true },
      { headers: ckanAuth(msa.stewardToken) },
    );
    expect(closing.statusCode).toBe(403);
  });

  it('creates link resources from JSON', async () => {
    const link = result(
      await ckanCall(
        t.app,
        'resource_create',
        {
          package_id: 'enterprise-register',
          url: 'https://example.org/feeds/list.json',
          description: '每日更新',
        },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(link).toMatchObject({
      name: 'list.json',
      format: 'JSON',
      url_type: null,
      description: '每日更新',
    });
    const bad = await ckanCall(
      t.app,
      'resource_create',
      { package_id: 'enterprise-register', url: 'ftp://example.org/x' },
      { headers: ckanAuth(msa.stewardToken) },
    );
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.url).toHaveLength(1);
    const none = await ckanCall(
      t.app,
      'resource_create',
      { url: 'https://example.org/x' },
      { headers: ckanAuth(msa.stewardToken) },
    );
    expect(none.json().error).toMatchObject({ __type: 'Validation Error', package_id: ['Missing value'] });
    expect(
      result(
        await ckanCall(t.app, 'resource_delete', { id: link.id }, { headers: ckanAuth(msa.stewardToken) }),
      ),
    ).toBeNull();
  });

  it('updates, replaces and deletes resources', async () => {
    const ds = result(
      await ckanCall(
        t.app,
        'package_show',
        { id: 'enterprise-register' },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    const file = ds.resources.find((r: { url_type: string | null }) => r.url_type === 'upload');
    const renamed = result(
      await ckanCall(
        t.app,
        'resource_update',
        { id: file.id, name: '企业名录2024.csv', url: file.url },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(renamed).toMatchObject({ id: file.id, name: '企业名录2024.csv', hash: file.hash });

    const bytes = Buffer.from('a,b\n1,2\n3,4\n');
    const replaced = result(
      await ckanUpload(t.app, 'resource_update', ckanAuth(msa.stewardToken), { id: file.id }, bytes),
    );
    expect(replaced).toMatchObject({
      id: file.id,
      size: bytes.length,
      hash: createHash('sha256').update(bytes).digest('hex'),
    });
    const download = await t.app.inject({ method: 'GET', url: new URL(replaced.url).pathname });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);

    const api = ds.resources.find((r: { resource_type: string | null }) => r.resource_type === 'api');
    expect(
      result(
        await ckanCall(t.app, 'resource_delete', { id: api.id }, { headers: ckanAuth(msa.stewardToken) }),
      ),
    ).toBeNull();
    const after = result(
      await ckanCall(t.app, 'package_show', { id: 'enterprise-register' }, { method: 'GET' }),
    );
    expect(after.num_resources).toBe(1);
    expect((await ckanCall(t.app, 'resource_show', { id: api.id }, { method: 'GET' })).statusCode).toBe(404);
  });

  it('lists the activity of a dataset', async () => {
    const activity = result(
      await ckanCall(t.app, 'package_activity_list', { id: 'enterprise-register' }, { method: 'GET' }),
    ) as unknown as {
      activity_type: string;
      timestamp: string;
      data: { package: { name: string } };
    }[];
    expect(activity.length).toBeGreaterThan(5);
    expect(activity.at(-1)?.activity_type).toBe('new package');
    expect(activity[0]?.activity_type).toBe('changed package');
    expect(activity[0]?.timestamp).toMatch(CKAN_TIME);
    expect(activity[0]?.data.package.name).toBe('enterprise-register');
  });

  it('package_delete deletes a draft and withdraws a published dataset (department admins only)', async () => {
    result(
      await ckanCall(
        t.app,
        'package_create',
        { name: 'short-lived', owner_org: 'ls-msa' },
        { headers: ckanAuth(msa.stewardToken) },
      ),
    );
    expect(
      result(
        await ckanCall(
          t.app,
          'package_delete',
          { id: 'short-lived' },
          { headers: ckanAuth(msa.stewardToken) },
        ),
      ),
    ).toBeNull();
    expect(
      (await ckanCall(t.app, 'package_show', { id: 'short-lived' }, { headers: ckanAuth(msa.stewardToken) }))
        .statusCode,
    ).toBe(404);

    expect(
      (
        await ckanCall(
          t.app,
          'package_delete',
          { id: 'enterprise-register' },
          { headers: ckanAuth(msa.stewardToken) },
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ckanCall(
          t.app,
          'package_delete',
          { id: 'enterprise-register' },
          { headers: ckanAuth(edu.adminToken) },
        )
      ).statusCode,
    ).toBe(403);
    expect(
      result(
        await ckanCall(
          t.app,
          'package_delete',
          { id: 'enterprise-register' },
          { headers: ckanAuth(msa.adminToken) },
        ),
      ),
    ).toBeNull();
    const withdrawn = result(
      await ckanCall(
        t.app,
        'package_show',
        { id: 'enterprise-register' },
        { headers: ckanAuth(msa.adminToken) },
      ),
    );
    expect(withdrawn.state).toBe('deleted');
    expect(result(await ckanCall(t.app, 'package_list', {}, { method: 'GET' }))).not.toContain(
      'enterprise-register',
    );
  });
});
