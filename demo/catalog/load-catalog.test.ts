import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import Value from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDatasetBody, DatasetName } from '../../src/contracts/catalog.ts';
import { CATALOG_PAGE_SIZE, catalogPage } from '../../src/server/modules/catalog/dcat/dcat.service.ts';
import { serializeRdf } from '../../src/server/modules/catalog/dcat/dcat-serialize.ts';
import {
  getDataset,
  openDownload,
  portalOverview,
  searchDatasets,
} from '../../src/server/modules/catalog/index.ts';
import { formatShaclResults, validateCatalogShacl } from '../../test/support/dcat-shacl.ts';
import { createTestContext, type TestContext } from '../../test/support/test-context.ts';
import { type DemoSummary, loadDemo } from '../index.ts';
import { expandRow, statusOf } from './define.ts';
import { loadDemoCatalog } from './load-catalog.ts';
import { sampleRecords, toCsv, toJson } from './sample-data.ts';
import { DEMO_CATALOG, demoRows } from './tables.ts';

const ROWS = demoRows().map((r) => r.row);
const FAKE_UUID = '00000000-0000-4000-8000-000000000000';

describe('demo catalog (source)', () => {
  it('lists about 200 resources with unique, valid names and valid service input', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(190);
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
    for (const table of DEMO_CATALOG)
      for (const row of table.rows) {
        expect(Value.Check(DatasetName, row.name), row.name).toBe(true);
        const input = expandRow(row, FAKE_UUID, table.contact);
        expect([...Value.Errors(CreateDatasetBody, input)], row.name).toEqual([]);
        expect(input.dataItems!.length, row.name).toBeGreaterThanOrEqual(3);
        expect(input.dataItems!.length, row.name).toBeLessThanOrEqual(10);
        if (statusOf(row) === 'withdrawn') expect(row.reason, row.name).toBeTruthy();
      }
  });

  it('makes the same sample files every time', () => {
    for (const row of ROWS.filter((r) => r.access === 'open')) {
      const records = sampleRecords(row);
      expect(records.length, row.name).toBeGreaterThanOrEqual(5);
      expect(records.length, row.name).toBeLessThanOrEqual(50);
      expect(toCsv(sampleRecords(row)).equals(toCsv(records))).toBe(true);
    }
  });
});

describe('loadDemoCatalog', () => {
  let ctx: TestContext;
  let summary: DemoSummary | undefined;
  let seconds = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    const started = performance.now();
    summary = await loadDemo(ctx);
    seconds = (performance.now() - started) / 1000;
    console.info(`demo city with catalog loaded in ${seconds.toFixed(1)} s (${ctx.engine})`);
  }, 120_000);
  afterAll(async () => ctx?.dispose());

  it('exports a DCAT-AP catalog with no SHACL violation on any page (issue #3: the demo validates)', async () => {
    const base = 'https://data.lanshan.example.gov.cn';
    let datasets = 0;
    for (let page = 1; ; page++) {
      const quads = await catalogPage(ctx, {
        baseUrl: base,
        page,
        pageUrl: (n) => `${base}/catalog.ttl?page=${n}`,
      });
      const report = await validateCatalogShacl(await serializeRdf(quads, 'ttl'));
      expect(report.violations, formatShaclResults(report.violations)).toHaveLength(0);
      const onPage = quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#dataset').length;
      datasets += onPage;
      if (onPage < CATALOG_PAGE_SIZE) break;
    }
    const open = await ctx.db
      .selectFrom('catalog_datasets')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'published')
      .where('open_type', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(datasets).toBe(open.n);
    expect(datasets).toBeGreaterThan(50);
  }, 120_000);

  const byStatus = async () =>
    Object.fromEntries(
      (
        await ctx.db
          .selectFrom('catalog_datasets')
          .select(['status', sql<number>`count(*)::int`.as('n')])
          .groupBy('status')
          .execute()
      ).map((r) => [r.status, r.n]),
    );

  it('creates every resource, with the lifecycle mix of a real catalog', async () => {
    expect(summary!.catalog).toEqual({ resources: ROWS.length, created: ROWS.length, dataRequests: 8 });
    const counts = (await byStatus()) as Record<string, number>;
    const total = ROWS.length;
    expect(counts.published! / total).toBeGreaterThan(0.75);
    expect(counts.published! / total).toBeLessThan(0.85);
    expect(counts.submitted).toBeGreaterThanOrEqual(10);
    expect(counts.draft).toBeGreaterThanOrEqual(10);
    expect(counts.withdrawn).toBeGreaterThanOrEqual(5);
    const published = await ctx.db
      .selectFrom('catalog_datasets')
      .select(['open_type', 'share_type'])
      .where('status', '=', 'published')
      .execute();
    const share = (f: (r: (typeof published)[number]) => boolean) =>
      published.filter(f).length / published.length;
    expect(share((r) => r.open_type === 'open')).toBeGreaterThan(0.45);
    expect(share((r) => r.open_type === 'open')).toBeLessThan(0.56);
    expect(share((r) => r.share_type === 'none')).toBeGreaterThan(0.1);
    expect(share((r) => r.share_type === 'none')).toBeLessThan(0.2);
  });

  it('keeps the catalog rules in every stored resource', async () => {
    const rows = await ctx.db.selectFrom('catalog_datasets').selectAll().execute();
    for (const r of rows) {
      if (r.share_type === 'none') {
        expect(r.share_legal_basis, r.name).toBeTruthy();
        expect(r.open_type, r.name).toBe('none');
      }
      if (r.open_type === 'open') {
        expect(r.license_id, r.name).toBeTruthy();
        expect(r.share_type, r.name).toBe('unconditional');
      }
      if (r.share_type === 'conditional')
        expect(r.share_condition || r.share_legal_basis, r.name).toBeTruthy();
      if (r.open_type === 'conditional') expect(r.open_condition, r.name).toBeTruthy();
      if (r.status === 'withdrawn') expect(r.review_note, r.name).toBeTruthy();
    }
  });

  it('publishes the resources that search and browser tests look for', async () => {
    const licences = await getDataset(ctx, undefined, { name: 'enterprise-business-licences' });
    expect(licences).toMatchObject({
      titleZh: '企业营业执照信息',
      titleEn: 'Enterprise business licence information',
      status: 'published',
      openType: 'open',
    });
    const sharing = await getDataset(ctx, undefined, { name: 'data-sharing-exchange-statistics' });
    expect(sharing).toMatchObject({ titleZh: '政务数据共享交换统计', status: 'published', openType: 'open' });
    expect(sharing.titleEn).toBe('Government data sharing and exchange statistics');
    const air = await ctx.db
      .selectFrom('catalog_datasets')
      .select('name')
      .where('title_en', 'like', '%Air quality%')
      .where('status', '=', 'published')
      .where('open_type', '=', 'open')
      .execute();
    expect(air.length).toBeGreaterThanOrEqual(1);
    const found = await searchDatasets(ctx, undefined, { q: '营业执照' });
    expect(found.results.map((r) => r.name)).toContain('enterprise-business-licences');
  });

  it('has a history: spread publication dates, overdue resources and download counts', async () => {
    const span = await sql<{ days: number; overdue: number }>`
      select extract(epoch from max(published_at) - min(published_at)) / 86400 as days,
        count(*) filter (where status = 'published'
          and last_version_at + catalog_cycle_interval(update_cycle) < now())::int as overdue
      from catalog_datasets`.execute(ctx.db);
    expect(Number(span.rows[0]!.days)).toBeGreaterThan(365);
    expect(span.rows[0]!.overdue).toBeGreaterThanOrEqual(5);
    const overdue = await getDataset(ctx, undefined, { name: 'emergency-shelters' });
    expect(overdue.overdue).toBe(true);
    const fresh = await getDataset(ctx, undefined, { name: 'air-quality-realtime' });
    expect(fresh.overdue).toBe(false);
    // Every version is dated no later than the next one.
    const disorder = await sql<{ n: number }>`
      select count(*)::int as n from catalog_versions a join catalog_versions b
        on a.dataset_id = b.dataset_id and b.version = a.version + 1 where a.at > b.at`.execute(ctx.db);
    expect(disorder.rows[0]!.n).toBe(0);
    const overview = await portalOverview(ctx, undefined);
    expect(overview.mostUsed[0]!.downloadCount).toBeGreaterThan(1000);
    expect(overview.newest.length).toBeGreaterThan(0);
    const mismatch = await sql<{ n: number }>`
      select count(*)::int as n from catalog_datasets d
      where d.download_count <> (select coalesce(sum(x.download_count), 0) from catalog_distributions x where x.dataset_id = d.id)`.execute(
      ctx.db,
    );
    expect(mismatch.rows[0]!.n).toBe(0);
  });

  it('gives every published open resource a downloadable file with the right checksum', async () => {
    const open = ROWS.filter((r) => r.access === 'open' && statusOf(r) === 'published');
    for (const row of open) {
      const ds = await getDataset(ctx, undefined, { name: row.name });
      const file = ds.distributions.find((d) => d.kind === 'file');
      expect(file, row.name).toBeDefined();
      const download = await openDownload(ctx, undefined, file!.id);
      if (download.kind !== 'file') throw new Error('expected a file');
      const bytes = await readAll(download.stream);
      const records = sampleRecords(row);
      const expected = row.json ? toJson(records) : toCsv(records);
      expect(bytes.equals(expected), row.name).toBe(true);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(download.checksum);
      expect(download.filename).toBe(`${row.zh}.${row.json ? 'json' : 'csv'}`);
    }
  });

  it('files public data requests, some answered', async () => {
    const rows = await ctx.db.selectFrom('catalog_data_requests').select(['status']).execute();
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.status !== 'open').length).toBeGreaterThanOrEqual(4);
  });

  it('adds nothing when loaded again', async () => {
    const before = await byStatus();
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(ctx.db);
    const again = await loadDemoCatalog(ctx);
    expect(again).toEqual({ resources: ROWS.length, created: 0, dataRequests: 0 });
    expect(await byStatus()).toEqual(before);
    const after = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(ctx.db);
    expect(after.rows[0]!.n).toBe(audit.rows[0]!.n);
  });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
