import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { buildApp } from '../../src/server/app.ts';
import { harvestJobHandlers } from '../../src/server/modules/catalog/index.ts';
import { createDepartment, createStaff } from '../../src/server/modules/identity/index.ts';
import { systemActor } from '../../src/server/platform/auth/actor.ts';
import { Worker } from '../../src/server/platform/jobs/index.ts';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { collectPageErrors, launchChromium, newContext } from './support/browser.ts';
import { exact, openSection, pickOption, signIn, ZH } from './support/pages.ts';

// Harvesting from the console in a real browser against the real server: a platform admin registers
// a local CKAN-shaped portal as a source, runs it, watches the run end with two datasets created,
// and the portal's search finds one of them.
//
// The server is started here (not by startE2EServer) so the test has its own department and admin,
// and a job worker that runs the harvests, as the real server has.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stamp = Date.now().toString(36);
const DEPT_ZH = `端到端采集局${stamp}`;
const ADMIN = `e2e.harvest.${stamp}`;
const PASSWORD = 'Lanshan-Harvest-2026!';
const SOURCE_NAME = `city-${stamp}`;
const SOURCE_TITLE = `邻市开放数据门户${stamp}`;
const BUS_TITLE = `邻市公交线路${stamp}`;

/** Two datasets as CKAN's package_search answers them. */
const PACKAGES = [
  {
    id: `remote-bus-${stamp}`,
    name: `bus-routes-${stamp}`,
    title: BUS_TITLE,
    notes: '邻市全部公交线路的站点与首末班时间。',
    type: 'dataset',
    state: 'active',
    private: false,
    license_id: 'CC-BY-4.0',
    tags: [{ name: '公交' }, { name: '交通' }],
    organization: { name: 'transport', title: '邻市交通局' },
    resources: [{ name: '公交线路 CSV', url: 'https://files.example.org/bus.csv', format: 'csv' }],
  },
  {
    id: `remote-parks-${stamp}`,
    name: `parks-${stamp}`,
    title: `邻市公园名录${stamp}`,
    notes: '邻市城市公园的名称、地址和开放时间。',
    type: 'dataset',
    state: 'active',
    private: false,
    license_id: 'CC-BY-4.0',
    tags: [{ name: '公园' }],
    resources: [{ name: '公园名录 JSON', url: 'https://files.example.org/parks.json', format: 'json' }],
  },
];

let ctx: TestContext;
let app: FastifyInstance;
let worker: Worker;
let remote: http.Server;
let remoteUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  // The remote portal: package_search pages through the two datasets; anything else is a 404.
  remote = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://remote');
    if (url.pathname !== '/api/3/action/package_search') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"success":false}');
      return;
    }
    const start = Number(url.searchParams.get('start') ?? 0);
    const rows = Number(url.searchParams.get('rows') ?? 10);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        help: `${remoteUrl}/api/3/action/help_show?name=package_search`,
        success: true,
        result: { count: PACKAGES.length, results: PACKAGES.slice(start, start + rows) },
      }),
    );
  });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;

  await ensureWebBuild({ root: ROOT, log: (line) => console.log(`[e2e] ${line}`) });
  ctx = await createTestContext({ rateLimitPerMinute: 100_000 });
  const actor = systemActor('e2e');
  const dept = await createDepartment(ctx, actor, {
    code: `E2E-HV-${stamp.toUpperCase()}`,
    nameZh: DEPT_ZH,
    nameEn: `E2E Harvest Bureau ${stamp}`,
  });
  await createStaff(ctx, actor, {
    username: ADMIN,
    displayName: ADMIN,
    password: PASSWORD,
    departmentId: dept.id,
    roles: [],
    isPlatformAdmin: true,
  });
  app = await buildApp(ctx, { webDir: path.join(ROOT, 'dist/web'), logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  worker = new Worker(ctx, { ...harvestJobHandlers }, { pollMs: 100 }).start();
  context = await newContext(browser, `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  page = await context.newPage();
  pageErrors = collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop(5000);
  await app?.close();
  remote?.closeAllConnections();
  await new Promise((resolve) => (remote ? remote.close(resolve) : resolve(undefined)));
  await ctx?.dispose();
});

const sourceRow = (p: Page) => p.getByRole('row').filter({ hasText: SOURCE_TITLE });

describe('harvest sources (platform admin)', () => {
  it('finds harvest sources under the data group of the console', async () => {
    await signIn(page, ADMIN, PASSWORD);
    await openSection(page, ZH.nav.harvest, ZH.catalog.harvest.title);
    await page.getByText(ZH.catalog.harvest.empty).waitFor();
  });

  it('registers the remote portal as a CKAN source', async () => {
    await page.getByRole('button', { name: ZH.catalog.harvest.create }).click();
    const dialog = page.getByRole('dialog', { name: ZH.catalog.harvest.createTitle });
    await dialog.getByLabel(ZH.catalog.harvest.fields.name).fill(SOURCE_NAME);
    await dialog.getByLabel(ZH.catalog.harvest.fields.title).fill(SOURCE_TITLE);
    // Only http(s) addresses pass the form.
    await dialog.getByLabel(ZH.catalog.harvest.fields.url).fill('ftp://files.example.org/');
    await dialog.getByRole('button', { name: exact(ZH.common.save) }).click();
    await dialog.getByText(ZH.catalog.harvest.form.urlPattern).waitFor();
    await dialog.getByLabel(ZH.catalog.harvest.fields.url).fill(`${remoteUrl}/`);
    await dialog.getByRole('combobox', { name: ZH.fields.department }).click();
    await pickOption(page, DEPT_ZH);
    // The limits start at the server's defaults, the response size in MB.
    expect(await dialog.getByLabel(ZH.catalog.harvest.fields.maxResponseMb).inputValue()).toBe('20.00');
    await dialog.getByRole('button', { name: exact(ZH.common.save) }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = sourceRow(page);
    await row.getByText(ZH.catalog.harvest.never).waitFor();
    await row.getByText(`${remoteUrl}/`).waitFor();
    await row.getByText(ZH.catalog.harvest.enums.schedule.manual).waitFor();
  });

  it('puts a server error on the field it concerns: the name is taken', async () => {
    await page.getByRole('button', { name: ZH.catalog.harvest.create }).click();
    const dialog = page.getByRole('dialog', { name: ZH.catalog.harvest.createTitle });
    await dialog.getByLabel(ZH.catalog.harvest.fields.name).fill(SOURCE_NAME);
    await dialog.getByLabel(ZH.catalog.harvest.fields.title).fill('重复的采集源');
    await dialog.getByLabel(ZH.catalog.harvest.fields.url).fill(`${remoteUrl}/other`);
    await dialog.getByRole('combobox', { name: ZH.fields.department }).click();
    await pickOption(page, DEPT_ZH);
    await dialog.getByRole('button', { name: exact(ZH.common.save) }).click();
    await dialog.getByText(ZH.errors.catalog.harvest_source_name_taken).waitFor();
    await dialog.getByRole('button', { name: exact(ZH.common.cancel) }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('runs it now and shows the run until it has created both datasets', async () => {
    const row = sourceRow(page);
    await row
      .getByRole('button', { name: ZH.catalog.harvest.runNowFor.replace('{{title}}', SOURCE_TITLE) })
      .click();
    await page.getByText(ZH.catalog.harvest.runQueued).waitFor();
    // Polled every 2 s while queued or running; the finished run shows its counts.
    await row
      .getByText(ZH.catalog.harvest.enums.runStatus.succeeded, { exact: true })
      .waitFor({ timeout: 30_000 });
    await row.getByText(`${ZH.catalog.harvest.counts.created} 2`, { exact: false }).waitFor();
  });

  it('opens the source with its runs and the run log', async () => {
    await sourceRow(page).getByRole('link', { name: SOURCE_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: SOURCE_TITLE }).waitFor();
    const main = page.getByRole('main');
    await main.getByRole('heading', { name: ZH.catalog.harvest.runs }).waitFor();
    await main
      .getByRole('button', { name: new RegExp(ZH.catalog.harvest.viewLogFor.split('{{time}}')[0] ?? '') })
      .first()
      .waitFor();
    // The log: counts, timings and an empty errors table.
    await main.getByText(ZH.catalog.harvest.timing.total).waitFor();
    await main.getByText(ZH.catalog.harvest.noErrors).waitFor();
    const datasets = main.getByRole('row').filter({ hasText: ZH.catalog.harvest.datasets });
    await datasets.getByText('2', { exact: true }).waitFor();
  });

  it('the public portal finds a harvested dataset', async () => {
    const visitor = await newContext(browser, new URL(page.url()).origin);
    const p = await visitor.newPage();
    await p.goto(`/data/search?q=${encodeURIComponent('公交线路')}`);
    const link = p
      .getByRole('main')
      .getByRole('heading', { level: 3 })
      .getByRole('link', { name: BUS_TITLE });
    await link.click();
    await p.getByRole('heading', { level: 1, name: BUS_TITLE }).waitFor();
    await p.getByText('邻市全部公交线路的站点与首末班时间。').waitFor();
    await visitor.close();
  });

  it('deactivates and reactivates the source', async () => {
    await page.getByRole('button', { name: exact(ZH.catalog.harvest.deactivate) }).click();
    const confirm = page
      .getByRole('dialog')
      .filter({ hasText: ZH.catalog.harvest.deactivateConfirm.replace('{{title}}', SOURCE_TITLE) });
    await confirm.getByRole('button', { name: exact(ZH.catalog.harvest.deactivate) }).click();
    await page.getByText(ZH.catalog.harvest.inactiveNote).waitFor();
    expect(await page.getByRole('button', { name: exact(ZH.catalog.harvest.runNow) }).isDisabled()).toBe(
      true,
    );
    await page.getByRole('button', { name: exact(ZH.catalog.harvest.reactivate) }).click();
    await page.getByText(ZH.catalog.harvest.inactiveNote).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: exact(ZH.catalog.harvest.runNow) }).isEnabled()).toBe(true);
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
