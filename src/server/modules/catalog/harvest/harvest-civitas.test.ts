import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../../test/support/test-app.ts';
import type { CreateDatasetInput, DatasetDto } from '../../../../contracts/catalog.ts';
import type { HarvestSourceDto } from '../../../../contracts/harvest.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { Worker } from '../../../platform/jobs/index.ts';
import { catalogDepartment, openDatasetInput, publishedDataset } from '../catalog.test-helpers.ts';
import { getDataset, updateDataset } from '../dataset.service.ts';
import { catalogPage } from '../dcat/dcat.service.ts';
import { MEDIA_TYPES, serializeRdf } from '../dcat/dcat-serialize.ts';
import { addLinkDistribution } from '../distribution.service.ts';
import { reviewDataset, submitDataset, withdrawDataset } from '../lifecycle.service.ts';
import {
  createSourceVia,
  harvestWorker,
  platformAdminClient,
  runVia,
  ScriptedServer,
} from './harvest.test-helpers.ts';

// Harvesting a second Civitas instance, started by this test on its own database and port, over
// real HTTP: through its DCAT-AP export (/catalog.ttl, and Hydra-paged JSON-LD and RDF/XML pages of
// its own serializer) and through its CKAN Action API. Created → updated → withdrawn → restored.

let remote: TestApp;
let remoteUrl: string;
let remoteDept: string;
let local: TestApp;
let localDept: string;
let admin: TestClient;
let worker: Worker;
const paged = new ScriptedServer();
const system = systemActor('remote-editor');

const remoteInput = (name: string, o: Partial<CreateDatasetInput> = {}) =>
  openDatasetInput(remoteDept, {
    name,
    titleZh: `${name} 数据`,
    titleEn: `${name} data`,
    descriptionZh: `${name} 的说明`,
    descriptionEn: `About ${name}`,
    keywords: ['交通', name],
    temporalStart: '2024-01-01',
    temporalEnd: '2024-12-31',
    spatialCodes: ['339900'],
    contact: { name: '数据办', email: 'data@lanshan.example.gov.cn', phone: '0571-12345678' },
    ...o,
  });

async function remoteDataset(name: string, o: Partial<CreateDatasetInput> = {}): Promise<DatasetDto> {
  const ds = await publishedDataset(remote.ctx, remoteInput(name, o));
  return addLinkDistribution(remote.ctx, system, ds.id, {
    name: `${name} CSV`,
    url: `https://files.example.org/${name}.csv`,
    format: 'CSV',
  });
}

const localByName = (name: string) => getDataset(local.ctx, systemActor('test'), { name });

beforeAll(async () => {
  remote = await createTestApp();
  await remote.app.listen({ port: 0, host: '127.0.0.1' });
  remoteUrl = `http://127.0.0.1:${(remote.app.server.address() as AddressInfo).port}`;
  remoteDept = (await catalogDepartment(remote.ctx, remote.app)).id;
  await remoteDataset('roads');
  await remoteDataset('parks', { updateCycle: 'yearly', licenseId: 'odc-odbl' });
  await remoteDataset('bridges');

  local = await createTestApp();
  localDept = (await catalogDepartment(local.ctx, local.app)).id;
  admin = await platformAdminClient(local.ctx, local.app, localDept);
  worker = harvestWorker(local.ctx);

  // The remote catalog two resources a page, each page in another RDF syntax, by Civitas's own code.
  await paged.listen();
  paged.on('/catalog', async (_req, res, url) => {
    const page = Number(url.searchParams.get('page') ?? 1);
    const format = page % 2 === 1 ? 'jsonld' : 'rdf';
    const quads = await catalogPage(remote.ctx, {
      baseUrl: remoteUrl,
      page,
      pageSize: 2,
      pageUrl: (n) => `${paged.url}/catalog?page=${n}`,
    });
    res.writeHead(200, { 'content-type': `${MEDIA_TYPES[format]}; charset=utf-8` });
    res.end(await serializeRdf(quads, format));
  });
});
afterAll(async () => {
  await worker?.stop(2000);
  await paged.close();
  await local?.close();
  await remote?.close();
});

describe('harvesting another Civitas through its DCAT-AP export', () => {
  let source: HarvestSourceDto;

  it('creates and publishes every public dataset, with its source and metadata', async () => {
    source = await createSourceVia(admin, {
      name: 'lanshan-dcat',
      title: 'Lanshan open data (DCAT)',
      kind: 'dcat',
      url: `${remoteUrl}/`,
      departmentId: localDept,
    });
    const run = await runVia(admin, source.id);
    expect(run.status, JSON.stringify(run.errors)).toBe('succeeded');
    expect(run.counts).toMatchObject({ pages: 1, gathered: 3, created: 3, errors: 0 });

    const roads = await localByName('roads');
    const remoteRoads = await getDataset(remote.ctx, system, { name: 'roads' });
    expect(roads).toMatchObject({
      status: 'published',
      harvestSourceId: source.id,
      department: { id: localDept },
      titleZh: 'roads 数据',
      titleEn: 'roads data',
      descriptionZh: 'roads 的说明',
      descriptionEn: 'About roads',
      keywords: ['交通', 'roads'],
      theme: { id: 'economy' },
      updateCycle: 'monthly',
      licenseId: 'cc-by',
      temporalStart: '2024-01-01',
      temporalEnd: '2024-12-31',
      spatialCodes: ['339900'],
      contact: { name: '数据办', email: 'data@lanshan.example.gov.cn' },
      openType: 'open',
    });
    // A resource code of its own; the remote one is kept as provenance.
    expect(roads.resourceCode).not.toBe(remoteRoads.resourceCode);
    expect(roads.extras.harvest_remote_identifier).toBe(remoteRoads.resourceCode);
    expect(roads.distributions).toMatchObject([
      { kind: 'link', url: 'https://files.example.org/roads.csv', format: 'CSV', name: 'roads CSV' },
    ]);
    expect(await localByName('parks')).toMatchObject({ updateCycle: 'yearly', licenseId: 'odc-odbl' });
  });

  it('updates a dataset whose title changed at the source, and leaves the others alone', async () => {
    const parks = await getDataset(remote.ctx, system, { name: 'parks' });
    await updateDataset(remote.ctx, system, parks.id, { titleZh: '城市公园（修订）' });
    const run = await runVia(admin, source.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ updated: 1, unchanged: 2, created: 0, withdrawn: 0 });
    expect(await localByName('parks')).toMatchObject({ titleZh: '城市公园（修订）', status: 'published' });
  });

  it('withdraws a dataset withdrawn at the source, and publishes it again when it returns', async () => {
    const bridges = await getDataset(remote.ctx, system, { name: 'bridges' });
    await withdrawDataset(remote.ctx, system, bridges.id, 'under revision');
    const run = await runVia(admin, source.id);
    expect(run.counts).toMatchObject({ gathered: 2, withdrawn: 1, unchanged: 2 });
    expect(await localByName('bridges')).toMatchObject({
      status: 'withdrawn',
      reviewNote: 'removed at source',
    });

    await submitDataset(remote.ctx, system, bridges.id);
    await reviewDataset(remote.ctx, system, bridges.id, { decision: 'publish' });
    const back = await runVia(admin, source.id);
    expect(back.counts).toMatchObject({ gathered: 3, restored: 1, withdrawn: 0 });
    expect(await localByName('bridges')).toMatchObject({ status: 'published' });
  });

  it('follows Hydra paging across JSON-LD and RDF/XML pages, prefixing names taken locally', async () => {
    await remoteDataset('rivers');
    await remoteDataset('schools');
    const pagedSource = await createSourceVia(admin, {
      name: 'lanshan-paged',
      title: 'Lanshan, paged',
      kind: 'dcat',
      url: `${paged.url}/catalog?page=1`,
      departmentId: localDept,
    });
    const run = await runVia(admin, pagedSource.id);
    expect(run.status, JSON.stringify(run.errors)).toBe('succeeded');
    expect(run.counts).toMatchObject({ pages: 3, gathered: 5, created: 5 });
    // "roads" is already the DCAT source's dataset here: this source's copy is prefixed.
    expect(await localByName('lanshan-paged-roads')).toMatchObject({
      harvestSourceId: pagedSource.id,
      titleEn: 'roads data',
    });
    expect(await localByName('rivers')).toMatchObject({ harvestSourceId: pagedSource.id });
  });
});

describe('harvesting another Civitas through its CKAN API', () => {
  it('creates, updates and withdraws in step with the source', async () => {
    expect(remote.app.hasRoute({ method: 'GET', url: '/api/3/action/:action' })).toBe(true);
    const source = await createSourceVia(admin, {
      name: 'lanshan-ckan',
      title: 'Lanshan open data (CKAN)',
      kind: 'ckan',
      url: remoteUrl,
      departmentId: localDept,
    });
    const first = await runVia(admin, source.id);
    expect(first.status, JSON.stringify(first.errors)).toBe('succeeded');
    expect(first.counts).toMatchObject({ gathered: 5, created: 5, errors: 0 });
    const schools = await localByName('lanshan-ckan-schools');
    expect(schools).toMatchObject({
      harvestSourceId: source.id,
      titleZh: 'schools 数据',
      titleEn: 'schools data',
      descriptionEn: 'About schools',
      updateCycle: 'monthly',
      licenseId: 'cc-by',
      theme: { id: 'economy' },
      temporalStart: '2024-01-01',
      spatialCodes: ['339900'],
      dataItems: [{ name: '名称', type: 'string' }],
      formatClass: 'spreadsheet',
    });
    expect(schools.distributions).toMatchObject([
      { url: 'https://files.example.org/schools.csv', format: 'CSV' },
    ]);

    const rivers = await getDataset(remote.ctx, system, { name: 'rivers' });
    await updateDataset(remote.ctx, system, rivers.id, { descriptionZh: '河流（更新）' });
    const schoolsRemote = await getDataset(remote.ctx, system, { name: 'schools' });
    await withdrawDataset(remote.ctx, system, schoolsRemote.id, 'closed');
    const second = await runVia(admin, source.id);
    expect(second.counts).toMatchObject({ gathered: 4, updated: 1, unchanged: 3, withdrawn: 1 });
    expect(await localByName('lanshan-ckan-rivers')).toMatchObject({ descriptionZh: '河流（更新）' });
    expect(await localByName('lanshan-ckan-schools')).toMatchObject({ status: 'withdrawn' });
  });
});
