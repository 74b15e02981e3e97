import { afterAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../../test/support/test-app.ts';
import { openTableApp } from '../datastore.test-helpers.ts';
import { refreshQuality } from './quality.service.ts';

// The profile after a load takes text columns' conformity from the load's own decisions (made from
// every value) instead of classifying the table again: the figures must be those a later refresh,
// which classifies the table, computes.

const FILE = [
  '区划代码,人数,备注,编号,空列',
  ...Array.from({ length: 40 }, (_, i) =>
    [`0${571 + i}`, i % 13 === 0 ? '约3' : String(i), `备注${i}`, String(1000 + i), ''].join(','),
  ),
].join('\n');

let t: TestApp | undefined;
afterAll(async () => t?.close());

type Columns = { id: string; candidate: string | null; conformity: number | null }[];

describe('quality right after a load', () => {
  it('gives the conformity the table itself gives', async () => {
    const opened = await openTableApp('mixed.csv', `${FILE}\n`);
    t = opened.t;
    const textFits = async () => {
      const res = await opened.dept.steward.get(`/api/datastore/${opened.id}/quality`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().columns as Columns).map((c) => [c.id, c.candidate, c.conformity]);
    };
    const afterLoad = await textFits();
    // The mixed column's candidate is integer, with 4 of its 40 values disagreeing.
    expect(afterLoad).toContainEqual(['人数', 'integer', 90]);
    await refreshQuality(opened.t.ctx, opened.id);
    expect(await textFits()).toEqual(afterLoad);
  });
});
