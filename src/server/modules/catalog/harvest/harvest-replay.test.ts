import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../../test/support/test-app.ts';
import type { DatasetDto } from '../../../../contracts/catalog.ts';
import type { HarvestSourceDto } from '../../../../contracts/harvest.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import { getJob, type Worker } from '../../../platform/jobs/index.ts';
import { auditEntries } from '../../identity/identity.test-helpers.ts';
import { catalogDepartment, openDatasetInput, publishedDataset } from '../catalog.test-helpers.ts';
import { getDataset } from '../dataset.service.ts';
import {
  createSourceVia,
  harvestWorker,
  platformAdminClient,
  runVia,
  ScriptedServer,
  waitForRun,
} from './harvest.test-helpers.ts';

// Harvesting over real HTTP from a local server that replays CKAN package_search pages and DCAT
// documents, including sources that misbehave: a body too large, paging that does not page, a
// next-page loop, endless pages, an answer that never comes, endless redirects.

let t: TestApp;
let admin: TestClient;
let deptId: string;
let worker: Worker;
const remote = new ScriptedServer();

type Pkg = Record<string, unknown>;
let packages: Pkg[] = [];

const pkg = (name: string, o: Pkg = {}): Pkg => ({
  id: `id-${name}`,
  name,
  title: `Title of ${name}`,
  notes: `Notes of ${name}`,
  type: 'dataset',
  state: 'active',
  private: false,
  license_id: 'CC-BY-4.0',
  tags: [{ name: 'transport' }, { name: 'city' }],
  extras: [{ key: 'origin', value: 'replay' }],
  organization: { name: 'city-org', title: 'City Organisation' },
  resources: [{ name: `${name} as CSV`, url: `https://files.example.org/${name}.csv`, format: 'csv' }],
  ...o,
});

/** package_search like a portal whose largest page is two rows (sorted by name, as asked). */
function packageSearch(res: import('node:http').ServerResponse, url: URL, all: Pkg[]) {
  const rows = Math.min(Number(url.searchParams.get('rows') ?? 10), 2);
  const start = Number(url.searchParams.get('start') ?? 0);
  const sorted = [...all].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      success: true,
      result: { count: all.length, results: sorted.slice(start, start + rows) },
    }),
  );
}

const TTL_PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
`;

/** A DCAT catalog page with one dataset, and a Hydra next page when given. */
function dcatPage(base: string, id: string, next?: string): string {
  const d = `${base}/dataset/${id}`;
  return `${TTL_PREFIXES}
<${base}/catalog> a dcat:Catalog ; dcat:dataset <${d}> .
<${d}> a dcat:Dataset ; dct:title "数据${id}"@zh, "Data ${id}"@en ; dct:identifier "ID-${id}" ; dcat:keyword "paging" ;
  dcat:distribution <${d}/csv> .
<${d}/csv> a dcat:Distribution ; dcat:accessURL <https://files.example.org/${id}.csv> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
  dct:license <http://www.opendefinition.org/licenses/cc-by> .
${next ? `<${base}/page-view> a hydra:PartialCollectionView ; hydra:next <${next}> .` : ''}
`;
}

const ttl = (res: import('node:http').ServerResponse, body: string) =>
  res.writeHead(200, { 'content-type': 'text/turtle; charset=utf-8' }).end(body);

beforeAll(async () => {
  t = await createTestApp();
  const dept = await catalogDepartment(t.ctx, t.app);
  deptId = dept.id;
  admin = await platformAdminClient(t.ctx, t.app, deptId);
  await remote.listen();
  remote
    .on('/ckan/', (_req, res, url) => packageSearch(res, url, packages))
    .on('/huge/', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const write = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      write();
    })
    .on('/stuck/', (_req, res) => {
      // Ignores start: every page is the first one.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ success: true, result: { count: 500, results: [pkg('stuck-a'), pkg('stuck-b')] } }),
      );
    })
    .on('/slow/', () => {
      // Never answers: the run's time limit has to end it.
    })
    .on('/redirect/', (_req, res, url) => {
      res.writeHead(302, { location: url.pathname }).end();
    })
    .on('/loop/catalog.ttl', (_req, res, url) => {
      const base = `${remote.url}/loop`;
      // Page 1 → page 2 → page 1 again.
      if (url.searchParams.get('page') === '2') ttl(res, dcatPage(base, 'loop-2', `${base}/catalog.ttl`));
      else ttl(res, dcatPage(base, 'loop-1', `${base}/catalog.ttl?page=2`));
    })
    .on('/endless/catalog.ttl', (_req, res, url) => {
      const base = `${remote.url}/endless`;
      const page = Number(url.searchParams.get('page') ?? 1);
      ttl(res, dcatPage(base, `endless-${page}`, `${base}/catalog.ttl?page=${page + 1}`));
    });
  worker = harvestWorker(t.ctx);
});
afterAll(async () => {
  await worker.stop(2000);
  await remote.close();
  await t.close();
});

const local = (name: string) => getDataset(t.ctx, systemActor('test'), { name });
const source = (name: string, path: string, o: Record<string, unknown> = {}) =>
  createSourceVia(admin, {
    name,
    title: `Source ${name}`,
    kind: 'ckan',
    url: `${remote.url}${path}`,
    departmentId: deptId,
    ...o,
  });

describe('harvesting a CKAN API', () => {
  let city: HarvestSourceDto;

  it('gathers every page, imports and publishes the datasets, and logs one bad dataset without failing', async () => {
    // A local dataset already has one of the remote names: the harvested one is prefixed.
    await publishedDataset(t.ctx, openDatasetInput(deptId, { name: 'alpha' }));
    packages = [
      pkg('alpha'),
      pkg('bravo', {
        license_id: 'some-unknown-licence',
        title_en: 'Bravo in English',
        update_cycle: 'monthly',
      }),
      pkg('charlie'),
      pkg('delta', { id: 'x'.repeat(1200) }),
      pkg('echo', { private: true }),
      pkg('foxtrot', { resources: [{ name: 'broken', url: 'ftp://files.example.org/x' }] }),
    ];
    city = await source('city', '/ckan/api/3/action');
    const run = await runVia(admin, city.id);
    expect(run).toMatchObject({ status: 'partial', trigger: 'manual', sourceName: 'city' });
    expect(run.counts).toMatchObject({ pages: 3, gathered: 5, created: 4, errors: 1, withdrawn: 0 });
    expect(run.errors).toEqual([
      { stage: 'import', remoteId: 'x'.repeat(500), message: 'the remote id is longer than 1000 characters' },
    ]);
    expect(run.timings.totalMs).toBeGreaterThan(0);
    expect(run.finishedAt).not.toBeNull();

    const alpha = await local('city-alpha');
    expect(alpha).toMatchObject({
      status: 'published',
      titleZh: 'Title of alpha',
      descriptionZh: 'Notes of alpha',
      openType: 'open',
      shareType: 'unconditional',
      sensitivity: 'public',
      licenseId: 'cc-by',
      keywords: ['transport', 'city'],
      harvestSourceId: city.id,
    });
    expect(alpha.extras).toMatchObject({
      origin: 'replay',
      harvest_remote_identifier: 'id-alpha',
      harvest_remote_publisher: 'City Organisation',
    });
    expect(alpha.distributions).toMatchObject([
      { kind: 'link', url: 'https://files.example.org/alpha.csv', format: 'CSV', name: 'alpha as CSV' },
    ]);
    expect(await local('bravo')).toMatchObject({
      licenseId: 'other-open',
      titleEn: 'Bravo in English',
      updateCycle: 'monthly',
    });
    // A link that is not http(s) is dropped; the dataset is still imported.
    expect((await local('foxtrot')).distributions).toEqual([]);
    // Private datasets of the source are not harvested.
    await expect(local('echo')).rejects.toThrow();
    // Through the API, a harvested dataset names its source.
    const api = await admin.get('/api/catalog/datasets/city-alpha');
    expect(api.json<DatasetDto>().harvestSourceId).toBe(city.id);
    expect((await auditEntries(t.ctx, 'catalog.harvest.run')).length).toBeGreaterThan(0);
  });

  it('on the next run updates what changed, skips what did not, withdraws what vanished', async () => {
    packages = [
      pkg('alpha'),
      pkg('bravo', {
        title: 'Bravo renamed',
        license_id: 'some-unknown-licence',
        title_en: 'Bravo in English',
        update_cycle: 'monthly',
        resources: [
          { name: 'Bravo API', url: 'https://api.example.org/bravo', format: 'json', resource_type: 'api' },
        ],
      }),
      pkg('foxtrot', { resources: [{ name: 'broken', url: 'ftp://files.example.org/x' }] }),
    ];
    const run = await runVia(admin, city.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({
      gathered: 3,
      created: 0,
      updated: 1,
      unchanged: 2,
      withdrawn: 1,
      errors: 0,
    });
    const bravo = await local('bravo');
    expect(bravo).toMatchObject({ titleZh: 'Bravo renamed', status: 'published' });
    expect(bravo.distributions).toMatchObject([
      { kind: 'api', url: 'https://api.example.org/bravo', format: 'JSON' },
    ]);
    expect(await local('charlie')).toMatchObject({ status: 'withdrawn', reviewNote: 'removed at source' });
    const history = await admin.get(`/api/catalog/datasets/${bravo.id}/history`);
    expect(history.json().map((v: { change: string }) => v.change)).toContain('harvested');
  });

  it('publishes a dataset again when it reappears at the source', async () => {
    packages = [
      pkg('alpha'),
      pkg('bravo', {
        title: 'Bravo renamed',
        license_id: 'some-unknown-licence',
        title_en: 'Bravo in English',
        update_cycle: 'monthly',
        resources: [
          { name: 'Bravo API', url: 'https://api.example.org/bravo', format: 'json', resource_type: 'api' },
        ],
      }),
      pkg('charlie'),
      pkg('foxtrot', { resources: [{ name: 'broken', url: 'ftp://files.example.org/x' }] }),
    ];
    const run = await runVia(admin, city.id);
    expect(run.counts).toMatchObject({ restored: 1, unchanged: 3, withdrawn: 0, created: 0 });
    expect(await local('charlie')).toMatchObject({ status: 'published' });
    const runs = await admin.get(`/api/catalog/harvest/sources/${city.id}/runs`);
    expect(runs.json().runs.map((r: { status: string }) => r.status)).toEqual([
      'succeeded',
      'succeeded',
      'partial',
    ]);
    const listed = await admin.get('/api/catalog/harvest/sources');
    expect(listed.json().sources.find((s: HarvestSourceDto) => s.id === city.id)).toMatchObject({
      datasetCount: 4,
      lastRun: { id: run.id, status: 'succeeded' },
    });
  });

  it('stops at the dataset limit and then withdraws nothing', async () => {
    const limited = await source('city-limited', '/ckan/', { limits: { maxDatasets: 2 } });
    const run = await runVia(admin, limited.id);
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ gathered: 2, created: 2, withdrawn: 0 });
    expect(run.errors.at(-1)?.message).toMatch(/dataset limit reached \(2 datasets\)/);
  });
});

describe('limits keep a bad source from looping or exhausting memory', () => {
  it('drops an answer larger than maxResponseBytes while it streams in', async () => {
    const s = await source('huge', '/huge/', { limits: { maxResponseBytes: 1024 * 1024 } });
    const run = await runVia(admin, s.id);
    expect(run.status).toBe('failed');
    expect(run.counts).toMatchObject({ gathered: 0, pages: 0, errors: 1 });
    expect(run.errors[0]).toMatchObject({ stage: 'gather' });
    expect(run.errors[0]?.message).toMatch(/larger than the limit of 1048576 bytes/);
  });

  it('stops when a CKAN source answers the same page whatever the offset', async () => {
    const s = await source('stuck', '/stuck/');
    const run = await runVia(admin, s.id);
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ pages: 2, gathered: 2, created: 2 });
    expect(run.errors[0]?.message).toMatch(/same page as the one before/);
  });

  it('stops a next-page loop of a DCAT source', async () => {
    const s = await source('loop', '/loop/catalog.ttl', { kind: 'dcat' });
    const run = await runVia(admin, s.id);
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ pages: 2, gathered: 2, created: 2 });
    expect(run.errors[0]?.message).toMatch(/next-page loop: .*\/loop\/catalog\.ttl was already read/);
  });

  it('stops endless pages at maxPages, and a later partial run withdraws nothing', async () => {
    const s = await source('endless', '/endless/catalog.ttl', { kind: 'dcat', limits: { maxPages: 3 } });
    const run = await runVia(admin, s.id);
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ pages: 3, gathered: 3, created: 3 });
    expect(run.errors).toEqual([{ stage: 'gather', message: 'page limit reached (3 pages)' }]);
    expect(await local('endless-3')).toMatchObject({
      titleZh: '数据endless-3',
      titleEn: 'Data endless-3',
      licenseId: 'cc-by',
    });

    await admin.patch(`/api/catalog/harvest/sources/${s.id}`, { limits: { maxPages: 1 } });
    const second = await runVia(admin, s.id);
    expect(second.counts).toMatchObject({ pages: 1, unchanged: 1, withdrawn: 0 });
    expect(await local('endless-3')).toMatchObject({ status: 'published' });
  });

  it('ends a run whose source never answers at maxSeconds', async () => {
    const s = await source('slow', '/slow/', { limits: { maxSeconds: 1 } });
    const started = Date.now();
    const run = await runVia(admin, s.id);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.status).toBe('failed');
    expect(run.errors).toEqual([{ stage: 'gather', message: 'time limit reached (1 s)' }]);
  });

  it('follows at most five redirects', async () => {
    const s = await source('redirects', '/redirect/');
    const run = await runVia(admin, s.id);
    expect(run.status).toBe('failed');
    expect(run.errors[0]?.message).toMatch(/more than 5 redirects/);
  });
});

describe('run requests and cancellation', () => {
  it('answers a second "run now" with the run already queued, and cancels it when the source is deactivated', async () => {
    const s = await source('hanging', '/slow/', { limits: { maxSeconds: 60 } });
    const first = await admin.post(`/api/catalog/harvest/sources/${s.id}/run`);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({
      created: true,
      run: { status: 'queued', trigger: 'manual', startedAt: null },
    });
    const again = await admin.post(`/api/catalog/harvest/sources/${s.id}/run`);
    expect(again.json()).toMatchObject({
      created: false,
      jobId: first.json().jobId,
      run: { id: first.json().run.id },
    });

    // Once it is running, deactivating the source cancels it: the handler's signal aborts the request.
    const runId = first.json().run.id;
    for (let i = 0; i < 200; i++) {
      if ((await admin.get(`/api/catalog/harvest/runs/${runId}`)).json().status === 'running') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const started = Date.now();
    expect((await admin.delete(`/api/catalog/harvest/sources/${s.id}`)).statusCode).toBe(204);
    expect((await waitForRun(admin, runId)).status).toBe('cancelled');
    // The handler learns of it at its next heartbeat, stops waiting for the source, and logs why.
    for (let i = 0; i < 400 && worker.active > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(worker.active).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const run = await waitForRun(admin, runId);
    expect(run).toMatchObject({
      status: 'cancelled',
      errors: [{ stage: 'gather', message: 'the job was cancelled' }],
    });
    expect((await getJob(t.ctx.db, first.json().jobId))?.status).toBe('cancelled');

    const source2 = await admin.get(`/api/catalog/harvest/sources/${s.id}`);
    expect(source2.json()).toMatchObject({ active: false, nextRunAt: null });
    const refused = await admin.post(`/api/catalog/harvest/sources/${s.id}/run`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('catalog.harvest_source_inactive');
  });
});
