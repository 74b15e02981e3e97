import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRequest, Grant } from '../src/contracts/exchange.ts';
import type { GatewayRecords } from '../src/contracts/exchange-gateway.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../src/server/modules/catalog/catalog.test-helpers.ts';
import { drainLoads } from '../src/server/modules/datastore/datastore.test-helpers.ts';
import { verifyAccessLog } from '../src/server/modules/exchange/index.ts';
import { registerCitizen, residentId } from '../src/server/modules/identity/identity.test-helpers.ts';
import { verifyIdentity } from '../src/server/modules/identity/index.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import { createTestApp, type TestApp, type TestClient } from './support/test-app.ts';

// The whole exchange over real HTTP, as issue 5 asks: department B asks for a conditional resource of
// department A; A approves with fewer fields; B's system calls the gateway; granted fields arrive
// masked as the data dictionary says, ungranted ones are refused; suspended, revoked and expired
// grants are refused; calls over the rate get 429; the citizen whose record was read sees the access;
// and tampering with the access log is detected.

let t: TestApp;
let base: string;
let a: CatalogDept;
let b: CatalogDept;
let distributionId: string;
let citizen: TestClient;

const ZHANG = residentId(501);
const LI = residentId(502);
const CSV = [
  '姓名,身份证号,区县,备注,密钥',
  `张三,${ZHANG},东港区,低保复核,甲`,
  `李四,${LI},岚山区,,乙`,
  `王五,${residentId(503)},东港区,,丙`,
].join('\n');

/** A call over the network, with the client's API token or session as TestClient holds them. */
async function http(
  client: TestClient | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const h: Record<string, string> = { ...headers };
  if (client?.bearer) h.authorization = `Bearer ${client.bearer}`;
  if (client?.cookie) h.cookie = client.cookie;
  if (client?.csrf && method !== 'GET') h['x-csrf-token'] = client.csrf;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** A gateway call by B's system with its credential, stating purpose and case. */
const gateway = (credential: string, path: string, headers: Record<string, string> = {}) =>
  http(null, 'GET', `/exchange/v1${path}`, undefined, {
    authorization: `Bearer ${credential}`,
    // Header values are bytes: Chinese text travels percent-encoded (RFC 8187).
    'x-civitas-purpose': `utf-8''${encodeURIComponent('低保资格复核')}`,
    'x-civitas-case': 'DB-2026-0042',
    'x-civitas-user': 'caseworker-17',
    ...headers,
  });
const lookup = (credential: string, field: string, value: string) =>
  gateway(credential, `/resources/${distributionId}/lookup?${new URLSearchParams({ field, value })}`);

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  a = await catalogDepartment(t.ctx, t.app, { nameZh: '民政局' });
  b = await catalogDepartment(t.ctx, t.app, { nameZh: '人社局' });
  const ds = await publishedDataset(
    t.ctx,
    openDatasetInput(a.id, {
      titleZh: '低保对象名册',
      openType: 'none',
      shareType: 'conditional',
      shareCondition: '经民政局审批后共享',
      licenseId: undefined,
    }),
    { filename: '低保对象.csv', content: Buffer.from(CSV) },
  );
  expect(await drainLoads(t.ctx)).toBe(1);
  distributionId = ds.distributions[0]!.id;
  const dictionary = await a.steward.request('PUT', `/api/datastore/${distributionId}/dictionary`, {
    columns: [
      { id: '姓名', sensitivity: 'personal', mask: 'name' },
      { id: '备注', sensitivity: 'internal', mask: 'none' },
      { id: '密钥', sensitivity: 'secret', mask: 'none' },
    ],
  });
  expect(dictionary.statusCode, dictionary.body).toBe(200);
  const registered = await registerCitizen(t.app, 501);
  // "My data" is shown only once staff have verified who holds the account.
  await verifyIdentity(t.ctx, systemActor(), registered.me.person.id, '身份证原件核验');
  citizen = registered.client;
});
afterAll(async () => t?.close());

describe('department B reads department A’s conditional resource through Civitas', () => {
  let request: AccessRequest;
  let grant: Grant;
  let credential: string;

  it('B asks; the request waits for A with a deadline in working days', async () => {
    const secret = await http(b.steward, 'POST', '/api/exchange/requests', {
      distributionId,
      requesterDepartmentId: b.id,
      purpose: '核对低保对象的就业状况',
      legalBasis: '《社会救助暂行办法》第十一条',
      fields: ['姓名', '身份证号', '密钥'],
      durationDays: 90,
      systemName: '人社就业信息系统',
    });
    expect(secret.status, secret.text).toBe(400);
    expect(secret.text).toContain('密钥');

    const res = await http(b.steward, 'POST', '/api/exchange/requests', {
      distributionId,
      requesterDepartmentId: b.id,
      purpose: '核对低保对象的就业状况',
      legalBasis: '《社会救助暂行办法》第十一条',
      fields: ['姓名', '身份证号', '区县', '备注'],
      durationDays: 90,
      expectedCallsPerDay: 500,
      systemName: '人社就业信息系统',
    });
    expect(res.status, res.text).toBe(201);
    request = res.json();
    expect(request).toMatchObject({ state: 'pending', autoApproved: false, grantId: null });
    expect(Date.parse(request.dueAt!)).toBeGreaterThan(Date.now());
    // B cannot decide its own request.
    const self = await http(b.admin, 'POST', `/api/exchange/requests/${request.id}/decision`, {
      decision: 'approve',
    });
    expect(self.status).toBe(403);
  });

  it('A approves with fewer fields and a rate limit; B issues the credential', async () => {
    const res = await http(a.steward, 'POST', `/api/exchange/requests/${request.id}/decision`, {
      decision: 'approve',
      fields: ['姓名', '身份证号', '区县'],
      rateLimitPerMinute: 8,
      reason: '备注为内部信息，不予共享',
    });
    expect(res.status, res.text).toBe(200);
    const decided: AccessRequest = res.json();
    expect(decided).toMatchObject({ state: 'approved' });
    grant = (await http(b.steward, 'GET', `/api/exchange/grants/${decided.grantId}`)).json();
    expect(grant).toMatchObject({ state: 'active', fields: ['姓名', '身份证号', '区县'] });
    // Only B's data administrators hold the credential.
    expect((await http(a.steward, 'POST', `/api/exchange/grants/${grant.id}/credential`, {})).status).toBe(
      403,
    );
    const issued = await http(b.steward, 'POST', `/api/exchange/grants/${grant.id}/credential`, {});
    expect(issued.status, issued.text).toBe(201);
    credential = issued.json().credential;
    expect(credential).toMatch(/^cvx_/);
  });

  it('B’s system reads a person by resident ID: granted fields only, personal ones masked', async () => {
    const res = await lookup(credential, '身份证号', ZHANG);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('x-civitas-request-id')).toBeTruthy();
    const body: GatewayRecords = res.json();
    expect(body.records).toHaveLength(1);
    const record = body.records[0]!;
    expect(record.区县).toBe('东港区');
    expect(record.姓名).toBe('张*');
    expect(record.身份证号).not.toBe(ZHANG);
    expect(String(record.身份证号)).toMatch(/^1101\*+\d{3}[\dX]$/);
    expect(record).not.toHaveProperty('备注');
    expect(record).not.toHaveProperty('密钥');
    expect(Object.keys(record).some((k) => k.startsWith('__'))).toBe(false);
  });

  it('refuses ungranted fields, calls without a purpose and unknown credentials', async () => {
    const ungranted = await lookup(credential, '备注', '低保复核');
    expect(ungranted.status).toBe(403);
    expect(ungranted.json().error.code).toBe('exchange.field_not_granted');
    const filtered = await gateway(
      credential,
      `/resources/${distributionId}/records?filters=${encodeURIComponent(JSON.stringify({ 密钥: '甲' }))}`,
    );
    expect(filtered.status).toBe(403);
    const noPurpose = await http(
      null,
      'GET',
      `/exchange/v1/resources/${distributionId}/lookup?field=区县&value=x`,
      undefined,
      {
        authorization: `Bearer ${credential}`,
      },
    );
    expect(noPurpose.status).toBe(400);
    expect((await lookup('cvx_not-a-real-credential', '区县', '东港区')).status).toBe(401);
  });

  it('refuses a suspended grant, serves it again once resumed, refuses an expired one', async () => {
    const suspend = await http(a.admin, 'POST', `/api/exchange/grants/${grant.id}/suspend`, {
      reason: '核查',
    });
    expect(suspend.status, suspend.text).toBe(200);
    const refused = await lookup(credential, '区县', '岚山区');
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe('exchange.grant_suspended');
    expect((await http(a.admin, 'POST', `/api/exchange/grants/${grant.id}/resume`, {})).status).toBe(200);
    expect((await lookup(credential, '区县', '岚山区')).status).toBe(200);

    await sql`update exchange_grants set expires_at = now() - interval '1 minute' where id = ${grant.id}`.execute(
      t.ctx.db,
    );
    const expired = await lookup(credential, '区县', '岚山区');
    expect(expired.status).toBe(403);
    expect(expired.json().error.code).toBe('exchange.grant_expired');
    const renew = await http(a.steward, 'POST', `/api/exchange/grants/${grant.id}/renew`, { days: 30 });
    expect(renew.status, renew.text).toBe(200);
    expect((await lookup(credential, '区县', '岚山区')).status).toBe(200);
  });

  it('answers 429 past the grant’s rate', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await lookup(credential, '区县', '东港区')).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(8);
  });

  it('refuses a revoked grant for good', async () => {
    const revoke = await http(b.admin, 'POST', `/api/exchange/grants/${grant.id}/revoke`, {
      reason: '系统下线',
    });
    expect(revoke.status, revoke.text).toBe(200);
    const refused = await lookup(credential, '身份证号', LI);
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe('exchange.grant_revoked');
    expect((await http(a.admin, 'POST', `/api/exchange/grants/${grant.id}/resume`, {})).status).toBe(409);
  });

  it('the citizen whose record was read sees who read it, why and when', async () => {
    const res = await http(citizen, 'GET', '/api/me/data-access');
    expect(res.status, res.text).toBe(200);
    const items = res.json().items as { requesterDepartmentZh: string; purpose: string; caseRef: string }[];
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(items[0]).toMatchObject({
      requesterDepartmentZh: '人社局',
      purpose: '低保资格复核',
      caseRef: 'DB-2026-0042',
    });
    const csv = await http(citizen, 'GET', '/api/me/data-access?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text).toContain('DB-2026-0042');
  });

  it('every call is in the chained log, and tampering with it is detected', async () => {
    const calls = await sql<{ n: number }>`select count(*)::int as n from exchange_access_log
      where grant_id = ${grant.id}`.execute(t.ctx.db);
    // 1 lookup, 2 refusals, 1 suspended, 1 resumed, 1 expired, 1 renewed, 10 rated, 1 revoked.
    expect(calls.rows[0]!.n).toBeGreaterThanOrEqual(17);
    const clean = await verifyAccessLog(t.ctx);
    expect(clean.ok).toBe(true);
    await sql`update exchange_access_log set purpose = '篡改' where entry_id =
      (select min(entry_id) from exchange_access_log where grant_id = ${grant.id})`.execute(t.ctx.db);
    const tampered = await verifyAccessLog(t.ctx);
    expect(tampered.ok).toBe(false);
  });
});
