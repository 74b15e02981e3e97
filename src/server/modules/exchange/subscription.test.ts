import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { type CatalogDept, catalogDepartment } from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from '../datastore/datastore.test-helpers.ts';
import { reloadDistribution } from '../datastore/load.service.ts';
import { drainExchangeJobs, insertTestGrant, setTestGrantState } from './exchange.test-helpers.ts';
import { type SharedTable, sharedTable } from './request.test-helpers.ts';
import { WEBHOOK_JOB } from './webhook.jobs.ts';
import { verifyWebhookSignature } from './webhook.ts';
import { isPrivateAddress, webhookAddressProblem } from './webhook-address.ts';

// Webhook subscriptions over the real app and a real HTTP receiver on this machine: a new version
// of the granted table is POSTed, signed; failures are retried later; a suspended grant's
// subscription gets nothing.

let t: TestApp;
let owner: CatalogDept;
let grantee: CatalogDept;
let table: SharedTable;
let grantId: string;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** Statuses the receiver answers with, in order; 200 once used up. */
const answers: number[] = [];
let receiver: http.Server;
let hookUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await catalogDepartment(t.ctx, t.app, { nameZh: '公安局' });
  grantee = await catalogDepartment(t.ctx, t.app, { nameZh: '民政局' });
  table = await sharedTable(t.ctx, owner.id);
  ({ grantId } = await insertTestGrant(t.ctx, {
    datasetId: table.datasetId,
    distributionId: table.distributionId,
    ownerDepartmentId: owner.id,
    granteeDepartmentId: grantee.id,
    fields: ['name', 'district'],
  }));
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/civitas`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await t.close();
});

/** Publishes a new version of the shared table (the stored file loaded again). */
async function publishVersion() {
  await reloadDistribution(t.ctx, systemActor('test'), table.distributionId, {});
  expect(await drainLoads(t.ctx)).toBe(1);
}

const deliveriesOf = async (subscriptionId: string) =>
  t.ctx.db
    .selectFrom('exchange_deliveries')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('created_at')
    .execute();

const auditActions = async (targetId: string) =>
  (
    await sql<{
      action: string;
    }>`select action from audit_log where target_id = ${targetId} order by entry_id`.execute(t.ctx.db)
  ).rows.map((r) => r.action);

describe('subscribing', () => {
  it('refuses bad input, other departments and anonymous callers', async () => {
    const url = `/api/exchange/grants/${grantId}/subscriptions`;
    expect((await grantee.steward.post(url, { url: 'ftp://example.org/hook' })).statusCode).toBe(400);
    expect((await grantee.steward.post(url, { url: 'not a url' })).statusCode).toBe(400);
    expect((await grantee.steward.post(url, {})).statusCode).toBe(400);
    expect((await grantee.steward.post(url, { url: hookUrl, extra: 1 })).statusCode).toBe(400);
    expect(
      (await grantee.steward.post('/api/exchange/grants/nope/subscriptions', { url: hookUrl })).statusCode,
    ).toBe(400);
    const unknown = await grantee.steward.post(
      '/api/exchange/grants/00000000-0000-4000-8000-000000000000/subscriptions',
      { url: hookUrl },
    );
    expect(unknown.statusCode).toBe(404);
    expect((await owner.steward.post(url, { url: hookUrl })).statusCode).toBe(403);
    expect((await grantee.handler.post(url, { url: hookUrl })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url, payload: { url: hookUrl } })).statusCode).toBe(401);
  });

  it('refuses addresses inside the network unless the operator allows them', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '169.254.169.254', '::1', '::ffff:10.0.0.1'])
      expect(isPrivateAddress(ip), ip).toBe(true);
    expect(isPrivateAddress('203.0.113.7')).toBe(false);
    expect(await webhookAddressProblem(new URL('http://127.0.0.1:9/x'), false)).toMatch(/inside the network/);
    expect(await webhookAddressProblem(new URL('http://[::1]/x'), false)).toMatch(/inside the network/);
    expect(await webhookAddressProblem(new URL('http://203.0.113.7/x'), false)).toBeUndefined();
    expect(await webhookAddressProblem(new URL('http://127.0.0.1:9/x'), true)).toBeUndefined();
    expect(await webhookAddressProblem(new URL('http://u:p@203.0.113.7/x'), false)).toMatch(/credentials/);
  });
});

describe('deliveries', () => {
  let subscriptionId: string;
  let secret: string;

  it('shows the secret once and audits the subscription', async () => {
    const res = await grantee.steward.post(`/api/exchange/grants/${grantId}/subscriptions`, { url: hookUrl });
    expect(res.statusCode, res.body).toBe(201);
    const sub = res.json();
    expect(sub).toMatchObject({ grantId, url: hookUrl, state: 'active', lastDelivery: null });
    expect(sub.secret).toMatch(/^whsec_/);
    subscriptionId = sub.id;
    secret = sub.secret;
    const stored = await t.ctx.db
      .selectFrom('exchange_subscriptions')
      .select('secret_enc')
      .where('id', '=', subscriptionId)
      .executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(secret);
    expect(t.ctx.cipher.decrypt(stored.secret_enc)).toBe(secret);
    const list = (await grantee.admin.get(`/api/exchange/grants/${grantId}/subscriptions`)).json();
    expect(list).toHaveLength(1);
    expect(list[0].secret).toBeUndefined();
    expect(await auditActions(subscriptionId)).toEqual(['exchange.subscription.create']);
  });

  it('POSTs a signed event when a new version is published', async () => {
    await publishVersion();
    const [delivery] = await deliveriesOf(subscriptionId);
    expect(delivery).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await drainExchangeJobs(t.ctx, WEBHOOK_JOB)).toBe(1);
    expect(received).toHaveLength(1);
    const got = received[0]!;
    const timestamp = String(got.headers['x-civitas-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
    expect(
      verifyWebhookSignature(secret, timestamp, got.body, String(got.headers['x-civitas-signature'])),
    ).toBe(true);
    expect(
      verifyWebhookSignature('whsec_wrong', timestamp, got.body, String(got.headers['x-civitas-signature'])),
    ).toBe(false);
    expect(got.headers['x-civitas-delivery']).toBe(delivery!.id);
    expect(got.headers['content-type']).toMatch(/application\/json/);
    const event = JSON.parse(got.body);
    expect(event).toMatchObject({
      event: 'datastore.version',
      grantId,
      resourceId: table.distributionId,
      datasetId: table.datasetId,
      version: 2,
      rowCount: 3,
      mode: 'replace',
      deliveryId: delivery!.id,
    });
    expect(Object.keys(event)).toEqual([
      'event',
      'grantId',
      'resourceId',
      'datasetId',
      'version',
      'rowCount',
      'mode',
      'at',
      'deliveryId',
    ]);
    const list = (await grantee.steward.get(`/api/exchange/grants/${grantId}/subscriptions`)).json();
    expect(list[0].lastDelivery).toMatchObject({
      state: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
    });
  });

  it('retries a failing receiver later, and succeeds on the third attempt', async () => {
    received.length = 0;
    answers.push(500, 503);
    await publishVersion();
    expect(await drainExchangeJobs(t.ctx, WEBHOOK_JOB, 1)).toBe(1);
    let [, latest] = await deliveriesOf(subscriptionId);
    expect(latest).toMatchObject({ state: 'pending', attempts: 1, last_status: 500, last_error: 'HTTP 500' });
    // The next attempt waits (30 s after the first failure), as a queued job.
    const next = await sql<{ wait: number }>`
      select extract(epoch from run_at - now())::float8 as wait from jobs
      where kind = ${WEBHOOK_JOB} and status = 'queued'`.execute(t.ctx.db);
    expect(next.rows).toHaveLength(1);
    expect(next.rows[0]!.wait).toBeGreaterThan(20);
    expect(next.rows[0]!.wait).toBeLessThanOrEqual(30);
    let list = (await grantee.steward.get(`/api/exchange/grants/${grantId}/subscriptions`)).json();
    expect(list[0].lastDelivery).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500 });

    expect(await drainExchangeJobs(t.ctx, WEBHOOK_JOB, 1)).toBe(1);
    [, latest] = await deliveriesOf(subscriptionId);
    expect(latest).toMatchObject({ state: 'pending', attempts: 2, last_status: 503 });
    expect(await drainExchangeJobs(t.ctx, WEBHOOK_JOB)).toBe(1);
    [, latest] = await deliveriesOf(subscriptionId);
    expect(latest).toMatchObject({ state: 'delivered', attempts: 3, last_status: 200, last_error: null });
    expect(received).toHaveLength(3);
    // The same delivery, the same body, each time signed afresh.
    expect(new Set(received.map((r) => r.headers['x-civitas-delivery']))).toEqual(new Set([latest!.id]));
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    list = (await grantee.steward.get(`/api/exchange/grants/${grantId}/subscriptions`)).json();
    expect(list[0].lastDelivery).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200 });
  });

  it('gives up after six attempts and shows the delivery failed', async () => {
    received.length = 0;
    answers.push(500, 500, 500, 500, 500, 500);
    await publishVersion();
    expect(await drainExchangeJobs(t.ctx, WEBHOOK_JOB)).toBe(6);
    const latest = (await deliveriesOf(subscriptionId)).at(-1);
    expect(latest).toMatchObject({ state: 'failed', attempts: 6, last_status: 500 });
    expect(received).toHaveLength(6);
    const list = (await grantee.steward.get(`/api/exchange/grants/${grantId}/subscriptions`)).json();
    expect(list[0].lastDelivery).toMatchObject({ state: 'failed', attempts: 6, lastError: 'HTTP 500' });
  });

  it('records an unreachable receiver as an error', async () => {
    const dead = await grantee.steward.post(`/api/exchange/grants/${grantId}/subscriptions`, {
      url: 'http://127.0.0.1:9/closed',
    });
    expect(dead.statusCode).toBe(201);
    await publishVersion();
    await drainExchangeJobs(t.ctx, WEBHOOK_JOB, 2);
    const [latest] = await deliveriesOf(dead.json().id);
    expect(latest).toMatchObject({ state: 'pending', attempts: 1, last_status: null });
    expect(latest!.last_error).toBeTruthy();
    const cancelled = await grantee.steward.delete(`/api/exchange/subscriptions/${dead.json().id}`);
    expect(cancelled.statusCode).toBe(204);
    // The queued retry finds the subscription cancelled and drops the delivery.
    await drainExchangeJobs(t.ctx, WEBHOOK_JOB);
    expect((await deliveriesOf(dead.json().id))[0]).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it("sends nothing for a suspended or expired grant's subscription", async () => {
    received.length = 0;
    await setTestGrantState(t.ctx, grantId, 'suspended');
    const before = (await deliveriesOf(subscriptionId)).length;
    await publishVersion();
    expect((await deliveriesOf(subscriptionId)).length).toBe(before);
    expect(await drainExchangeJobs(t.ctx, WEBHOOK_JOB)).toBe(0);
    await setTestGrantState(t.ctx, grantId, 'active', true);
    await publishVersion();
    expect((await deliveriesOf(subscriptionId)).length).toBe(before);
    // A delivery queued while the grant was active is dropped if the grant stops before it is sent.
    await sql`update exchange_grants set expires_at = now() + interval '1 day' where id = ${grantId}`.execute(
      t.ctx.db,
    );
    await publishVersion();
    await setTestGrantState(t.ctx, grantId, 'suspended');
    expect(await drainExchangeJobs(t.ctx, WEBHOOK_JOB)).toBe(1);
    expect((await deliveriesOf(subscriptionId)).at(-1)).toMatchObject({
      state: 'failed',
      attempts: 0,
      last_error: 'the grant is no longer active',
    });
    expect(received).toHaveLength(0);
    await setTestGrantState(t.ctx, grantId, 'active');
  });

  it('cancels (audited); a cancelled subscription gets nothing', async () => {
    expect((await owner.steward.delete(`/api/exchange/subscriptions/${subscriptionId}`)).statusCode).toBe(
      403,
    );
    expect(
      (await grantee.steward.delete('/api/exchange/subscriptions/00000000-0000-4000-8000-000000000000'))
        .statusCode,
    ).toBe(404);
    const res = await grantee.admin.delete(`/api/exchange/subscriptions/${subscriptionId}`);
    expect(res.statusCode).toBe(204);
    expect(await auditActions(subscriptionId)).toEqual([
      'exchange.subscription.create',
      'exchange.subscription.cancel',
    ]);
    const before = (await deliveriesOf(subscriptionId)).length;
    await publishVersion();
    expect((await deliveriesOf(subscriptionId)).length).toBe(before);
    const list = (await grantee.steward.get(`/api/exchange/grants/${grantId}/subscriptions`)).json();
    expect(list.find((s: { id: string }) => s.id === subscriptionId).state).toBe('cancelled');
  });
});
