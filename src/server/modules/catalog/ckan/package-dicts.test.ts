import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../../test/support/test-app.ts';
import { addLinkDistribution } from '../index.ts';
import {
  ckanCall,
  createCkanTestApp,
  departmentWithStaff,
  publishedDataset,
  system,
} from './ckan.test-helpers.ts';

// Package dictionaries are kept rendered between answers (package-dicts.ts) and must never be served
// stale: after any change to what a dictionary shows, package_search answers exactly what package_show
// renders afresh — whoever made the change, through the services or straight in the database.

let t: TestApp;
let datasetId: string;
let departmentId: string;

beforeAll(async () => {
  t = await createCkanTestApp();
  const a = await departmentWithStaff(t.ctx, 'KD-A', '保持局');
  departmentId = a.dept.id;
  const ds = await publishedDataset(
    t.ctx,
    { name: 'kept-dict', titleZh: '保持的字典', themeId: 'environment', departmentId, updateCycle: 'daily' },
    ['CSV'],
  );
  datasetId = ds.id;
}, 60_000);
afterAll(async () => t.close());

const change = (statement: ReturnType<typeof sql>) => statement.execute(t.ctx.db);

/** package_search's dictionary of the dataset, checked equal to package_show's. */
async function searched(): Promise<Record<string, unknown>> {
  const search = await ckanCall(t.app, 'package_search', { q: 'name:kept-dict' });
  const show = await ckanCall(t.app, 'package_show', { id: 'kept-dict' });
  expect(search.statusCode).toBe(200);
  const results = search.json().result.results;
  expect(results).toEqual([show.json().result]);
  return results[0];
}

describe('package dictionaries kept rendered', () => {
  it('are the same as freshly rendered ones, answer after answer', async () => {
    const first = await searched();
    expect(first.title).toBe('保持的字典');
    expect(await searched()).toEqual(first);
  });

  it('follow a change of the dataset row', async () => {
    await searched();
    await change(sql`update catalog_datasets set title_en = 'Kept, then changed' where id = ${datasetId}`);
    expect((await searched()).title_en).toBe('Kept, then changed');
  });

  it('follow download counts, new and removed distributions', async () => {
    await searched();
    await change(
      sql`update catalog_distributions set download_count = download_count + 7 where dataset_id = ${datasetId}`,
    );
    const counted = await searched();
    expect((counted.resources as { download_count: number }[])[0]?.download_count).toBe(7);
    await addLinkDistribution(t.ctx, system, datasetId, {
      name: 'kept-dict.json',
      url: 'https://example.org/kept-dict.json',
      format: 'JSON',
    });
    expect((await searched()).num_resources).toBe(2);
    await change(sql`delete from catalog_distributions where dataset_id = ${datasetId} and format = 'JSON'`);
    expect((await searched()).num_resources).toBe(1);
  });

  it('follow the department and the theme they show', async () => {
    await searched();
    await change(sql`update departments set name_zh = '改名局' where id = ${departmentId}`);
    expect(((await searched()).organization as { title: string }).title).toBe('改名局');
    await change(sql`update catalog_themes set name_zh = '改名主题' where id = 'environment'`);
    expect(((await searched()).groups as { title: string }[])[0]?.title).toBe('改名主题');
  });

  it('follow a distribution whose DataStore table becomes active', async () => {
    await searched();
    await change(sql`insert into datastore_tables (distribution_id, dataset_id, current_version)
      select id, dataset_id, 1 from catalog_distributions where dataset_id = ${datasetId}`);
    const active = await searched();
    expect((active.resources as { datastore_active: boolean }[])[0]?.datastore_active).toBe(true);
  });

  it('are right for every one of many answers made at the same moment', async () => {
    const names = ['kept-one', 'kept-two', 'kept-three'];
    for (const name of names) await publishedDataset(t.ctx, { name, titleZh: name, departmentId }, ['CSV']);
    const asked = Array.from({ length: 12 }, (_, i) => names[i % names.length] as string);
    const answers = await Promise.all(
      asked.map((name) => ckanCall(t.app, 'package_search', { q: `name:${name}` })),
    );
    for (const [i, answer] of answers.entries()) {
      const show = await ckanCall(t.app, 'package_show', { id: asked[i] as string });
      expect(answer.json().result.results).toEqual([show.json().result]);
    }
  });

  it('turn overdue when the update cycle passes, with nothing written', async () => {
    // Due in a second: rendered while on time, asked again once the moment has passed.
    await change(sql`update catalog_datasets set last_version_at = now() - interval '1 day' + interval '1 second'
      where id = ${datasetId}`);
    expect((await searched()).overdue).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await searched()).overdue).toBe(true);
  });
});
