import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { openTableApp } from './datastore.test-helpers.ts';
import { checkSearch } from './search-params.ts';

// datastore_search filters on yes/no columns read the words the loader reads for booleans.

const CSV = ['小组,是否党员', '甲组,是', '乙组,否', '丙组,是'].join('\n');

let t: TestApp;
let anonymous: TestClient;
let id: string;

beforeAll(async () => {
  ({ t, anonymous, id } = await openTableApp('党员.csv', CSV));
});
afterAll(async () => t?.close());

const search = (filters: Record<string, unknown>) =>
  anonymous.get(
    `/api/3/action/datastore_search?resource_id=${id}&filters=${encodeURIComponent(JSON.stringify(filters))}`,
  );

describe('datastore_search filters on a boolean column', () => {
  it('accepts 是/否, Y/N, yes/no, true/false and 1/0, as the loader does', async () => {
    const fields = (await search({})).json().result.fields;
    expect(fields.find((f: { id: string }) => f.id === '是否党员')?.type).toBe('bool');
    for (const word of ['是', 'Y', 'yes', 'true', 'TRUE', '1', 't', ' 是 ', true]) {
      const res = await search({ 是否党员: word });
      expect(res.statusCode, `${word}: ${res.body}`).toBe(200);
      expect(res.json().result.records.map((r: { 小组: string }) => r.小组)).toEqual(['甲组', '丙组']);
    }
    for (const word of ['否', 'N', 'no', 'false', '0', false]) {
      const res = await search({ 是否党员: word });
      expect(res.statusCode, `${word}: ${res.body}`).toBe(200);
      expect(res.json().result.records.map((r: { 小组: string }) => r.小组)).toEqual(['乙组']);
    }
    const both = await search({ 是否党员: ['是', '否'] });
    expect(both.json().result.total).toBe(3);
  });

  it('still refuses a word that is neither yes nor no', async () => {
    for (const word of ['也许', 'maybe', '2', '']) {
      const res = await search({ 是否党员: word });
      expect(res.statusCode, word).toBe(409);
      expect(res.json().error.__type).toBe('Validation Error');
    }
  });

  it('passes the canonical true/false to the query', () => {
    const column = { id: '是否党员', label: '是否党员', type: 'boolean' } as const;
    const checked = checkSearch({ resource_id: 'x', filters: { 是否党员: ['是', 'N'] } }, [column as never]);
    expect(checked.filters).toEqual([{ id: '是否党员', type: 'boolean', values: ['true', 'false'] }]);
  });
});
