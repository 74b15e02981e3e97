import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import { type CatalogDept, catalogDepartment } from '../catalog/catalog.test-helpers.ts';
import { maskValue } from '../datastore/types/index.ts';
import { exchangeTicks } from './exchange.jobs.ts';
import { drainExchangeJobs, insertTestGrant, setTestGrantState } from './exchange.test-helpers.ts';
import { expireExtracts, extractExpiryTick } from './extract.expiry.ts';
import { EXTRACT_JOB } from './extract.jobs.ts';
import { type SharedTable, sharedTable } from './request.test-helpers.ts';

// File extracts over the real app: the granted projection (masked as the dictionary says, the row
// filter applied, secret and subject columns left out) written by the job, downloaded by the
// grantee's staff and by its system with the credential, every download in the access log.

let t: TestApp;
let owner: CatalogDept;
let grantee: CatalogDept;
let table: SharedTable;
let dictionary: DictionaryColumn[];
let grant: { grantId: string; credential: string };

const ZHANG = '110101199003074514';
const WANG = '110101197001011111';

beforeAll(async () => {
  t = await createTestApp();
  owner = await catalogDepartment(t.ctx, t.app, { nameZh: '公安局' });
  grantee = await catalogDepartment(t.ctx, t.app, { nameZh: '民政局' });
  table = await sharedTable(t.ctx, owner.id);
  dictionary = (
    await t.ctx.db
      .selectFrom('datastore_tables')
      .select('columns')
      .where('distribution_id', '=', table.distributionId)
      .executeTakeFirstOrThrow()
  ).columns as DictionaryColumn[];
  grant = await insertTestGrant(t.ctx, {
    datasetId: table.datasetId,
    distributionId: table.distributionId,
    ownerDepartmentId: owner.id,
    granteeDepartmentId: grantee.id,
    fields: ['name', 'resident_id', 'district', 'income'],
    rowFilter: { district: '东城区' },
  });
});
afterAll(async () => t.close());

const masked = (id: string, value: string) => {
  const c = dictionary.find((x) => x.id === id)!;
  return c.sensitivity === 'personal' ? maskValue(value, c.mask) : value;
};

async function readyExtract(grantId: string, format: 'csv' | 'json', client = grantee.steward) {
  const res = await client.post(`/api/exchange/grants/${grantId}/extracts`, { format });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json()).toMatchObject({ grantId, format, state: 'queued', rowCount: null });
  expect(await drainExchangeJobs(t.ctx, EXTRACT_JOB)).toBe(1);
  return res.json().id as string;
}

const logRows = (callId: string) =>
  t.ctx.db.selectFrom('exchange_access_log').selectAll().where('call_id', '=', callId).execute();

const blind = (id: string) => `resident_id:${t.ctx.cipher.blindIndex('resident_id', id)}`;

describe('file extracts', () => {
  let csvId: string;

  it('refuses bad input, other departments and anonymous callers', async () => {
    const url = `/api/exchange/grants/${grant.grantId}/extracts`;
    expect((await grantee.steward.post(url, { format: 'xlsx' })).statusCode).toBe(400);
    expect((await grantee.steward.post(url, { format: 'csv', more: 1 })).statusCode).toBe(400);
    expect((await grantee.steward.post('/api/exchange/grants/x/extracts', {})).statusCode).toBe(400);
    expect((await owner.steward.post(url, {})).statusCode).toBe(403);
    expect((await owner.admin.get(url)).statusCode).toBe(403);
    expect((await grantee.handler.post(url, {})).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect(
      (await grantee.steward.get('/api/exchange/extracts/00000000-0000-4000-8000-000000000000/download'))
        .statusCode,
    ).toBe(404);
  });

  it('writes the granted projection as CSV: masked, filtered, no secret or subject columns; audited', async () => {
    csvId = await readyExtract(grant.grantId, 'csv');
    const [listed] = (await grantee.admin.get(`/api/exchange/grants/${grant.grantId}/extracts`)).json();
    expect(listed).toMatchObject({ id: csvId, state: 'ready', rowCount: 2, error: null });
    expect(listed.checksum).toMatch(/^[0-9a-f]{64}$/);
    const res = await grantee.steward.get(`/api/exchange/extracts/${csvId}/download`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const bytes = res.rawPayload;
    expect(bytes.length).toBe(listed.sizeBytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(listed.checksum);
    expect(res.headers['x-civitas-checksum']).toBe(`sha256=${listed.checksum}`);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines).toEqual([
      'name,resident_id,district',
      `${masked('name', '张三')},${masked('resident_id', ZHANG)},东城区`,
      `${masked('name', '王五')},${masked('resident_id', WANG)},东城区`,
    ]);
    expect(text).not.toContain(ZHANG);
    expect(text).not.toContain('8000');
    expect(text).not.toContain('西城区');

    const requestId = String(res.headers['x-civitas-request-id']);
    const [row] = await logRows(requestId);
    expect(row).toMatchObject({
      grant_id: grant.grantId,
      operation: 'extract',
      requester_department_id: grantee.id,
      owner_department_id: owner.id,
      distribution_id: table.distributionId,
      row_count: 2,
      outcome: 'ok',
      status: 200,
      purpose: '测试用途',
      fields: ['name', 'resident_id', 'district'],
    });
    expect([...row!.subjects].sort()).toEqual([blind(ZHANG), blind(WANG)].sort());
    const audit = await sql<{ action: string }>`
      select action from audit_log where target_id = ${csvId} order by entry_id`.execute(t.ctx.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['exchange.extract.create', 'exchange.extract.download']);
  });

  it('writes JSON too, and personal fields the grant names in clear', async () => {
    const clear = await insertTestGrant(t.ctx, {
      datasetId: table.datasetId,
      distributionId: table.distributionId,
      ownerDepartmentId: owner.id,
      granteeDepartmentId: grantee.id,
      fields: ['resident_id', 'district'],
      clearFields: ['resident_id'],
      delivery: 'api',
    });
    const id = await readyExtract(clear.grantId, 'json', grantee.admin);
    const res = await grantee.admin.get(`/api/exchange/extracts/${id}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = res.json();
    expect(doc.fields).toEqual(['resident_id', 'district']);
    expect(doc.records).toHaveLength(3);
    expect(doc.records[0]).toEqual({ resident_id: ZHANG, district: '东城区' });
    const [row] = await logRows(String(res.headers['x-civitas-request-id']));
    expect(row!.subjects).toHaveLength(3);
    // An extract is its grant's: another grant's staff path or credential does not reach it.
    const other = await t.app.inject({
      method: 'GET',
      url: `/exchange/v1/extracts/${csvId}`,
      headers: { authorization: `Bearer ${clear.credential}`, 'x-civitas-purpose': '核对' },
    });
    expect(other.statusCode).toBe(404);
  });

  it("serves the grant's system with its credential, logging purpose, case and user", async () => {
    const url = `/exchange/v1/extracts/${csvId}`;
    const call = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
    const bad = await call({ authorization: 'Bearer cvx_nope', 'x-civitas-purpose': '核对' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('exchange.credential_invalid');
    expect((await call({})).statusCode).toBe(401);
    const noPurpose = await call({ authorization: `Bearer ${grant.credential}` });
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().error.code).toBe('exchange.purpose_required');
    expect(noPurpose.headers['x-civitas-request-id']).toBeTruthy();
    const withheld = await call({
      authorization: `Bearer ${grant.credential}`,
      'x-civitas-purpose': '核对',
      'x-civitas-withheld-until': '2030-01-01',
    });
    expect(withheld.statusCode).toBe(403);
    const res = await call({
      'x-civitas-credential': grant.credential,
      'x-civitas-purpose': '低保资格复核',
      'x-civitas-case': 'DB-2026-7',
      'x-civitas-user': 'clerk-3',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('name,resident_id,district');
    const [row] = await logRows(String(res.headers['x-civitas-request-id']));
    expect(row).toMatchObject({
      operation: 'extract',
      purpose: '低保资格复核',
      case_ref: 'DB-2026-7',
      user_ref: 'clerk-3',
      system_name: 'test-system',
      row_count: 2,
      outcome: 'ok',
    });
    expect(row!.subjects).toHaveLength(2);
    const refused = await logRows(String(noPurpose.headers['x-civitas-request-id']));
    expect(refused[0]).toMatchObject({ outcome: 'invalid', status: 400, row_count: 0 });
  });

  it('decodes Chinese purpose and case headers as /lookup does: raw UTF-8 bytes and RFC 8187', async () => {
    const url = `/exchange/v1/extracts/${csvId}`;
    const asBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    const raw = await t.app.inject({
      method: 'GET',
      url,
      headers: {
        authorization: `Bearer ${grant.credential}`,
        'x-civitas-purpose': asBytes('批量核对'),
        'x-civitas-case': asBytes('案-9'),
        'x-civitas-user': asBytes('张科员'),
      },
    });
    expect(raw.statusCode, raw.body).toBe(200);
    const [a] = await logRows(String(raw.headers['x-civitas-request-id']));
    expect(a).toMatchObject({ purpose: '批量核对', case_ref: '案-9', user_ref: '张科员' });
    const encoded = await t.app.inject({
      method: 'GET',
      url,
      headers: {
        authorization: `Bearer ${grant.credential}`,
        'x-civitas-purpose': `utf-8''${encodeURIComponent('批量核对')}`,
        'x-civitas-case': `UTF-8''${encodeURIComponent('案-9')}`,
      },
    });
    expect(encoded.statusCode, encoded.body).toBe(200);
    const [b] = await logRows(String(encoded.headers['x-civitas-request-id']));
    expect(b).toMatchObject({ purpose: '批量核对', case_ref: '案-9' });
    const broken = await t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${grant.credential}`, 'x-civitas-purpose': "utf-8''%E6%89" },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('exchange.invalid_header');
  });

  it('refuses extracts and downloads of suspended, revoked or expired grants, and logs the refusal', async () => {
    const staff = () => grantee.steward.get(`/api/exchange/extracts/${csvId}/download`);
    const system = () =>
      t.app.inject({
        method: 'GET',
        url: `/exchange/v1/extracts/${csvId}`,
        headers: { authorization: `Bearer ${grant.credential}`, 'x-civitas-purpose': '核对' },
      });
    for (const [state, expired, code] of [
      ['suspended', false, 'exchange.grant_suspended'],
      ['revoked', false, 'exchange.grant_revoked'],
      ['active', true, 'exchange.grant_expired'],
    ] as const) {
      await setTestGrantState(t.ctx, grant.grantId, state, expired);
      const a = await staff();
      expect(a.statusCode, state).toBe(403);
      expect(a.json().error.code).toBe(code);
      const b = await system();
      expect(b.statusCode).toBe(403);
      expect(b.json().error.code).toBe(code);
      const [row] = await logRows(String(b.headers['x-civitas-request-id']));
      expect(row).toMatchObject({ outcome: 'refused', status: 403, row_count: 0, subjects: [] });
      const create = await grantee.steward.post(`/api/exchange/grants/${grant.grantId}/extracts`, {});
      expect(create.statusCode).toBe(403);
    }
    await sql`update exchange_grants set state = 'active', expires_at = now() + interval '1 day'
              where id = ${grant.grantId}`.execute(t.ctx.db);
  });

  it('answers 409 for an extract not written yet, and fails one whose grant stopped before the job ran', async () => {
    const queued = await grantee.steward.post(`/api/exchange/grants/${grant.grantId}/extracts`, {});
    const id = queued.json().id;
    const early = await grantee.steward.get(`/api/exchange/extracts/${id}/download`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('exchange.extract_not_ready');
    await setTestGrantState(t.ctx, grant.grantId, 'suspended');
    await drainExchangeJobs(t.ctx, EXTRACT_JOB);
    const [latest] = (await grantee.steward.get(`/api/exchange/grants/${grant.grantId}/extracts`)).json();
    expect(latest).toMatchObject({ id, state: 'failed', error: 'the grant is not active' });
    await setTestGrantState(t.ctx, grant.grantId, 'active');
  });

  it('pages through a table larger than one page', async () => {
    // 4,500 more rows in the current version (three pages of 2,000), half of them in the filter.
    const current = await t.ctx.db
      .selectFrom('datastore_tables')
      .select('current_version')
      .where('distribution_id', '=', table.distributionId)
      .executeTakeFirstOrThrow();
    await sql`insert into ${sql.id('datastore', `${table.distributionId}@${current.current_version}`)}
        (_id, name, resident_id, district, income, phone)
      select 100 + g, '测试' || g, '1101011990' || lpad(g::text, 8, '0'), case when g % 2 = 0 then '东城区' else '西城区' end, g, '138'
      from generate_series(1, 4500) g`.execute(t.ctx.db);
    const id = await readyExtract(grant.grantId, 'csv');
    const [listed] = (await grantee.steward.get(`/api/exchange/grants/${grant.grantId}/extracts`)).json();
    expect(listed).toMatchObject({ id, state: 'ready', rowCount: 2 + 2250 });
    const res = await grantee.steward.get(`/api/exchange/extracts/${id}/download`);
    expect(res.body.trim().split('\r\n')).toHaveLength(1 + 2 + 2250);
    const [row] = await logRows(String(res.headers['x-civitas-request-id']));
    expect(row!.subjects).toHaveLength(2 + 2250);
  });
});

describe('extract expiry', () => {
  const DAY = 86_400_000;
  const newGrant = () =>
    insertTestGrant(t.ctx, {
      datasetId: table.datasetId,
      distributionId: table.distributionId,
      ownerDepartmentId: owner.id,
      granteeDepartmentId: grantee.id,
      fields: ['name', 'resident_id', 'district'],
      rowFilter: { district: '东城区' },
    });
  const rowOf = (id: string) =>
    t.ctx.db.selectFrom('exchange_extracts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const expireAudits = (id: string) =>
    sql<{ action: string; details: string }>`
      select action, details::text as details from audit_log where target_id = ${id} and action = 'exchange.extract.expire'`
      .execute(t.ctx.db)
      .then((r) => r.rows.map((a) => ({ ...a, details: JSON.parse(a.details) as Record<string, unknown> })));
  const systemGet = (id: string, credential: string) =>
    t.app.inject({
      method: 'GET',
      url: `/exchange/v1/extracts/${id}`,
      headers: { authorization: `Bearer ${credential}`, 'x-civitas-purpose': '核对' },
    });

  it('expires an extract past its time: files deleted, audited, downloads answer 410 and are logged; a fresh one stays', async () => {
    expect(t.ctx.config.exchangeExtractDays).toBe(7);
    const g = await newGrant();
    const oldId = await readyExtract(g.grantId, 'csv');
    const freshId = await readyExtract(g.grantId, 'json');
    // Written eight days ago (a day past its time), so no waiting.
    await sql`update exchange_extracts set finished_at = now() - interval '8 days' where id = ${oldId}`.execute(
      t.ctx.db,
    );
    const before = await rowOf(oldId);
    expect(before.state).toBe('ready');
    expect(t.ctx.files.open(before.storage_key!)).toBeDefined();
    const listed = (await grantee.steward.get(`/api/exchange/grants/${g.grantId}/extracts`)).json() as {
      id: string;
      state: string;
      finishedAt: string;
      expiresAt: string;
    }[];
    for (const e of listed) expect(Date.parse(e.expiresAt) - Date.parse(e.finishedAt), e.id).toBe(7 * DAY);
    expect(Date.parse(listed.find((e) => e.id === freshId)!.expiresAt)).toBeGreaterThan(Date.now() + 6 * DAY);

    // Past its time the download is refused even before the tick has come by.
    const early = await grantee.steward.get(`/api/exchange/extracts/${oldId}/download`);
    expect(early.statusCode).toBe(410);
    expect(early.json().error.code).toBe('exchange.extract_expired');

    expect(await expireExtracts(t.ctx)).toEqual({ expired: 1 });
    const after = await rowOf(oldId);
    expect(after).toMatchObject({ state: 'expired', storage_key: null, subjects_key: null });
    expect(t.ctx.files.open(before.storage_key!)).toBeUndefined();
    expect(t.ctx.files.open(before.subjects_key!)).toBeUndefined();
    const [audit] = await expireAudits(oldId);
    expect(audit?.details).toMatchObject({ grantId: g.grantId, reason: 'time', rows: before.row_count });

    const staff = await grantee.steward.get(`/api/exchange/extracts/${oldId}/download`);
    expect(staff.statusCode).toBe(410);
    expect(staff.json().error.code).toBe('exchange.extract_expired');
    const system = await systemGet(oldId, g.credential);
    expect(system.statusCode).toBe(410);
    expect(system.json().error.code).toBe('exchange.extract_expired');
    for (const res of [early, staff, system]) {
      const [row] = await logRows(String(res.headers['x-civitas-request-id']));
      expect(row).toMatchObject({
        grant_id: g.grantId,
        operation: 'extract',
        outcome: 'refused',
        status: 410,
        row_count: 0,
        subjects: [],
      });
    }
    const [expiredListed] = (await grantee.steward.get(`/api/exchange/grants/${g.grantId}/extracts`))
      .json()
      .filter((e: { id: string }) => e.id === oldId);
    expect(expiredListed).toMatchObject({
      state: 'expired',
      expiresAt: listed.find((e) => e.id === oldId)!.expiresAt,
    });

    // The fresh one is untouched and still served; a second tick finds nothing more.
    const fresh = await rowOf(freshId);
    expect(fresh.state).toBe('ready');
    expect(t.ctx.files.open(fresh.storage_key!)).toBeDefined();
    expect(await expireAudits(freshId)).toEqual([]);
    expect((await systemGet(freshId, g.credential)).statusCode).toBe(200);
    expect(await expireExtracts(t.ctx)).toEqual({ expired: 0 });
  });

  it('expires every extract of a revoked grant at once, but keeps those of a suspended one', async () => {
    const revoked = await newGrant();
    const suspended = await newGrant();
    const revokedId = await readyExtract(revoked.grantId, 'csv');
    const suspendedId = await readyExtract(suspended.grantId, 'csv');
    const keys = await rowOf(revokedId);
    await setTestGrantState(t.ctx, revoked.grantId, 'revoked');
    await setTestGrantState(t.ctx, suspended.grantId, 'suspended');

    expect(await expireExtracts(t.ctx)).toEqual({ expired: 1 });
    expect(await rowOf(revokedId)).toMatchObject({ state: 'expired', storage_key: null });
    expect(t.ctx.files.open(keys.storage_key!)).toBeUndefined();
    expect(t.ctx.files.open(keys.subjects_key!)).toBeUndefined();
    const [audit] = await expireAudits(revokedId);
    expect(audit?.details).toMatchObject({ grantId: revoked.grantId, reason: 'grant_revoked' });
    // A revoked grant's refusal comes first, as for any download of a stopped grant.
    const res = await systemGet(revokedId, revoked.credential);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('exchange.grant_revoked');

    // A suspended grant may be resumed: its extract is refused meanwhile, but kept until its time.
    const kept = await rowOf(suspendedId);
    expect(kept.state).toBe('ready');
    expect(t.ctx.files.open(kept.storage_key!)).toBeDefined();
    expect((await systemGet(suspendedId, suspended.credential)).statusCode).toBe(403);
    await setTestGrantState(t.ctx, suspended.grantId, 'active');
    expect((await systemGet(suspendedId, suspended.credential)).statusCode).toBe(200);
  });

  it('runs hourly from the worker’s ticks', () => {
    expect(exchangeTicks).toContain(extractExpiryTick);
    expect(extractExpiryTick.everyMs).toBe(60 * 60 * 1000);
  });
});
