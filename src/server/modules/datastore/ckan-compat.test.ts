import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { openTableApp } from './datastore.test-helpers.ts';

// What a client written for CKAN's DataStore relies on: limit capped rather than refused, q over the
// whole row, sort with nulls first/last or as a list, `id` for resource_id, _links that page the
// same search, CKAN's type names in datastore_info, "query" on SQL errors, the dump's bom switch.

const CSV = ['城市,人口,备注', '甲市,300,沿海', '乙市,,山区', '丙市,100,沿海', '丁市,200,平原'].join('\n');

let t: TestApp;
let anonymous: TestClient;
let id: string;

beforeAll(async () => {
  ({ t, anonymous, id } = await openTableApp('城市.csv', CSV));
});
afterAll(async () => t?.close());

const search = (params: Record<string, unknown>) =>
  anonymous.get(
    `/api/3/action/datastore_search?${new URLSearchParams(
      Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    )}`,
  );
const cities = (res: { json(): { result: { records: { 城市: string }[] } } }) =>
  res.json().result.records.map((r) => r.城市);

describe('datastore_search as CKAN clients call it', () => {
  it('lowers a limit above 32000 to 32000 instead of refusing it', async () => {
    const res = await search({ resource_id: id, limit: '50000' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().result.limit).toBe(32000);
    expect(res.json().result.records).toHaveLength(4);
    expect((await search({ resource_id: id, limit: '-1' })).statusCode).toBe(409);
  });

  it('searches the whole row with a text q, whatever fields it returns', async () => {
    const res = await search({ resource_id: id, q: '沿海', fields: '_id' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().result.records).toEqual([{ _id: 1 }, { _id: 3 }]);
    expect(res.json().result.total).toBe(2);
  });

  it('reads "nulls first" and "nulls last" in sort, and sort as a list', async () => {
    const last = await search({ resource_id: id, sort: '人口 desc nulls last' });
    expect(last.statusCode, last.body).toBe(200);
    expect(cities(last)).toEqual(['甲市', '丁市', '丙市', '乙市']);
    const first = await search({ resource_id: id, sort: '人口 asc nulls first' });
    expect(cities(first)).toEqual(['乙市', '丙市', '丁市', '甲市']);
    const list = await anonymous.post('/api/3/action/datastore_search', {
      resource_id: id,
      sort: ['人口 asc', '_id desc'],
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(cities(list)).toEqual(['丙市', '丁市', '甲市', '乙市']);
  });

  it('takes id for resource_id', async () => {
    const res = await search({ id, fields: '城市', limit: '1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().result.records).toEqual([{ 城市: '甲市' }]);
  });

  it('gives _links that page the same search', async () => {
    const res = await search({ resource_id: id, filters: { 备注: '沿海' }, limit: '1', sort: '人口 desc' });
    const links = res.json().result._links;
    expect(links.prev).toBeUndefined();
    const next = await anonymous.get(links.next);
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().result).toMatchObject({ offset: 1, limit: 1, total: 2 });
    expect(cities(next)).toEqual(['丙市']);
    expect(next.json().result._links.prev).toBe(links.start.replace(/$/, '&offset=0'));
    expect(cities(await anonymous.get(links.start))).toEqual(['甲市']);
  });

  it('reports _id as int, as CKAN does', async () => {
    const res = await search({ resource_id: id, limit: '0' });
    expect(res.json().result.fields[0]).toEqual({ id: '_id', type: 'int' });
  });
});

describe('datastore_info', () => {
  it('names types as datastore_search does, with PostgreSQL native types in schema', async () => {
    const res = await anonymous.get(`/api/3/action/datastore_info?id=${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const fields = res.json().result.fields as {
      id: string;
      type: string;
      schema: { native_type: string };
    }[];
    expect(fields.map((f) => [f.id, f.type, f.schema.native_type])).toEqual([
      ['城市', 'text', 'text'],
      ['人口', 'int4', 'integer'],
      ['备注', 'text', 'text'],
    ]);
    expect(res.json().result.meta).toMatchObject({ count: 4, id, aliases: [] });
  });
});

describe('datastore_search_sql errors', () => {
  it('puts the failure under "query", as CKAN does', async () => {
    for (const statement of ['SELEC 1', `SELECT nope FROM "${id}"`]) {
      const res = await anonymous.get(
        `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(statement)}`,
      );
      expect(res.statusCode, statement).toBe(409);
      expect(res.json().error.__type).toBe('Validation Error');
      expect(res.json().error.query).toEqual([res.json().error.message]);
    }
  });
});

describe('datastore_search_sql results', () => {
  it('says records_truncated when it cut the rows at 32000', async () => {
    const sql = (statement: string) =>
      anonymous.get(`/api/3/action/datastore_search_sql?sql=${encodeURIComponent(statement)}`);
    const cut = await sql('SELECT g FROM generate_series(1, 32001) AS g');
    expect(cut.statusCode, cut.body.slice(0, 300)).toBe(200);
    expect(cut.json().result.records).toHaveLength(32000);
    expect(cut.json().result.records_truncated).toBe(true);
    const whole = await sql(`SELECT count(*) AS n FROM "${id}"`);
    expect(whole.json().result.records_truncated).toBeUndefined();
  });
});

describe('/datastore/dump', () => {
  it("takes CKAN's bom switch", async () => {
    const bomless = await anonymous.get(`/datastore/dump/${id}?bom=False`);
    expect(bomless.statusCode, bomless.body).toBe(200);
    expect(bomless.body.startsWith('城市,')).toBe(true);
    const csv = await anonymous.get(`/datastore/dump/${id}?bom=True`);
    expect(csv.body.startsWith('\ufeff城市,')).toBe(true);
    const tsv = await anonymous.get(`/datastore/dump/${id}?format=tsv&bom=true`);
    expect(tsv.body.startsWith('\ufeff城市\t')).toBe(true);
    expect((await anonymous.get(`/datastore/dump/${id}?format=tsv`)).body.startsWith('城市\t')).toBe(true);
    expect((await anonymous.get(`/datastore/dump/${id}?bom=maybe`)).statusCode).toBe(400);
  });
});
