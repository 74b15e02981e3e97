import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../../test/support/test-app.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../../catalog/catalog.test-helpers.ts';
import { drainLoads } from '../datastore.test-helpers.ts';
import { refreshQuality } from './quality.service.ts';

// The profile after a load takes text columns' conformity from the load's own decisions (made from
// every value) instead of classifying the table again: the figures must be those a later refresh,
// which classifies the table, computes.

let t: TestApp;
let a: CatalogDept;
beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
});
afterAll(async () => t?.close());

const FILE = [
  '区划代码,人数,备注,编号,空列',
  ...Array.from({ length: 40 }, (_, i) =>
    [`0${571 + i}`, i % 13 === 0 ? '约3' : String(i), `备注${i}`, String(1000 + i), ''].join(','),
  ),
].join('\n');

type Columns = { id: string; candidate: string | null; conformity: number | null }[];
const textFits = async (id: string) => {
  const res = await a.steward.get(`/api/datastore/${id}/quality`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().columns as Columns).map((c) => [c.id, c.candidate, c.conformity]);
};

describe('quality right after a load', () => {
  it('gives the conformity the table itself gives', async () => {
    const ds = await publishedDataset(t.ctx, openDatasetInput(a.id), {
      filename: 'mixed.csv',
      content: Buffer.from(`${FILE}\n`),
    });
    expect(await drainLoads(t.ctx)).toBe(1);
    const id = ds.distributions[0]!.id;
    const afterLoad = await textFits(id);
    // The mixed column's candidate is integer, with 4 of its 40 values disagreeing.
    expect(afterLoad).toContainEqual(['人数', 'integer', 90]);
    await refreshQuality(t.ctx, id);
    expect(await textFits(id)).toEqual(afterLoad);
  });
});
