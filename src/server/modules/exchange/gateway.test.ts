import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { normalizeIdentifier } from '../../../contracts/identifiers.ts';
import { type CatalogDept, catalogDepartment } from '../catalog/catalog.test-helpers.ts';
import { insertTestGrant, setTestGrantState, type TestGrantInput } from './exchange.test-helpers.ts';
import { sequenceAccessLog } from './log-chain.ts';
import { PEOPLE_CSV, type SharedTable, sharedTable } from './request.test-helpers.ts';

// The gateway's credential handling and rules, call by call, and the log row each call leaves.
// The table (request.test-helpers PEOPLE_CSV): name, resident_id (personal, id_number mask, a
// resident-ID subject), district (public), income (secret), phone (personal).

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let table: SharedTable;
let other: SharedTable;

const ZHANG = PEOPLE_CSV.split('\n')[1]!.split(',')[1]!;
const PURPOSE = {
  'x-civitas-purpose': 'eligibility check',
  'x-civitas-case': 'C-1',
  'x-civitas-user': 'clerk-9',
};

async function grant(o: Partial<TestGrantInput> = {}) {
  return insertTestGrant(t.ctx, {
    datasetId: table.datasetId,
    distributionId: table.distributionId,
    ownerDepartmentId: a.id,
    granteeDepartmentId: b.id,
    fields: ['name', 'resident_id', 'district', 'income'],
    delivery: 'api',
    ...o,
  });
}

const call = (credential: string | undefined, path: string, headers: Record<string, string> = PURPOSE) =>
  t.app.inject({
    method: 'GET',
    url: `/exchange/v1${path}`,
    headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers },
  });
const lookup = (credential: string, field: string, value: string, headers?: Record<string, string>) =>
  call(
    credential,
    `/resources/${table.distributionId}/lookup?${new URLSearchParams({ field, value })}`,
    headers,
  );
const records = (credential: string, query: Record<string, string>, headers?: Record<string, string>) =>
  call(credential, `/resources/${table.distributionId}/records?${new URLSearchParams(query)}`, headers);

/** The log row of a call, by its request id. */
async function logRow(requestId: string | string[] | number | undefined) {
  return t.ctx.db
    .selectFrom('exchange_access_log')
    .selectAll()
    .where('call_id', '=', String(requestId))
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  table = await sharedTable(t.ctx, a.id);
  other = await sharedTable(t.ctx, a.id);
});
afterAll(async () => t?.close());

describe('reading through a grant', () => {
  it('tells the credential what it may do', async () => {
    const { credential, grantId } = await grant();
    const res = await call(credential, '/grant', {});
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ grantId, distributionId: table.distributionId, state: 'active' });
    // Secret columns are never granted, whatever the grant's field list says.
    expect(body.fields).toEqual([
      { id: 'name', label: 'name', access: 'masked' },
      { id: 'resident_id', label: 'resident_id', access: 'masked' },
      { id: 'district', label: 'district', access: 'clear' },
    ]);
  });

  it('looks a person up by resident ID: masked as the dictionary says, the key kept out, the call logged', async () => {
    const { credential, grantId } = await grant();
    const res = await lookup(credential, 'resident_id', ZHANG);
    expect(res.statusCode, res.body).toBe(200);
    const requestId = res.headers['x-civitas-request-id'];
    expect(requestId).toBeTruthy();
    const body = res.json();
    expect(body.requestId).toBe(requestId);
    expect(body.records).toHaveLength(1);
    const record = body.records[0];
    expect(record.district).toBe('东城区');
    expect(record.name).toBe('张*');
    expect(String(record.resident_id)).toMatch(/^1101\*+4514$/);
    expect(Object.keys(record).sort()).toEqual(['_id', 'district', 'name', 'resident_id']);

    const row = await logRow(requestId);
    expect(row).toMatchObject({
      grant_id: grantId,
      requester_department_id: b.id,
      owner_department_id: a.id,
      dataset_id: table.datasetId,
      distribution_id: table.distributionId,
      system_name: 'test-system',
      user_ref: 'clerk-9',
      operation: 'lookup',
      fields: ['name', 'resident_id', 'district'],
      row_count: 1,
      purpose: 'eligibility check',
      case_ref: 'C-1',
      outcome: 'ok',
      status: 200,
      withheld_until: null,
    });
    // The subject by keyed blind index, never the identifier itself.
    expect(row.subjects).toEqual([`resident_id:${t.ctx.cipher.blindIndex('resident_id', ZHANG)}`]);
    expect(JSON.stringify(row)).not.toContain(ZHANG);
  });

  it('normalises identifiers as accounts store them and matches exactly', async () => {
    const { credential } = await grant();
    const spaced = `${ZHANG.slice(0, 6)} ${ZHANG.slice(6, 14)} ${ZHANG.slice(14)}`;
    expect(normalizeIdentifier(spaced)).toBe(ZHANG);
    expect((await lookup(credential, 'resident_id', spaced)).json().records).toHaveLength(1);
    expect((await lookup(credential, 'resident_id', ZHANG.slice(0, 17))).json().records).toHaveLength(0);
    expect((await lookup(credential, 'district', '东城区')).json().records).toHaveLength(2);
  });

  it('answers lookups made at the same moment each with its own rows, and logs each call', async () => {
    const { credential } = await grant();
    const ids = PEOPLE_CSV.split('\n')
      .slice(1)
      .map((line) => line.split(',')[1]!);
    const keys: [string, string][] = [
      ...ids.map((id): [string, string] => ['resident_id', id]),
      ['resident_id', `${ids[0]!.slice(0, 6)} ${ids[0]!.slice(6)}`],
      ['resident_id', '110101190001010000'],
      ['district', '东城区'],
      ['district', '西城区'],
      ['district', '南城区'],
    ];
    // One at a time first: what each must answer.
    const alone: string[][] = [];
    for (const [field, value] of keys) {
      const res = await lookup(credential, field, value);
      expect(res.statusCode, res.body).toBe(200);
      alone.push(res.json().records.map((r: { _id: number }) => String(r._id)));
    }
    expect(alone.map((r) => r.length)).toEqual([1, 1, 1, 1, 0, 2, 1, 0]);
    // Then all together, three times over (the lookups of one column go to the database as one
    // statement): every call gets exactly its own rows and its own log row.
    const together = await Promise.all(
      [...keys, ...keys, ...keys].map(([field, value]) => lookup(credential, field, value)),
    );
    for (const [i, res] of together.entries()) {
      expect(res.statusCode, res.body).toBe(200);
      const rows = res.json().records.map((r: { _id: number }) => String(r._id));
      expect(rows, keys[i % keys.length]!.join('=')).toEqual(alone[i % keys.length]);
      const log = await logRow(res.headers['x-civitas-request-id']);
      expect(log.row_count).toBe(rows.length);
    }
  });

  it('returns bigint values exact past 2^53', async () => {
    const contracts = await sharedTable(
      t.ctx,
      a.id,
      'conditional',
      {},
      'contract,amount\nH1,"123,456,789,012,345,678"\nH2,"12,345,678,901"\n',
    );
    const { credential } = await insertTestGrant(t.ctx, {
      datasetId: contracts.datasetId,
      distributionId: contracts.distributionId,
      ownerDepartmentId: a.id,
      granteeDepartmentId: b.id,
      fields: ['contract', 'amount'],
      delivery: 'api',
    });
    const res = await call(credential, `/resources/${contracts.distributionId}/records`);
    expect(res.statusCode, res.body).toBe(200);
    // A number where a double holds it exactly, the exact text where it does not.
    expect(res.json().records.map((r: Record<string, unknown>) => r.amount)).toEqual([
      '123456789012345678',
      12345678901,
    ]);
  });

  it('pages filtered records on granted columns only', async () => {
    const { credential } = await grant();
    const page1 = await records(credential, { filters: JSON.stringify({ district: '东城区' }), limit: '1' });
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json()).toMatchObject({ limit: 1, offset: 0, hasMore: true });
    const page2 = await records(credential, {
      filters: JSON.stringify({ district: '东城区' }),
      limit: '1',
      offset: '1',
    });
    expect(page2.json()).toMatchObject({ hasMore: false });
    expect(page2.json().records[0]._id).not.toBe(page1.json().records[0]._id);
    const all = await records(credential, {});
    expect(all.json().records).toHaveLength(3);
    expect((await logRow(all.headers['x-civitas-request-id'])).row_count).toBe(3);
    expect((await logRow(all.headers['x-civitas-request-id'])).subjects).toHaveLength(3);

    const refused = await records(credential, { filters: JSON.stringify({ income: '8000', phone: '1' }) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'exchange.field_not_granted',
      details: { fields: ['income', 'phone'] },
    });
    const badJson = await records(credential, { filters: '{district:' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('exchange.invalid_filters');
    const tooMany = await records(credential, { limit: '1001' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.code).toBe('validation.failed');
    expect(await logRow(tooMany.headers['x-civitas-request-id'])).toMatchObject({
      outcome: 'invalid',
      status: 400,
      grant_id: expect.any(String),
    });
  });

  it('applies the grant’s row filter to every read', async () => {
    const { credential } = await grant({ rowFilter: { district: '西城区' } });
    const res = await records(credential, {});
    expect(res.json().records.map((r: { district: string }) => r.district)).toEqual(['西城区']);
    expect((await lookup(credential, 'resident_id', ZHANG)).json().records).toHaveLength(0);
  });

  it('reads personal columns in clear only when the grant says so', async () => {
    const { credential } = await grant({ clearFields: ['name'] });
    const record = (await lookup(credential, 'resident_id', ZHANG)).json().records[0];
    expect(record.name).toBe('张三');
    expect(record.resident_id).not.toBe(ZHANG);
  });
});

describe('refusals, each with a stable code and a log row', () => {
  it('sends the security headers of a JSON API with every answer, refusals included', async () => {
    const { credential } = await grant();
    for (const res of [await lookup(credential, 'resident_id', ZHANG), await call(undefined, '/grant', {})]) {
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });

  it('refuses calls without a credential or with an unknown one, and logs them without a grant', async () => {
    const none = await call(undefined, `/resources/${table.distributionId}/lookup?field=district&value=x`);
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('exchange.credential_missing');
    expect(none.headers['x-civitas-request-id']).toBeTruthy();
    const unknown = await lookup('cvx_not-a-real-credential', 'district', '东城区');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('exchange.credential_invalid');
    expect(await logRow(unknown.headers['x-civitas-request-id'])).toMatchObject({
      grant_id: null,
      outcome: 'refused',
      status: 401,
      purpose: 'eligibility check',
    });
    // A people's API token is no credential here.
    const token = await call('cvt_whatever', '/grant', {});
    expect(token.statusCode).toBe(401);
  });

  it('refuses another table, ungranted and secret fields, and a file-only grant', async () => {
    const { credential } = await grant();
    const elsewhere = await call(
      credential,
      `/resources/${other.distributionId}/lookup?field=district&value=x`,
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.code).toBe('exchange.resource_not_granted');
    for (const field of ['income', 'phone', 'no_such_column']) {
      const res = await lookup(credential, field, '1');
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({
        code: 'exchange.field_not_granted',
        details: { fields: [field] },
      });
    }
    const file = await grant({ delivery: 'file' });
    expect((await lookup(file.credential, 'district', 'x')).json().error.code).toBe(
      'exchange.api_not_granted',
    );
  });

  it('refuses suspended, revoked and expired grants at once, and serves a resumed one at once', async () => {
    const { credential, grantId } = await grant();
    expect((await lookup(credential, 'district', '东城区')).statusCode).toBe(200); // now cached as active
    await setTestGrantState(t.ctx, grantId, 'suspended');
    const suspended = await lookup(credential, 'district', '东城区');
    expect(suspended.statusCode).toBe(403);
    expect(suspended.json().error.code).toBe('exchange.grant_suspended');
    expect(suspended.json()).not.toHaveProperty('records');
    await setTestGrantState(t.ctx, grantId, 'active');
    expect((await lookup(credential, 'district', '东城区')).statusCode).toBe(200);
    await setTestGrantState(t.ctx, grantId, 'active', true);
    const expired = await lookup(credential, 'district', '东城区');
    expect(expired.json().error.code).toBe('exchange.grant_expired');
    expect((await call(credential, '/grant', {})).json().state).toBe('expired');
    await setTestGrantState(t.ctx, grantId, 'revoked');
    const revoked = await lookup(credential, 'district', '东城区');
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().error.code).toBe('exchange.grant_revoked');
    expect(await logRow(revoked.headers['x-civitas-request-id'])).toMatchObject({
      grant_id: grantId,
      outcome: 'refused',
      status: 403,
      row_count: 0,
      subjects: [],
    });
  });

  it('stops a replaced credential at once', async () => {
    const { credential, grantId } = await grant();
    expect((await lookup(credential, 'district', '东城区')).statusCode).toBe(200);
    await sql`update exchange_grants set credential_hash = 'replaced' where id = ${grantId}`.execute(
      t.ctx.db,
    );
    const res = await lookup(credential, 'district', '东城区');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('exchange.credential_invalid');
  });

  it('answers 429 with Retry-After past the grant’s rate', async () => {
    const { credential } = await grant({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof lookup>> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await lookup(credential, 'district', '东城区');
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited ??= res;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(limited!.json().error.code).toBe('exchange.rate_limited');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await logRow(limited!.headers['x-civitas-request-id'])).outcome).toBe('rate_limited');
    // Another grant has its own budget.
    expect((await lookup((await grant()).credential, 'district', '东城区')).statusCode).toBe(200);
  });

  it('requires a purpose and checks the case, user and withholding headers', async () => {
    const { credential } = await grant();
    const none = await lookup(credential, 'district', '东城区', {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('exchange.purpose_required');
    expect((await logRow(none.headers['x-civitas-request-id'])).outcome).toBe('invalid');
    const long = await lookup(credential, 'district', '东城区', {
      ...PURPOSE,
      'x-civitas-case': 'x'.repeat(201),
    });
    expect(long.json().error.code).toBe('exchange.invalid_header');
    const withheld = await lookup(credential, 'district', '东城区', {
      ...PURPOSE,
      'x-civitas-withheld-until': '2099-01-01',
    });
    expect(withheld.statusCode).toBe(403);
    expect(withheld.json().error.code).toBe('exchange.withholding_not_allowed');
  });

  it('reads UTF-8 statements, as raw bytes or RFC 8187 encoded', async () => {
    const { credential } = await grant();
    const raw = await lookup(credential, 'district', '东城区', {
      'x-civitas-purpose': Buffer.from('低保资格复核', 'utf8').toString('latin1'),
    });
    expect(raw.statusCode, raw.body).toBe(200);
    expect((await logRow(raw.headers['x-civitas-request-id'])).purpose).toBe('低保资格复核');
    const encoded = await lookup(credential, 'district', '东城区', {
      'x-civitas-purpose': `utf-8''${encodeURIComponent('就业核查')}`,
    });
    expect((await logRow(encoded.headers['x-civitas-request-id'])).purpose).toBe('就业核查');
  });

  it('withholds an access from the data subjects only on a confidential grant, up to two years ahead', async () => {
    const { credential } = await grant({ confidential: true });
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const ok = await lookup(credential, 'resident_id', ZHANG, {
      ...PURPOSE,
      'x-civitas-withheld-until': day(90),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await logRow(ok.headers['x-civitas-request-id'])).withheld_until).toBe(day(90));
    for (const bad of [day(800), day(0), '2026-02-30', 'soon']) {
      const res = await lookup(credential, 'district', '东城区', {
        ...PURPOSE,
        'x-civitas-withheld-until': bad,
      });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('exchange.invalid_withheld_until');
    }
  });

  it('returns no data when its log row cannot be written', async () => {
    const { credential } = await grant();
    await sql`alter table exchange_access_log rename to exchange_access_log_away`.execute(t.ctx.db);
    try {
      const res = await lookup(credential, 'resident_id', ZHANG);
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('exchange.log_unavailable');
      expect(res.body).not.toContain('东城区');
    } finally {
      await sql`alter table exchange_access_log_away rename to exchange_access_log`.execute(t.ctx.db);
    }
    expect((await lookup(credential, 'resident_id', ZHANG)).statusCode).toBe(200);
  });

  it('chains every row it wrote', async () => {
    await sequenceAccessLog(t.ctx.db, { wait: true });
    const unchained = await sql<{
      n: number;
    }>`select count(*)::int as n from exchange_access_log where seq is null`.execute(t.ctx.db);
    expect(unchained.rows[0]!.n).toBe(0);
  });
});
