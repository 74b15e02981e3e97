import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDataset } from '../../src/server/modules/catalog/index.ts';
import { datastoreJobHandlers } from '../../src/server/modules/datastore/index.ts';
import { createDepartment, createStaff } from '../../src/server/modules/identity/index.ts';
import { systemActor } from '../../src/server/platform/auth/actor.ts';
import { Worker } from '../../src/server/platform/jobs/index.ts';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import {
  collectPageErrors,
  describeViolations,
  launchChromium,
  newContext,
  runAxe,
} from './support/browser.ts';
import { exact, signIn, ZH } from './support/pages.ts';

// The DataStore in a real browser against the real server: a steward uploads an XLSX file to a
// resource, watches its load go from queued to done, reads the report, cancels a second load,
// corrects a column's type through the cast-failure dialog; the department admin publishes; a
// visitor previews, sorts, filters and charts the table on the portal.
//
// The job worker is started by the test, not with the server: the first load is seen queued (live
// progress and a Cancel button) before the worker exists, and a second one is cancelled while queued.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stamp = Date.now().toString(36);
const STEWARD = `e2e.ds.steward.${stamp}`;
const ADMIN = `e2e.ds.admin.${stamp}`;
const PASSWORD = 'Lanshan-Datastore-2026!';
const NAME = `e2e-population-${stamp}`;
const TITLE = `各区县人口（测试${stamp}）`;
const FILE = 'population.xlsx';
const DS = ZH.datastore;

// 人口数 mixes integers with one value that is not ("不详", sheet row 4 under the header in row 1): it loads as text.
const ROWS: (string | number)[][] = [
  ['东城区', 1200, 120.15, 30.28],
  ['西城区', 980, 120.12, 30.27],
  ['南湖区', '不详', 120.2, 30.25],
  ['北山区', 1500, 120.1, 30.31],
  ['中山区', 760, 120.17, 30.24],
];

async function xlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('人口');
  sheet.addRow(['区县', '人口数', '经度', '纬度']);
  for (const row of ROWS) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

let ctx: TestContext;
let app: FastifyInstance;
let worker: Worker;
let baseUrl: string;
let browser: Browser;
let datasetId: string;
let steward: BrowserContext;
let page: Page;
let distributionId = '';
const pageErrors: string[][] = [];

beforeAll(async () => {
  browser = await launchChromium();
  await ensureWebBuild({ root: ROOT, log: (line) => console.log(`[e2e] ${line}`) });
  ctx = await createTestContext({ rateLimitPerMinute: 100_000 });
  const actor = systemActor('e2e');
  const dept = await createDepartment(ctx, actor, {
    code: `E2E-DS-${stamp.toUpperCase()}`,
    nameZh: `端到端统计局${stamp}`,
    nameEn: `E2E Statistics ${stamp}`,
  });
  for (const [username, role] of [
    [STEWARD, 'data_steward'],
    [ADMIN, 'dept_admin'],
  ] as const) {
    await createStaff(ctx, actor, {
      username,
      displayName: username,
      password: PASSWORD,
      departmentId: dept.id,
      roles: [role],
    });
  }
  const ds = await createDataset(ctx, actor, {
    departmentId: dept.id,
    name: NAME,
    titleZh: TITLE,
    titleEn: `Population by district (test ${stamp})`,
    descriptionZh: '各区县常住人口及区县政府所在地坐标。',
    keywords: ['人口'],
    shareType: 'unconditional',
    openType: 'open',
    licenseId: 'cc-by',
    updateCycle: 'yearly',
    dataItems: [{ name: '区县', type: 'string' }],
  });
  datasetId = ds.id;
  app = await buildApp(ctx, { webDir: path.join(ROOT, 'dist/web'), logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  worker = new Worker(ctx, { ...datastoreJobHandlers }, { pollMs: 200 });
  steward = await newContext(browser, baseUrl);
  page = await steward.newPage();
  pageErrors.push(collectPageErrors(page));
  await signIn(page, STEWARD, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop(5000);
  await app?.close();
  await ctx?.dispose();
});

/** Fails on serious or critical axe findings of the page as it is now. */
async function expectAccessible(p: Page, name: string) {
  const blocking = (await runAxe(p)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(describeViolations(name, blocking)).toBe('');
}

/** Picks an option of the open antd Select by its exact label. */
const pick = (p: Page, label: string) =>
  p.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();

const card = (p: Page, heading: string): Locator =>
  p.locator('.ant-card').filter({ has: p.getByRole('heading', { level: 2, name: heading }) });

describe('console: the steward loads a file and corrects the dictionary', () => {
  it('uploads an XLSX file and sees its load queued, with live progress and a Cancel button', async () => {
    await page.goto(`/console/catalog/${datasetId}?tab=distributions`);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByLabel(ZH.catalog.files.file, { exact: true }).setInputFiles({
      name: FILE,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await xlsx(),
    });
    await page.getByRole('button', { name: exact(ZH.catalog.files.uploadButton) }).click();
    const manage = page.getByRole('link', { name: DS.panel.openName.replace('{{name}}', FILE) });
    await manage.click();
    await page.getByRole('heading', { level: 1, name: DS.console.title.replace('{{name}}', FILE) }).waitFor();
    distributionId = new URL(page.url()).pathname.split('/data/')[1] ?? '';
    expect(distributionId).toMatch(/^[0-9a-f-]{36}$/);
    const last = card(page, DS.load.title);
    await last.getByRole('progressbar', { name: DS.load.progress }).waitFor();
    await last.getByText(DS.enums.status.queued, { exact: true }).waitFor();
    await last.getByRole('button', { name: DS.load.cancel }).waitFor();
    await expectAccessible(page, 'data table (queued)');
  });

  it('follows the load to its end without reloading the page, and shows the report', async () => {
    worker.start();
    const last = card(page, DS.load.title);
    await last
      .getByRole('status')
      .getByText(DS.load.succeeded.replace('{{rows}}', '5').replace('{{version}}', '1'))
      .waitFor();
    expect(await last.getByRole('progressbar').count()).toBe(0);
    await last.getByRole('button', { name: DS.report.show }).click();
    const report = last.getByRole('table', { name: DS.report.columnsCaption });
    const row = report.getByRole('row').filter({ hasText: '人口数' });
    await row.getByText(DS.enums.type.text, { exact: true }).waitFor();
    await row.getByText(DS.enums.reason.mixed).waitFor();
    await row.getByText(DS.report.example.replace('{{row}}', '4').replace('{{value}}', '不详')).waitFor();
    await last.getByText('人口', { exact: true }).first().waitFor();
    // The summary and the versions list follow the finished load.
    const versions = page.getByRole('table', { name: DS.versions.caption });
    await versions
      .getByRole('link', {
        name: DS.common.downloadVersionAs.replace('{{version}}', '1').replace('{{format}}', 'XLSX'),
      })
      .waitFor();
    await expectAccessible(page, 'data table (loaded, report open)');
  });

  it('cancels a second load while it waits in the queue', async () => {
    await worker.stop(5000);
    const form = card(page, DS.upload.title);
    await form.getByLabel(DS.upload.file).setInputFiles({
      name: 'more.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await xlsx(),
    });
    await form.getByRole('combobox', { name: DS.upload.mode }).click();
    await pick(page, DS.enums.mode.append);
    await form.getByRole('button', { name: exact(DS.upload.submit) }).click();
    const last = card(page, DS.load.title);
    await last.getByText('more.xlsx').waitFor();
    await last.getByRole('button', { name: DS.load.cancel }).click();
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: DS.load.cancel }).click();
    await last.getByRole('status').getByText(DS.enums.status.cancelled).waitFor();
    worker.start();
  });

  it('changes 人口数 to integer: the failing value is listed, and set to empty on request', async () => {
    const dictionary = card(page, DS.dictionary.title);
    const type = dictionary.getByRole('combobox', {
      name: DS.dictionary.fieldFor.replace('{{field}}', DS.dictionary.type).replace('{{column}}', '人口数'),
    });
    await type.click();
    await pick(page, DS.enums.type.integer);
    await dictionary
      .getByRole('textbox', {
        name: DS.dictionary.fieldFor.replace('{{field}}', DS.dictionary.unit).replace('{{column}}', '人口数'),
      })
      .fill('人');
    await dictionary.getByRole('button', { name: exact(DS.dictionary.save) }).click();
    const dialog = page.getByRole('dialog', {
      name: DS.cast.title.replace('{{count}}', '1').replace('{{type}}', DS.enums.type.integer),
    });
    await dialog.getByRole('cell', { name: '不详' }).waitFor();
    await dialog.getByRole('cell', { name: '3', exact: true }).waitFor();
    await expectAccessible(page, 'cast failure dialog');
    await dialog.getByRole('button', { name: DS.cast.setNull }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(DS.dictionary.saved).waitFor();
    // Saved: the draft marker is gone and the column reads integer, here and from the API.
    const row = dictionary.getByRole('row').filter({ hasText: '人口数' });
    await expect.poll(() => row.getByText(DS.dictionary.edited).count()).toBe(0);
    expect(await row.textContent()).toContain(DS.enums.type.integer);
    const info = await page.evaluate(
      async (id) => (await fetch(`/api/datastore/${id}`)).json(),
      distributionId,
    );
    const column = info.columns.find((c: { id: string }) => c.id === '人口数');
    expect(column).toMatchObject({ type: 'integer', unit: '人' });
  });

  it('submits the resource; the department admin publishes it', async () => {
    await page.goto(`/console/catalog/${datasetId}`);
    await page.getByRole('button', { name: exact(ZH.catalog.lifecycle.submit) }).click();
    await page.getByText(ZH.catalog.enums.status.submitted, { exact: true }).first().waitFor();
    const admin = await newContext(browser, baseUrl);
    const p = await admin.newPage();
    await signIn(p, ADMIN, PASSWORD);
    await p.goto(`/console/catalog/${datasetId}`);
    await p.getByRole('button', { name: exact(ZH.catalog.lifecycle.publish) }).click();
    const dialog = p.getByRole('dialog', { name: ZH.catalog.lifecycle.publishTitle });
    await dialog.getByLabel(ZH.catalog.lifecycle.note).fill('数据完整，同意发布。');
    await dialog.getByRole('button', { name: exact(ZH.catalog.lifecycle.publish) }).click();
    await dialog.waitFor({ state: 'hidden' });
    await p.getByText(ZH.catalog.enums.status.published, { exact: true }).first().waitFor();
    await admin.close();
  });
});

describe('portal: anyone previews, sorts, filters and charts the table', () => {
  let visitor: BrowserContext;
  let p: Page;

  beforeAll(async () => {
    visitor = await newContext(browser, baseUrl);
    p = await visitor.newPage();
    pageErrors.push(collectPageErrors(p));
    await p.goto(`/data/dataset/${NAME}`);
    await p.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  });

  afterAll(async () => {
    await visitor?.close();
  });

  const preview = () => p.getByRole('region', { name: DS.portal.tableOf.replace('{{name}}', FILE) });
  const firstRow = () => preview().locator('.ant-table-tbody tr.ant-table-row').first();

  it('shows the rows in a paged table with a caption', async () => {
    await p.getByRole('heading', { level: 2, name: DS.portal.title }).waitFor();
    const table = preview().getByRole('table', { name: /population\.xlsx/ });
    await table.getByRole('cell', { name: '东城区' }).waitFor();
    expect(await preview().locator('.ant-table-tbody tr.ant-table-row').count()).toBe(5);
    // The value set to empty by the type change reads as empty.
    await table.getByText(DS.portal.nullValue).waitFor();
    await expectAccessible(p, 'portal preview');
  });

  it('sorts by a column when its header is clicked', async () => {
    await preview().getByRole('columnheader', { name: '人口数' }).click();
    await expect.poll(async () => firstRow().textContent()).toContain('中山区');
    await preview().getByRole('columnheader', { name: '人口数' }).click();
    // Descending, as CKAN and PostgreSQL order it: the emptied value first, then the largest.
    await expect.poll(async () => firstRow().textContent()).toContain('南湖区');
    const secondRow = preview().locator('.ant-table-tbody tr.ant-table-row').nth(1);
    await expect.poll(async () => secondRow.textContent()).toContain('北山区');
  });

  it('searches and filters on the server', async () => {
    const search = preview().getByRole('searchbox', { name: DS.portal.search });
    await search.fill('北山');
    await search.press('Enter');
    await expect.poll(async () => preview().locator('.ant-table-tbody tr.ant-table-row').count()).toBe(1);
    await search.fill('');
    await search.press('Enter');
    await preview().getByRole('combobox', { name: DS.portal.filterColumn }).click();
    await pick(p, '区县');
    await preview().getByRole('textbox', { name: DS.portal.filterValue }).fill('西城区');
    await preview().getByRole('button', { name: DS.portal.filterApply }).click();
    await expect.poll(async () => preview().locator('.ant-table-tbody tr.ant-table-row').count()).toBe(1);
    await expect.poll(async () => firstRow().textContent()).toContain('980');
  });

  it('downloads the rows the preview shows — filtered, searched and ordered — or the whole table', async () => {
    const rowsLink = (format: string) =>
      preview().getByRole('link', {
        name: `${DS.common.downloadRowsAs.replace('{{format}}', format)} · ${FILE}`,
        exact: true,
      });
    const wholeLink = (format: string) =>
      preview().getByRole('link', {
        name: `${DS.common.downloadAs.replace('{{format}}', format)} · ${FILE}`,
        exact: true,
      });
    /** Clicks the link and reads the downloaded CSV: its lines, without the BOM. */
    const download = async (link: Locator) => {
      const [file] = await Promise.all([p.waitForEvent('download'), link.click()]);
      const text = await fs.readFile(await file.path(), 'utf8');
      return text
        .replace(/^\ufeff/, '')
        .split('\r\n')
        .filter(Boolean);
    };
    const HEADER = '区县,人口数,经度,纬度';
    // Left by the test before: 区县 = 西城区, ordered by 人口数 descending.
    expect(await download(rowsLink('CSV'))).toEqual([HEADER, '西城区,980,120.12,30.27']);
    // A search matching two districts, ordered by 人口数 ascending — not their order in the file.
    await preview().getByRole('button', { name: DS.portal.filterClear }).click();
    const search = preview().getByRole('searchbox', { name: DS.portal.search });
    await search.fill('山');
    await search.press('Enter');
    const header = preview().getByRole('columnheader', { name: '人口数' });
    await header.click(); // descending → unsorted
    await expect.poll(async () => preview().locator('.ant-table-tbody tr.ant-table-row').count()).toBe(2);
    await header.click(); // ascending
    await expect.poll(async () => firstRow().textContent()).toContain('中山区');
    expect(await download(rowsLink('CSV'))).toEqual([
      HEADER,
      '中山区,760,120.17,30.24',
      '北山区,1500,120.1,30.31',
    ]);
    // The whole-table row still gives every row, in the file's order.
    expect(await download(wholeLink('CSV'))).toEqual([
      HEADER,
      '东城区,1200,120.15,30.28',
      '西城区,980,120.12,30.27',
      '南湖区,,120.2,30.25',
      '北山区,1500,120.1,30.31',
      '中山区,760,120.17,30.24',
    ]);
    // Back to the whole table: only the whole-table downloads are offered.
    await search.fill('');
    await search.press('Enter');
    await header.click(); // ascending → descending
    await header.click(); // descending → unsorted
    await expect.poll(async () => preview().locator('.ant-table-tbody tr.ant-table-row').count()).toBe(5);
    await expect.poll(() => rowsLink('CSV').count()).toBe(0);
    await wholeLink('CSV').waitFor();
    await expectAccessible(p, 'portal preview with row downloads');
  });

  it('draws a quick chart, also as points on a map from the coordinates', async () => {
    await preview().getByRole('tab', { name: DS.portal.tabChart }).click();
    const chart = preview().getByRole('img', { name: new RegExp(DS.enums.chart.bar) });
    await chart.locator('svg').first().waitFor();
    // One bar per district (and the axes): the chart has drawn its data.
    await expect.poll(() => chart.locator('svg path').count()).toBeGreaterThan(5);
    await preview().getByRole('combobox', { name: DS.chart.kind }).click();
    await pick(p, DS.enums.chart.map);
    await preview()
      .getByRole('img', { name: new RegExp(DS.enums.chart.map) })
      .locator('svg')
      .first()
      .waitFor();
    await expectAccessible(p, 'portal chart');
  });

  it('shows API examples with the real resource id and offers downloads', async () => {
    const id = distributionId;
    await preview().getByRole('tab', { name: DS.portal.tabApi }).click();
    await preview().getByText(`datastore_search?resource_id=${id}`, { exact: false }).first().waitFor();
    await preview().getByRole('tab', { name: DS.portal.tabDownload }).click();
    const csv = preview().getByRole('link', { name: new RegExp(`CSV · ${FILE.replace('.', '\\.')}`) });
    expect(await csv.getAttribute('href')).toBe(`/datastore/dump/${id}?format=csv`);
  });

  it('at 390×844 the preview and its chart fit the screen', async () => {
    const phone = await newContext(browser, baseUrl, { viewport: { width: 390, height: 844 } });
    const small = await phone.newPage();
    pageErrors.push(collectPageErrors(small));
    await small.goto(`/data/dataset/${NAME}`);
    const region = small.getByRole('region', { name: DS.portal.tableOf.replace('{{name}}', FILE) });
    await region.getByRole('cell', { name: '东城区' }).waitFor();
    const overflow = () => small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await region.getByRole('tab', { name: DS.portal.tabChart }).click();
    await region
      .getByRole('img', { name: new RegExp(DS.enums.chart.bar) })
      .locator('svg')
      .first()
      .waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.close();
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors.flat()).toEqual([]);
  });
});
