import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DatastoreInfo } from '../../../contracts/datastore.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
  tokenClient,
} from '../catalog/catalog.test-helpers.ts';
import {
  auditEntries,
  registerCitizen,
  STRONG_PASSWORD,
  uniqueName,
} from '../identity/identity.test-helpers.ts';
import { createApiToken, createStaff } from '../identity/index.ts';
import { drainLoads } from './datastore.test-helpers.ts';

// Masking per class of reader, through every way out of a table: datastore_search, datastore_search_sql,
// the CSV dump and the table info. One column of each sensitivity (datastore.policy.ts columnAccess):
// public — clear to all; internal — staff only; personal — clear to the provider department, masked
// for everyone else, platform admins included; secret — the provider's stewards and admins only.

let t: TestApp;
let a: CatalogDept;
let b: CatalogDept;
let id: string;
const readers: Record<string, TestClient> = {};

const ID_NUMBER = '339901199001010213';
const PHONE = '13800001111';
const CSV = [
  '名称,备注,身份证号,联系电话,密钥',
  `岚山示例有限公司,内部备注甲,${ID_NUMBER},${PHONE},密钥甲`,
  '青河餐饮有限公司,内部备注乙,339901198502020022,13900002222,密钥乙',
].join('\n');

const CLEAR = {
  名称: '岚山示例有限公司',
  备注: '内部备注甲',
  身份证号: ID_NUMBER,
  联系电话: PHONE,
  密钥: '密钥甲',
};
const MASKED = { 身份证号: '3399**********0213', 联系电话: '138****1111' };

type Persona = 'anonymous' | 'citizen' | 'otherStaff' | 'member' | 'steward' | 'deptAdmin' | 'platformAdmin';
/** The first row as each persona must see it: absent keys are hidden columns. */
const EXPECTED: Record<Persona, Record<string, string>> = {
  anonymous: { 名称: CLEAR.名称, ...MASKED },
  citizen: { 名称: CLEAR.名称, ...MASKED },
  otherStaff: { 名称: CLEAR.名称, 备注: CLEAR.备注, ...MASKED },
  member: { 名称: CLEAR.名称, 备注: CLEAR.备注, 身份证号: ID_NUMBER, 联系电话: PHONE },
  steward: CLEAR,
  deptAdmin: CLEAR,
  platformAdmin: { 名称: CLEAR.名称, 备注: CLEAR.备注, ...MASKED },
};
const PERSONAS = Object.keys(EXPECTED) as Persona[];

async function staffClient(departmentId: string, isPlatformAdmin: boolean, roles: 'dept_admin'[] = []) {
  const system = systemActor('masking-test');
  const person = await createStaff(t.ctx, system, {
    username: uniqueName('padmin'),
    displayName: '平台管理员',
    password: STRONG_PASSWORD,
    departmentId,
    roles,
    isPlatformAdmin,
  });
  const { token } = await createApiToken(t.ctx, system, person.id, { name: 'masking test' });
  return tokenClient(t.app, token);
}

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
  b = await catalogDepartment(t.ctx, t.app);
  const ds = await publishedDataset(t.ctx, openDatasetInput(a.id), {
    filename: 'masking.csv',
    content: Buffer.from(CSV),
  });
  expect(await drainLoads(t.ctx)).toBe(1);
  id = ds.distributions[0]!.id;
  readers.anonymous = new TestClient(t.app);
  readers.citizen = (await registerCitizen(t.app, 417)).client;
  readers.otherStaff = b.handler;
  readers.member = a.handler;
  readers.steward = a.steward;
  readers.deptAdmin = a.admin;
  // As the demo's: a platform admin homed in a department of their own, holding no role there.
  readers.platformAdmin = await staffClient(b.id, true);
  const res = await a.steward.request('PUT', `/api/datastore/${id}/dictionary`, {
    columns: [
      { id: '名称', sensitivity: 'public', mask: 'none' },
      { id: '备注', sensitivity: 'internal', mask: 'none' },
      { id: '身份证号', sensitivity: 'personal', mask: 'id_number' },
      { id: '联系电话', sensitivity: 'personal', mask: 'phone' },
      { id: '密钥', sensitivity: 'secret', mask: 'none' },
    ],
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => t?.close());

const searchUrl = (params: Record<string, unknown> = {}) => {
  const query = new URLSearchParams({ resource_id: id });
  for (const [key, value] of Object.entries(params))
    query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  return `/api/3/action/datastore_search?${query}`;
};
const sqlUrl = (text: string) => `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(text)}`;
const ok = (res: LightMyRequestResponse) => {
  expect(res.statusCode, res.body).toBe(200);
  return res;
};
/** A record without `_id`, for comparing with EXPECTED. */
const withoutId = (record: Record<string, unknown>) => {
  const { _id, ...rest } = record;
  return rest;
};

describe('each class of reader sees each column as the dictionary says', () => {
  it.each(PERSONAS)('%s through datastore_search', async (persona) => {
    const res = ok(await readers[persona]!.get(searchUrl({ sort: '_id' })));
    const result = res.json().result;
    expect(withoutId(result.records[0])).toEqual(EXPECTED[persona]);
    expect(result.fields.map((f: { id: string }) => f.id)).toEqual([
      '_id',
      ...Object.keys(EXPECTED[persona]),
    ]);
    expect(result.total).toBe(2);
  });

  it.each(PERSONAS)('%s through datastore_search_sql SELECT *', async (persona) => {
    const res = ok(await readers[persona]!.get(sqlUrl(`SELECT * FROM "${id}" ORDER BY _id`)));
    const records = res.json().result.records;
    expect(records).toHaveLength(2);
    expect(withoutId(records[0])).toEqual(EXPECTED[persona]);
  });

  it.each(PERSONAS)('%s through the CSV dump', async (persona) => {
    const res = ok(await readers[persona]!.get(`/datastore/dump/${id}`));
    const [header, first, second, ...rest] = res.body.replace(/^\ufeff/, '').split('\r\n');
    expect(rest).toEqual(['']);
    expect(header).toBe(Object.keys(EXPECTED[persona]).join(','));
    expect(first).toBe(Object.values(EXPECTED[persona]).join(','));
    expect(second).toBeDefined();
  });

  it.each(PERSONAS)('%s through GET /api/datastore/:id (columns listed)', async (persona) => {
    const info = ok(await readers[persona]!.get(`/api/datastore/${id}`)).json() as DatastoreInfo;
    expect(info.columns.map((c) => c.id)).toEqual(Object.keys(EXPECTED[persona]));
    const clear = persona === 'steward' || persona === 'deptAdmin';
    expect(info.masked).toBe(!clear);
    expect(info.rows).toBe(2);
  });

  it('a platform admin who also holds a role in another department reads like that department’s staff', async () => {
    const admin = await staffClient(b.id, true, ['dept_admin']);
    const res = ok(await admin.get(searchUrl({ sort: '_id', limit: '1' })));
    expect(withoutId(res.json().result.records[0])).toEqual(EXPECTED.platformAdmin);
  });
});

describe('masked and hidden columns cannot be probed', () => {
  const probes: Persona[] = ['anonymous', 'otherStaff', 'platformAdmin'];

  it.each(probes)('%s: filters and q see the masked value, never the clear one', async (persona) => {
    const client = readers[persona]!;
    const clearFilter = ok(await client.get(searchUrl({ filters: { 联系电话: PHONE } }))).json().result;
    expect(clearFilter).toMatchObject({ records: [], total: 0 });
    const idFilter = ok(await client.get(searchUrl({ filters: { 身份证号: ID_NUMBER } }))).json().result;
    expect(idFilter).toMatchObject({ records: [], total: 0 });
    const masked = ok(await client.get(searchUrl({ filters: { 联系电话: MASKED.联系电话 } }))).json().result;
    expect(masked.total).toBe(1);
    expect(masked.records[0].名称).toBe(CLEAR.名称);
    // '0000' is inside the clear phone number (13800001111), not inside its mask (138****1111).
    for (const q of [{ 联系电话: '0000' }, '0000', { 身份证号: '19900101' }, '19900101']) {
      expect(ok(await client.get(searchUrl({ q }))).json().result.total, JSON.stringify(q)).toBe(0);
    }
    const sorted = ok(await client.get(searchUrl({ sort: '联系电话 desc', fields: '联系电话' }))).json()
      .result;
    expect(sorted.records).toEqual([{ 联系电话: '139****2222' }, { 联系电话: MASKED.联系电话 }]);
  });

  it.each(probes)('%s: SQL over the masked column compares masked text only', async (persona) => {
    const client = readers[persona]!;
    for (const text of [
      `SELECT "名称" FROM "${id}" WHERE "联系电话" = '${PHONE}'`,
      `SELECT "名称" FROM "${id}" WHERE "联系电话" LIKE '%0000%'`,
      `SELECT "名称" FROM "${id}" WHERE "身份证号" LIKE '3399011990%'`,
      `SELECT "名称" FROM "${id}" WHERE md5("联系电话") = md5('${PHONE}')`,
    ]) {
      expect(ok(await client.get(sqlUrl(text))).json().result.records, text).toEqual([]);
    }
  });

  it('hidden columns are unknown names to those who may not see them', async () => {
    for (const persona of ['anonymous', 'citizen'] as const) {
      const res = await readers[persona]!.get(searchUrl({ filters: { 备注: CLEAR.备注 } }));
      expect(res.statusCode).toBe(409);
      expect(res.json().error.__type).toBe('Validation Error');
      const sqlRes = await readers[persona]!.get(sqlUrl(`SELECT "备注" FROM "${id}"`));
      expect(sqlRes.statusCode).toBeGreaterThanOrEqual(400);
      expect(sqlRes.statusCode).toBeLessThan(500);
    }
    for (const persona of ['otherStaff', 'member', 'platformAdmin'] as const) {
      for (const params of [
        { filters: { 密钥: '密钥甲' } },
        { sort: '密钥' },
        { fields: '密钥' },
        { q: { 密钥: '甲' } },
      ]) {
        const res = await readers[persona]!.get(searchUrl(params));
        expect(res.statusCode, `${persona} ${JSON.stringify(params)}`).toBe(409);
      }
      const sqlRes = await readers[persona]!.get(
        sqlUrl(`SELECT count(*) FROM "${id}" WHERE "密钥" = '密钥甲'`),
      );
      expect(sqlRes.statusCode, sqlRes.body).toBeGreaterThanOrEqual(400);
      expect(sqlRes.statusCode).toBeLessThan(500);
    }
  });

  it('the provider department filters on the clear value', async () => {
    const res = ok(await readers.member!.get(searchUrl({ filters: { 联系电话: PHONE } }))).json().result;
    expect(res.total).toBe(1);
    const secret = ok(await readers.steward!.get(searchUrl({ filters: { 密钥: '密钥甲' } }))).json().result;
    expect(secret.records[0].名称).toBe(CLEAR.名称);
  });
});

describe('a filtered dump masks as the whole one does', () => {
  const dumpUrl = (params: Record<string, unknown>) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params))
      query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    return `/datastore/dump/${id}?${query}`;
  };

  it.each(['anonymous', 'otherStaff', 'platformAdmin'] as const)(
    '%s gets the masked values of the rows asked for, in CSV and JSON',
    async (persona) => {
      const params = { filters: { 名称: CLEAR.名称 }, sort: '联系电话 desc', q: '岚山' };
      const json = JSON.parse(ok(await readers[persona]!.get(dumpUrl({ ...params, format: 'json' }))).body);
      expect(json).toEqual([EXPECTED[persona]]);
      const csv = ok(await readers[persona]!.get(dumpUrl({ ...params, fields: '名称,身份证号' }))).body;
      expect(csv.replace(/^\ufeff/, '')).toBe(`名称,身份证号\r\n${CLEAR.名称},${MASKED.身份证号}\r\n`);
    },
  );

  it('the clear value of a masked column finds nothing; a hidden column is an unknown name', async () => {
    for (const params of [{ filters: { 联系电话: PHONE } }, { q: ID_NUMBER }, { q: { 身份证号: '0101' } }]) {
      const res = ok(await readers.anonymous!.get(dumpUrl({ ...params, format: 'json' })));
      expect(JSON.parse(res.body), JSON.stringify(params)).toEqual([]);
    }
    const hidden = await readers.anonymous!.get(dumpUrl({ filters: { 密钥: '密钥甲' } }));
    expect(hidden.statusCode).toBe(409);
    const member = ok(await readers.member!.get(dumpUrl({ filters: { 联系电话: PHONE }, format: 'json' })));
    expect(JSON.parse(member.body)).toEqual([EXPECTED.member]);
  });
});

describe('dumps are audited when they show protected data in clear', () => {
  it('records a datastore.dump entry for the member’s dump, none for the public’s', async () => {
    const before = (await auditEntries(t.ctx, 'datastore.dump')).length;
    ok(await readers.anonymous!.get(`/datastore/dump/${id}`));
    ok(await readers.citizen!.get(`/datastore/dump/${id}?format=json`));
    expect(await auditEntries(t.ctx, 'datastore.dump')).toHaveLength(before);

    const dump = ok(await readers.member!.get(`/datastore/dump/${id}?format=json`));
    expect(JSON.parse(dump.body)[0]).toMatchObject({ 身份证号: ID_NUMBER, 联系电话: PHONE });
    const entries = await auditEntries(t.ctx, 'datastore.dump');
    expect(entries).toHaveLength(before + 1);
    const entry = entries.at(-1)!;
    expect(entry).toMatchObject({ target_type: 'distribution', target_id: id, department_id: a.id });
    expect(entry.actor_label).toMatch(/^casehandler/);
    expect(entry.details).toMatchObject({
      version: 1,
      format: 'json',
      columns: ['名称', '备注', '身份证号', '联系电话'],
    });

    ok(await readers.steward!.get(`/datastore/dump/${id}`));
    const after = await auditEntries(t.ctx, 'datastore.dump');
    expect(after).toHaveLength(before + 2);
    expect(after.at(-1)!.details).toMatchObject({ format: 'csv', columns: Object.keys(CLEAR) });
  });
});

describe('data subjects in the dictionary', () => {
  const subjects = async () => {
    const info = ok(await readers.steward!.get(`/api/datastore/${id}`)).json() as DatastoreInfo;
    return Object.fromEntries(info.columns.map((c) => [c.id, c.subject ?? null]));
  };

  it('the load names the resident-ID column a subject; the steward changes and clears it', async () => {
    expect(await subjects()).toMatchObject({ 身份证号: 'resident_id', 名称: null });
    const set = await a.steward.request('PUT', `/api/datastore/${id}/dictionary`, {
      columns: [
        { id: '名称', subject: 'uscc' },
        { id: '身份证号', subject: null },
      ],
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(await subjects()).toMatchObject({ 身份证号: null, 名称: 'uscc' });
    const bad = await a.steward.request('PUT', `/api/datastore/${id}/dictionary`, {
      columns: [{ id: '名称', subject: 'passport' }],
    });
    expect(bad.statusCode).toBe(400);
    const restore = await a.steward.request('PUT', `/api/datastore/${id}/dictionary`, {
      columns: [
        { id: '名称', subject: null },
        { id: '身份证号', subject: 'resident_id' },
      ],
    });
    expect(restore.statusCode, restore.body).toBe(200);
  });
});
