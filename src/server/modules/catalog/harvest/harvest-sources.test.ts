import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../../test/support/test-app.ts';
import type { HarvestSourceDto } from '../../../../contracts/harvest.ts';
import { getJob } from '../../../platform/jobs/index.ts';
import { auditEntries } from '../../identity/identity.test-helpers.ts';
import { type CatalogDept, catalogDepartment } from '../catalog.test-helpers.ts';
import { enqueueDueHarvests } from './harvest.jobs.ts';
import { platformAdminClient } from './harvest.test-helpers.ts';

// Managing sources through the REST API (validation, defaults, deactivation) and the scheduler's
// queueing of due sources. No worker runs here: queued runs stay queued.

let t: TestApp;
let dept: CatalogDept;
let admin: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  dept = await catalogDepartment(t.ctx, t.app);
  admin = await platformAdminClient(t.ctx, t.app, dept.id);
});
afterAll(async () => t.close());

const body = (o: Record<string, unknown> = {}) => ({
  name: `src-${Math.random().toString(36).slice(2, 8)}`,
  title: 'A remote portal',
  kind: 'ckan',
  url: 'https://data.example.org',
  departmentId: dept.id,
  ...o,
});

describe('harvest sources', () => {
  it('registers a source with default limits and a manual schedule, and audits it', async () => {
    const res = await admin.post('/api/catalog/harvest/sources', body({ name: 'portal-one' }));
    expect(res.statusCode, res.body).toBe(201);
    const s: HarvestSourceDto = res.json();
    expect(s).toMatchObject({
      name: 'portal-one',
      kind: 'ckan',
      schedule: 'manual',
      active: true,
      nextRunAt: null,
      department: { id: dept.id, code: dept.code },
      limits: { maxPages: 100, maxResponseBytes: 20 * 1024 * 1024, maxSeconds: 300, maxDatasets: 10_000 },
      datasetCount: 0,
      lastRun: null,
    });
    expect((await admin.get(`/api/catalog/harvest/sources/${s.id}`)).json()).toEqual(s);
    const audit = await auditEntries(t.ctx, 'catalog.harvest_source.create');
    expect(audit.at(-1)).toMatchObject({ target_id: s.id });
  });

  it.each([
    [{ url: 'ftp://data.example.org/' }, '/url'],
    [{ url: 'javascript:alert(1)' }, '/url'],
    [{ name: 'Has Capitals' }, '/name'],
    [{ kind: 'csw' }, '/kind'],
    [{ schedule: 'monthly' }, '/schedule'],
    [{ limits: { maxPages: 0 } }, '/limits/maxPages'],
    [{ limits: { maxResponseBytes: 10 } }, '/limits/maxResponseBytes'],
    [{ limits: { unknown: 1 } }, '/limits'],
  ])('refuses %j (400 naming %s)', async (change, path) => {
    const res = await admin.post('/api/catalog/harvest/sources', body(change));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(path);
  });

  it('refuses an unknown department and a name in use', async () => {
    const unknown = await admin.post(
      '/api/catalog/harvest/sources',
      body({ departmentId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('catalog.invalid_department');
    const taken = await admin.post('/api/catalog/harvest/sources', body({ name: 'portal-one' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('catalog.harvest_source_name_taken');
  });

  it('changes a source: a schedule makes it due, merged limits, manual clears the due time', async () => {
    const s: HarvestSourceDto = (await admin.post('/api/catalog/harvest/sources', body())).json();
    const daily = await admin.patch(`/api/catalog/harvest/sources/${s.id}`, {
      schedule: 'daily',
      limits: { maxPages: 5 },
      title: 'Renamed',
    });
    expect(daily.statusCode, daily.body).toBe(200);
    expect(daily.json()).toMatchObject({
      schedule: 'daily',
      title: 'Renamed',
      limits: { maxPages: 5, maxSeconds: 300 },
    });
    expect(Date.parse(daily.json().nextRunAt)).toBeLessThanOrEqual(Date.now() + 1000);
    const more = await admin.patch(`/api/catalog/harvest/sources/${s.id}`, { limits: { maxSeconds: 60 } });
    expect(more.json().limits).toMatchObject({ maxPages: 5, maxSeconds: 60 });
    const manual = await admin.patch(`/api/catalog/harvest/sources/${s.id}`, { schedule: 'manual' });
    expect(manual.json()).toMatchObject({ schedule: 'manual', nextRunAt: null });
    expect((await admin.patch(`/api/catalog/harvest/sources/${s.id}`, {})).statusCode).toBe(400);
    expect(
      (await admin.patch(`/api/catalog/harvest/sources/${s.id}`, { url: 'file:///etc/passwd' })).statusCode,
    ).toBe(400);
  });

  it('deactivates (keeping the source and its runs), cancels a queued run, and reactivates', async () => {
    const s: HarvestSourceDto = (await admin.post('/api/catalog/harvest/sources', body())).json();
    const queued = await admin.post(`/api/catalog/harvest/sources/${s.id}/run`);
    expect(queued.statusCode).toBe(202);
    expect((await admin.delete(`/api/catalog/harvest/sources/${s.id}`)).statusCode).toBe(204);
    const run = await admin.get(`/api/catalog/harvest/runs/${queued.json().run.id}`);
    expect(run.json()).toMatchObject({ status: 'cancelled' });
    expect((await getJob(t.ctx.db, queued.json().jobId))?.status).toBe('cancelled');
    const listed = (await admin.get('/api/catalog/harvest/sources')).json().sources as HarvestSourceDto[];
    expect(listed.find((x) => x.id === s.id)).toMatchObject({
      active: false,
      lastRun: { status: 'cancelled' },
    });
    const back = await admin.patch(`/api/catalog/harvest/sources/${s.id}`, { active: true });
    expect(back.json()).toMatchObject({ active: true });
    expect((await admin.post(`/api/catalog/harvest/sources/${s.id}/run`)).statusCode).toBe(202);
  });

  it('answers 404 for an unknown source or run', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect((await admin.get(`/api/catalog/harvest/sources/${id}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/catalog/harvest/sources/${id}/runs`)).statusCode).toBe(404);
    expect((await admin.post(`/api/catalog/harvest/sources/${id}/run`)).statusCode).toBe(404);
    expect((await admin.get(`/api/catalog/harvest/runs/${id}`)).statusCode).toBe(404);
  });

  it('is for platform admins only', async () => {
    const s: HarvestSourceDto = (await admin.post('/api/catalog/harvest/sources', body())).json();
    for (const client of [dept.admin, dept.steward]) {
      expect((await client.get('/api/catalog/harvest/sources')).statusCode).toBe(403);
      expect((await client.post(`/api/catalog/harvest/sources/${s.id}/run`)).statusCode).toBe(403);
    }
  });
});

describe('the harvest scheduler', () => {
  it('queues each due source once, moving its next run on, and skips a source whose run is still queued', async () => {
    const hourly: HarvestSourceDto = (
      await admin.post('/api/catalog/harvest/sources', body({ schedule: 'hourly' }))
    ).json();
    const weekly: HarvestSourceDto = (
      await admin.post('/api/catalog/harvest/sources', body({ schedule: 'weekly' }))
    ).json();
    expect(await enqueueDueHarvests(t.ctx)).toBeGreaterThanOrEqual(2);
    // Not due again: the same tick on another node (or a second later) queues nothing for them.
    expect(await enqueueDueHarvests(t.ctx)).toBe(0);
    const after = (await admin.get(`/api/catalog/harvest/sources/${hourly.id}`)).json();
    const nextIn = Date.parse(after.nextRunAt) - Date.now();
    expect(nextIn).toBeGreaterThan(59 * 60_000);
    expect(nextIn).toBeLessThanOrEqual(60 * 60_000);
    expect(after.lastRun).toMatchObject({ status: 'queued', trigger: 'schedule', requestedBy: 'scheduler' });
    const weeklyAfter = (await admin.get(`/api/catalog/harvest/sources/${weekly.id}`)).json();
    expect(Date.parse(weeklyAfter.nextRunAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    // Due again while its last run is still queued: the time moves on, no second run is queued.
    await t.ctx.db
      .updateTable('catalog_harvest_sources')
      .set({ next_run_at: sql`now() - interval '1 minute'` })
      .where('id', '=', hourly.id)
      .execute();
    expect(await enqueueDueHarvests(t.ctx)).toBe(0);
    const runs = (await admin.get(`/api/catalog/harvest/sources/${hourly.id}/runs`)).json().runs;
    expect(runs).toHaveLength(1);
    expect((await auditEntries(t.ctx, 'catalog.harvest.run_requested')).length).toBeGreaterThanOrEqual(2);
  });
});
