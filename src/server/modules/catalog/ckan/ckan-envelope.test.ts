import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../../test/support/test-app.ts';
import { AppError } from '../../../platform/errors.ts';
import { STRONG_PASSWORD, signIn, uniqueName } from '../../identity/identity.test-helpers.ts';
import { createStaff } from '../../identity/index.ts';
import { createDataset } from '../index.ts';
import { ckanAuth, ckanCall, createCkanTestApp, departmentWithStaff, system } from './ckan.test-helpers.ts';
import { ckanFieldOf, toCkanError } from './ckan-envelope.ts';

// CKAN's envelope and error shapes, over real HTTP: what every CKAN client parses.

let t: TestApp;
let staff: Awaited<ReturnType<typeof departmentWithStaff>>;
let other: Awaited<ReturnType<typeof departmentWithStaff>>;
const HELP = /^http:\/\/localhost(:\d+)?\/api\/3\/action\/help_show\?name=/;

beforeAll(async () => {
  t = await createCkanTestApp();
  staff = await departmentWithStaff(t.ctx, 'ENV-A');
  other = await departmentWithStaff(t.ctx, 'ENV-B');
  // A draft of department A: its staff see it, nobody else does.
  await createDataset(t.ctx, system, {
    name: 'secret-draft',
    titleZh: '内部草稿',
    departmentId: staff.dept.id,
  });
});
afterAll(async () => t.close());

describe('CKAN envelope', () => {
  it('wraps results as {help, success: true, result} for GET and POST, under /api/3/action and /api/action', async () => {
    for (const method of ['GET', 'POST'] as const) {
      for (const prefix of ['/api/3/action', '/api/action']) {
        const res = await ckanCall(t.app, 'site_read', {}, { method, prefix });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        const body = res.json();
        expect(Object.keys(body).sort()).toEqual(['help', 'result', 'success']);
        expect(body).toMatchObject({ success: true, result: true });
        expect(body.help).toMatch(HELP);
        expect(body.help).toContain('name=site_read');
      }
    }
  });

  it('answers status_show and help_show', async () => {
    const status = (await ckanCall(t.app, 'status_show', undefined, { method: 'GET' })).json().result;
    expect(status).toMatchObject({ site_title: 'Civitas', ckan_version: expect.stringMatching(/^2\.\d+/) });
    expect(status.extensions).toContain('civitas');
    const help = await ckanCall(t.app, 'help_show', { name: 'package_search' }, { method: 'GET' });
    expect(help.json().result).toContain(':param fq:');
    const unknown = await ckanCall(t.app, 'help_show', { name: 'no_such_action' }, { method: 'GET' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toEqual({
      __type: 'Not Found Error',
      message: 'Not found: Action function not found',
    });
  });

  it('404 Not Found Error for a dataset that does not exist', async () => {
    const res = await ckanCall(t.app, 'package_show', { id: 'no-such-dataset' }, { method: 'GET' });
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body).toMatchObject({ success: false, error: { __type: 'Not Found Error' } });
    expect(body.error.message).toMatch(/^Not found/);
    expect(body.help).toMatch(HELP);
    expect(body).not.toHaveProperty('result');
  });

  it('403 Authorization Error for what the caller may not see or do, anonymous callers included', async () => {
    const anonymous = await ckanCall(t.app, 'package_show', { id: 'secret-draft' }, { method: 'GET' });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.json().error.__type).toBe('Authorization Error');
    expect(anonymous.json().error.message).toMatch(/^Access denied/);

    const otherDept = await ckanCall(
      t.app,
      'package_show',
      { id: 'secret-draft' },
      { headers: ckanAuth(other.stewardToken) },
    );
    expect(otherDept.statusCode).toBe(403);
    const own = await ckanCall(
      t.app,
      'package_show',
      { id: 'secret-draft' },
      { headers: ckanAuth(staff.stewardToken) },
    );
    expect(own.statusCode).toBe(200);

    const write = await ckanCall(t.app, 'package_create', { name: 'x-anon', owner_org: 'env-a' });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.__type).toBe('Authorization Error');

    const wrongDept = await ckanCall(
      t.app,
      'package_create',
      { name: 'x-wrong', owner_org: 'env-a' },
      {
        headers: ckanAuth(other.stewardToken),
      },
    );
    expect(wrongDept.statusCode).toBe(403);

    const badToken = await ckanCall(
      t.app,
      'package_list',
      {},
      { headers: { authorization: 'cvt_not-a-real-token' } },
    );
    expect(badToken.statusCode).toBe(403);
    expect(badToken.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
  });

  it('409 Validation Error with CKAN field names and lists of messages', async () => {
    const missing = await ckanCall(
      t.app,
      'package_create',
      { title: 'no name' },
      { headers: ckanAuth(staff.stewardToken) },
    );
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error).toMatchObject({ __type: 'Validation Error', name: ['Missing value'] });

    const bad = await ckanCall(
      t.app,
      'package_create',
      { name: 'Bad Name!', title: 'x', owner_org: 'env-a', license_id: 'no-such-licence', private: false },
      { headers: ckanAuth(staff.stewardToken) },
    );
    expect(bad.statusCode).toBe(409);
    const error = bad.json().error;
    expect(error.__type).toBe('Validation Error');
    expect(Array.isArray(error.name)).toBe(true);
    expect(error.name[0]).toEqual(expect.any(String));

    const rules = await ckanCall(
      t.app,
      'package_create',
      { name: 'bad-licence', owner_org: 'env-a', license_id: 'no-such-licence' },
      { headers: ckanAuth(staff.stewardToken) },
    );
    expect(rules.statusCode).toBe(409);
    expect(rules.json().error.license_id).toEqual([expect.stringContaining('no-such-licence')]);

    const first = await ckanCall(
      t.app,
      'package_create',
      { name: 'taken-name', owner_org: 'env-a' },
      {
        headers: ckanAuth(staff.stewardToken),
      },
    );
    expect(first.statusCode).toBe(200);
    const again = await ckanCall(
      t.app,
      'package_create',
      { name: 'taken-name', owner_org: 'env-a' },
      {
        headers: ckanAuth(staff.stewardToken),
      },
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ __type: 'Validation Error', name: [expect.any(String)] });

    const resources = await ckanCall(
      t.app,
      'package_create',
      {
        name: 'bad-resources',
        owner_org: 'env-a',
        resources: [{ url: 'https://example.org/a.csv' }, { name: 'no url' }],
      },
      { headers: ckanAuth(staff.stewardToken) },
    );
    expect(resources.statusCode).toBe(409);
    expect(resources.json().error.resources).toEqual([{}, { url: ['Missing value'] }]);
  });

  it('400 for an unknown action, bad JSON, a non-object body and GET on a write', async () => {
    const unknown = await ckanCall(t.app, 'package_frobnicate', {});
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      success: false,
      error: { __type: 'Bad Request', message: 'Bad request - Action name not known: package_frobnicate' },
    });
    const proto = await ckanCall(t.app, 'constructor', {});
    expect(proto.statusCode).toBe(400);

    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/package_show',
      headers: { 'content-type': 'application/json' },
      payload: '{"id": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.message).toMatch(/^Bad request - JSON Error/);

    const list = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/package_show',
      headers: { 'content-type': 'application/json' },
      payload: '["a"]',
    });
    expect(list.statusCode).toBe(400);
    expect(list.json().error.message).toContain('needs to be a dictionary');

    const getWrite = await ckanCall(t.app, 'package_create', { name: 'x' }, { method: 'GET' });
    expect(getWrite.statusCode).toBe(400);
    expect(getWrite.json().error.message).toContain('Please use POST');
  });

  it('takes JSON sent as a form (curl -d) and plain form fields', async () => {
    const asForm = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/organization_show',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '{"id": "env-a"}',
    });
    expect(asForm.statusCode).toBe(200);
    expect(asForm.json().result.name).toBe('env-a');
    const fields = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/organization_show',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'id=env-b',
    });
    expect(fields.json().result.name).toBe('env-b');
  });

  it('search errors: 409 Search Error for a bad fq, 400 Search Query Error for a bad sort', async () => {
    const fq = await ckanCall(t.app, 'package_search', { fq: 'tags:(a OR' }, { method: 'GET' });
    expect(fq.statusCode).toBe(409);
    expect(fq.json().error.__type).toBe('Search Error');
    const field = await ckanCall(t.app, 'package_search', { fq: 'no_such_field:x' }, { method: 'GET' });
    expect(field.statusCode).toBe(409);
    const sort = await ckanCall(t.app, 'package_search', { sort: 'colour desc' }, { method: 'GET' });
    expect(sort.statusCode).toBe(400);
    expect(sort.json().error).toEqual({
      __type: 'Search Query Error',
      message: 'Search Query is invalid: Invalid "sort" parameter',
    });
    const rows = await ckanCall(t.app, 'package_search', { rows: '-1' }, { method: 'GET' });
    expect(rows.statusCode).toBe(409);
    expect(rows.json().error.rows).toEqual(['Must be a natural number']);
  });
});

describe('sessions and limits', () => {
  it('a browser session writes only with its CSRF token; token callers need none', async () => {
    const username = uniqueName('ckansession');
    await createStaff(t.ctx, system, {
      username,
      displayName: 'Session steward',
      password: STRONG_PASSWORD,
      departmentId: staff.dept.id,
      roles: ['data_steward'],
    });
    const browser = await signIn(t.app, username);
    const withoutCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/package_create',
      headers: { cookie: browser.cookie as string, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'via-session', owner_org: 'env-a' }),
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().error.__type).toBe('Authorization Error');
    const withCsrf = await browser.post('/api/3/action/package_create', {
      name: 'via-session',
      owner_org: 'env-a',
    });
    expect(withCsrf.statusCode).toBe(200);
    expect(withCsrf.json().result.name).toBe('via-session');
  });

  it('names an unknown organization, refuses uploads over the platform limit as CKAN does, rate-limits in the envelope', async () => {
    const org = await ckanCall(
      t.app,
      'package_create',
      { name: 'no-org', owner_org: 'nowhere' },
      {
        headers: ckanAuth(staff.stewardToken),
      },
    );
    expect(org.statusCode).toBe(409);
    expect(org.json().error.owner_org).toEqual(['Organization does not exist']);

    const small = await createCkanTestApp({ maxUploadBytes: 1024, rateLimitPerMinute: 5 });
    try {
      const s = await departmentWithStaff(small.ctx, 'ENV-S');
      const created = await ckanCall(
        small.app,
        'package_create',
        { name: 'tiny', owner_org: 'env-s' },
        {
          headers: ckanAuth(s.stewardToken),
        },
      );
      const boundary = 'ckanlimit';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="package_id"\r\n\r\ntiny\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="big.csv"\r\n\r\n`,
        ),
        Buffer.alloc(4096, 'x'),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/3/action/resource_create',
        headers: { ...ckanAuth(s.stewardToken), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ __type: 'Validation Error', upload: [expect.any(String)] });
      const after = await ckanCall(
        small.app,
        'package_show',
        { id: created.json().result.id },
        { headers: ckanAuth(s.stewardToken) },
      );
      expect(after.json().result.num_resources).toBe(0);
      // Rate limiting answers in the envelope too.
      let limited = await ckanCall(small.app, 'site_read');
      for (let i = 0; i < 5 && limited.statusCode !== 429; i++)
        limited = await ckanCall(small.app, 'site_read');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ success: false, error: { __type: 'Too Many Requests' } });
    } finally {
      await small.close();
    }
  });
});

describe('toCkanError', () => {
  it('never lets the text of an unexpected failure out', () => {
    const e = toCkanError(new Error('password=hunter2 at db.ts:12'));
    expect(e.status).toBe(500);
    expect(e.type).toBe('Internal Server Error');
    expect(e.message).toBe('Internal Server Error');
    expect(toCkanError(new AppError('x.boom', 503, 'secret detail')).message).not.toContain('secret');
  });

  it('maps Civitas errors to CKAN types and field names', () => {
    expect(toCkanError(new AppError('auth.unauthenticated', 401, 'Sign in first')).status).toBe(403);
    const rules = toCkanError(
      new AppError('catalog.rules_violated', 400, 'x', {
        fields: [
          { path: '/licenseId', message: 'An open resource must have a licence' },
          { path: '/titleZh', message: 'too long' },
          { path: '/shareCondition', message: 'needed' },
        ],
      }),
    );
    expect(rules.status).toBe(409);
    expect(rules.fields).toEqual({
      license_id: ['An open resource must have a licence'],
      title: ['too long'],
      share_condition: ['needed'],
    });
    expect(toCkanError(new AppError('storage.too_large', 413, 'too big')).fields).toEqual({
      upload: ['too big'],
    });
    expect(ckanFieldOf('/keywords/3')).toBe('tags');
    expect(ckanFieldOf('/departmentId')).toBe('owner_org');
  });
});
