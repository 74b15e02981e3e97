import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from '../datastore/datastore.test-helpers.ts';
import {
  registerCitizen,
  residentId,
  STRONG_PASSWORD,
  signIn,
  uniqueName,
  uscc,
} from '../identity/identity.test-helpers.ts';
import { createStaff, verifyIdentity } from '../identity/index.ts';
import { insertTestGrant } from './exchange.test-helpers.ts';

// "My data": the citizen whose record a department read through the gateway sees the access (and
// another citizen does not); a business sees reads about its credit code; withheld accesses appear
// once their date has passed; the list exports as CSV. Only accounts whose identity staff have
// verified see it: registering with someone else's ID number shows nothing (403).

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let distributionId: string;
let datasetId: string;
let credential: string;
let confidential: string;
/** A platform admin, who may verify residents' and businesses' identities. */
let manager: TestClient;

const MINE = residentId(611);
const OTHER = residentId(612);
const COMPANY = uscc(613);
/** Someone who has no account yet: the exploit registers with their ID number. */
const VICTIM = residentId(615);

const CSV = [
  'name,resident_id,credit_code,district',
  `张三,${MINE.toLowerCase()},${COMPANY},东城区`,
  `李四,${OTHER},,西城区`,
  `白五,${VICTIM},,南城区`,
].join('\n');

const lookup = (cred: string, field: string, value: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'GET',
    url: `/exchange/v1/resources/${distributionId}/lookup?${new URLSearchParams({ field, value })}`,
    headers: {
      authorization: `Bearer ${cred}`,
      'x-civitas-purpose': 'benefit review',
      'x-civitas-case': 'CASE-9',
      ...headers,
    },
  });

async function registerBusiness(code: string) {
  const client = new TestClient(t.app);
  const res = await client.post('/api/auth/register', {
    kind: 'business',
    username: uniqueName('biz'),
    password: STRONG_PASSWORD,
    displayName: '企业经办人',
    uscc: code,
    companyName: '岚山测试有限公司',
  });
  expect(res.statusCode, res.body).toBe(201);
  client.csrf = res.json().csrfToken;
  return { client, id: res.json().person.id as string };
}

/** The account holder's identity is verified (as the demo loader records it; staff verify at the counter). */
async function verify(personId: string) {
  await verifyIdentity(t.ctx, systemActor(), personId, '身份证原件核验，政务服务中心窗口');
}

beforeAll(async () => {
  t = await createTestApp();
  const managerName = uniqueName('manager');
  await createStaff(t.ctx, systemActor(), {
    username: managerName,
    displayName: '窗口核验员',
    password: STRONG_PASSWORD,
    departmentId: (await catalogDepartment(t.ctx, t.app, { nameZh: '政务服务中心' })).id,
    roles: [],
    isPlatformAdmin: true,
  });
  manager = await signIn(t.app, managerName);
  a = await catalogDepartment(t.ctx, t.app, { nameZh: '民政局' });
  b = await catalogDepartment(t.ctx, t.app, { nameZh: '人社局' });
  const ds = await publishedDataset(
    t.ctx,
    openDatasetInput(a.id, { titleZh: '低保名册', titleEn: 'Benefit roll' }),
    {
      filename: 'roll.csv',
      content: Buffer.from(CSV),
    },
  );
  await drainLoads(t.ctx);
  datasetId = ds.id;
  distributionId = ds.distributions[0]!.id;
  const patches: Record<string, Partial<DictionaryColumn>> = {
    name: { label: '姓名', labelEn: 'Name' },
    resident_id: { sensitivity: 'personal', mask: 'id_number', subject: 'resident_id', type: 'text' },
    credit_code: { sensitivity: 'public', mask: 'none', subject: 'uscc', type: 'text' },
  };
  const table = await t.ctx.db
    .selectFrom('datastore_tables')
    .select('columns')
    .where('distribution_id', '=', distributionId)
    .executeTakeFirstOrThrow();
  const columns = (table.columns as DictionaryColumn[]).map((c) => ({ ...c, ...patches[c.id] }));
  await sql`update datastore_tables set columns = ${JSON.stringify(columns)}::jsonb
            where distribution_id = ${distributionId}`.execute(t.ctx.db);
  const g = {
    datasetId,
    distributionId,
    ownerDepartmentId: a.id,
    granteeDepartmentId: b.id,
    fields: ['name', 'resident_id', 'credit_code', 'district'],
    delivery: 'api' as const,
  };
  credential = (await insertTestGrant(t.ctx, g)).credential;
  confidential = (await insertTestGrant(t.ctx, { ...g, confidential: true })).credential;
});
afterAll(async () => t?.close());

describe('GET /api/me/data-access', () => {
  let me: TestClient;
  let other: TestClient;

  beforeAll(async () => {
    const mine = await registerCitizen(t.app, 611);
    const theirs = await registerCitizen(t.app, 612);
    await verify(mine.me.person.id);
    await verify(theirs.me.person.id);
    me = mine.client;
    other = theirs.client;
    expect((await lookup(credential, 'resident_id', MINE)).json().records).toHaveLength(1);
  });

  it('shows the citizen who read their record, from whom, why and for which case', async () => {
    const res = await me.get('/api/me/data-access');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({
      requesterDepartmentId: b.id,
      requesterDepartmentZh: '人社局',
      ownerDepartmentZh: '民政局',
      resourceTitleZh: '低保名册',
      resourceTitleEn: 'Benefit roll',
      purpose: 'benefit review',
      caseRef: 'CASE-9',
      fields: ['name', 'resident_id', 'credit_code', 'district'],
      disclosedAfter: null,
    });
    expect((await other.get('/api/me/data-access')).json().total).toBe(0);
  });

  it('counts only successful reads, newest first', async () => {
    await lookup(credential, 'income', MINE); // refused: not a column
    await lookup(credential, 'district', '东城区', { 'x-civitas-case': 'CASE-10' });
    const items = (await me.get('/api/me/data-access')).json().items;
    expect(items.map((i: { caseRef: string }) => i.caseRef)).toEqual(['CASE-10', 'CASE-9']);
    expect((await other.get('/api/me/data-access')).json().total).toBe(0);
  });

  it('leaves withheld accesses out until their date has passed', async () => {
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const res = await lookup(confidential, 'resident_id', OTHER, {
      'x-civitas-withheld-until': until,
      'x-civitas-case': 'SECRET-1',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await other.get('/api/me/data-access')).json().total).toBe(0);
    await sql`update exchange_access_log set withheld_until = current_date - 1
              where call_id = ${String(res.headers['x-civitas-request-id'])}`.execute(t.ctx.db);
    const items = (await other.get('/api/me/data-access')).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ caseRef: 'SECRET-1' });
    expect(items[0].disclosedAfter).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('shows a business the reads about its credit code', async () => {
    const business = await registerBusiness(COMPANY);
    await verify(business.id);
    expect((await business.client.get('/api/me/data-access')).json().total).toBe(2);
    const stranger = await registerBusiness(uscc(614));
    await verify(stranger.id);
    expect((await stranger.client.get('/api/me/data-access')).json().total).toBe(0);
  });

  it('exports as CSV with a BOM, headed in the caller’s language', async () => {
    const en = await me.get('/api/me/data-access?format=csv');
    expect(en.statusCode, en.body).toBe(200);
    expect(en.headers['content-type']).toMatch(/^text\/csv/);
    expect(en.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = en.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('"Requesting department"');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('"CASE-10"');
    // The time as the page shows it, in Beijing: the newest entry's instant, 8 hours ahead of UTC.
    const newest = (await me.get('/api/me/data-access')).json().items[0].at as string;
    const beijing = new Date(Date.parse(newest) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(lines[0]).toMatch(/^"Time \(Beijing, UTC\+8\)"/);
    expect(lines[1]).toMatch(new RegExp(`^"${beijing}"`));
    const zh = await me.get('/api/me/data-access?format=csv', { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.body).toContain('"时间（北京时间）"');
    expect(zh.body).toContain('"使用部门"');
    expect(zh.body).toContain('"人社局"');
  });

  it('names the fields by the data dictionary’s labels, in the list and the CSV', async () => {
    const items = (await me.get('/api/me/data-access')).json().items;
    expect(items[0].columnLabels).toContainEqual({ id: 'name', label: '姓名', labelEn: 'Name' });
    const en = await me.get('/api/me/data-access?format=csv', { 'accept-language': 'en' });
    expect(en.body).toContain('"Name; resident_id; credit_code; district"');
    const zh = await me.get('/api/me/data-access?format=csv', { 'accept-language': 'zh-CN' });
    expect(zh.body).toContain('"姓名; resident_id; credit_code; district"');
  });

  it('heads the CSV in the language the web app asks for, whatever the browser’s', async () => {
    // The web app's language is the person's choice on this device, not the browser's Accept-Language.
    const en = await me.get('/api/me/data-access?format=csv&lang=en', {
      'accept-language': 'zh-CN,zh;q=0.9',
    });
    expect(en.statusCode, en.body).toBe(200);
    expect(en.body).toContain('"Requesting department"');
    const zh = await me.get('/api/me/data-access?format=csv&lang=zh-CN', { 'accept-language': 'en-GB' });
    expect(zh.body).toContain('"使用部门"');
    expect((await me.get('/api/me/data-access?format=csv&lang=fr')).statusCode).toBe(400);
  });

  it('is for citizens and businesses only, and validates its query', async () => {
    expect((await a.steward.get('/api/me/data-access')).statusCode).toBe(403);
    expect((await new TestClient(t.app).get('/api/me/data-access')).statusCode).toBe(401);
    expect((await me.get('/api/me/data-access?format=xml')).statusCode).toBe(400);
    expect((await me.get('/api/me/data-access?pageSize=1000')).statusCode).toBe(400);
  });
});

describe('real-name verification before "my data"', () => {
  // Whoever registers with VICTIM's number: nothing proves it is them until staff check their documents.
  let holder: Awaited<ReturnType<typeof registerCitizen>>;

  it('refuses someone who registered with another person’s ID number, list and CSV alike', async () => {
    const read = await lookup(credential, 'resident_id', VICTIM, { 'x-civitas-case': 'DIBAO-7' });
    expect(read.statusCode, read.body).toBe(200);
    holder = await registerCitizen(t.app, 615, uniqueName('not-bai'));
    expect(holder.me.person.identityVerifiedAt).toBeNull();
    for (const url of ['/api/me/data-access', '/api/me/data-access?format=csv']) {
      const res = await holder.client.get(url);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('exchange.identity_unverified');
      expect(res.body).not.toContain('DIBAO-7');
      expect(res.body).not.toContain('人社局');
    }
  });

  it('shows the history once staff have verified the account holder’s identity', async () => {
    const { client, me: registered } = holder;
    await verify(registered.person.id);
    expect((await client.get('/api/me')).json().person.identityVerifiedAt).toEqual(expect.any(String));
    const res = await client.get('/api/me/data-access');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: { caseRef: string }) => i.caseRef)).toEqual(['DIBAO-7']);
    const csv = await client.get('/api/me/data-access?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('"DIBAO-7"');
    // Withdrawn again, the history is hidden again.
    const revoke = await manager.request(
      'DELETE',
      `/api/people/${registered.person.id}/identity-verification`,
      {
        reason: '核验有误',
      },
    );
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect((await client.get('/api/me/data-access')).json().error.code).toBe('exchange.identity_unverified');
  });

  it('refuses an unverified business too', async () => {
    const { client } = await registerBusiness(uscc(616));
    const res = await client.get('/api/me/data-access?format=csv');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('exchange.identity_unverified');
  });
});
