import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { buildApp } from '../../src/server/app.ts';
import {
  addFileDistribution,
  createDataset,
  reviewDataset,
  submitDataset,
} from '../../src/server/modules/catalog/index.ts';
import { createDepartment, createStaff } from '../../src/server/modules/identity/index.ts';
import { systemActor } from '../../src/server/platform/auth/actor.ts';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { collectPageErrors, launchChromium, newContext } from './support/browser.ts';
import { exact, pickOption, signIn, ZH } from './support/pages.ts';

// The open-data portal and the catalog console in a real browser against the real server:
// search in Chinese → facet → dataset page → download; a steward registers a resource with a file
// and submits it, the department admin publishes it, and the portal finds it.
//
// The server is started here (not by startE2EServer) so the test can seed its own department,
// accounts and a published resource through the services, whatever the demo city holds.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stamp = Date.now().toString(36);
const DEPT_CODE = `E2E-CAT-${stamp.toUpperCase()}`;
const DEPT_ZH = `端到端数据局${stamp}`;
const STEWARD = `e2e.steward.${stamp}`;
const ADMIN = `e2e.admin.${stamp}`;
const PASSWORD = 'Lanshan-Catalog-2026!';
const SEEDED_TITLE = `企业营业执照信息（测试${stamp}）`;
const CSV = '统一社会信用代码,企业名称,登记日期\n91339900MA2AAAAA1X,岚山清河餐饮有限公司,2024-03-01\n';
const NEW_NAME = `e2e-road-works-${stamp}`;
const NEW_TITLE = `道路施工占道信息${stamp}`;

let ctx: TestContext;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let visitor: BrowserContext;
let page: Page;
let pageErrors: string[];
let newDatasetUrl = '';
let trackingCode = '';

beforeAll(async () => {
  browser = await launchChromium();
  await ensureWebBuild({ root: ROOT, log: (line) => console.log(`[e2e] ${line}`) });
  ctx = await createTestContext({ rateLimitPerMinute: 100_000 });
  const actor = systemActor('e2e');
  const dept = await createDepartment(ctx, actor, {
    code: DEPT_CODE,
    nameZh: DEPT_ZH,
    nameEn: `E2E Data Bureau ${stamp}`,
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
    name: `e2e-business-licences-${stamp}`,
    titleZh: SEEDED_TITLE,
    titleEn: `Business licences (test ${stamp})`,
    descriptionZh: '本市登记的企业营业执照信息，含统一社会信用代码、企业名称和登记日期。',
    keywords: ['营业执照', '企业'],
    shareType: 'unconditional',
    openType: 'open',
    licenseId: 'cc-by',
    updateCycle: 'monthly',
    dataItems: [
      { name: '统一社会信用代码', type: 'string' },
      { name: '企业名称', type: 'string' },
      { name: '登记日期', type: 'date' },
    ],
  });
  await addFileDistribution(ctx, actor, ds.id, {
    filename: 'business-licences.csv',
    content: Buffer.from(CSV, 'utf8'),
    name: '营业执照名录',
  });
  await submitDataset(ctx, actor, ds.id);
  await reviewDataset(ctx, actor, ds.id, { decision: 'publish' });

  app = await buildApp(ctx, { webDir: path.join(ROOT, 'dist/web'), logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  visitor = await newContext(browser, baseUrl);
  page = await visitor.newPage();
  pageErrors = collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.dispose();
});

/** Picks an option of an antd button-style radio group (its inputs are hidden behind the labels). */
const choose = (p: Page, group: string, option: string) =>
  p.getByRole('radiogroup', { name: group }).getByText(option, { exact: true }).click();

const resultLink = (p: Page, title: string) =>
  p.getByRole('main').getByRole('heading', { level: 3 }).getByRole('link', { name: title });

describe('open-data portal (visitor)', () => {
  it('searches in Chinese from the portal home and marks the matches', async () => {
    await page.goto('/data');
    await page.getByRole('heading', { level: 1, name: ZH.catalog.portal.title }).waitFor();
    const box = page.getByRole('searchbox', { name: ZH.catalog.portal.searchLabel });
    await box.fill('营业执照');
    await box.press('Enter');
    await page.waitForURL(/\/data\/search\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('营业执照');
    const link = resultLink(page, SEEDED_TITLE);
    await link.waitFor();
    // The matched word is marked, as text (never injected HTML).
    expect(await link.locator('mark').first().textContent()).toBe('营业执照');
  });

  it('filters by a department facet, kept in the address and removable', async () => {
    const facets = page.getByRole('navigation', { name: ZH.catalog.search.facets });
    await facets.getByRole('link', { name: new RegExp(DEPT_ZH) }).click();
    await page.waitForURL((url) => url.searchParams.get('department') === DEPT_CODE);
    const chip = page.getByRole('button', {
      name: new RegExp(`${ZH.catalog.enums.facet.department}: ${DEPT_ZH}`),
    });
    await chip.waitFor();
    await page.getByRole('status').filter({ hasText: '共找到 1 个数据集' }).waitFor();
    // Back and reload keep the same search.
    await page.reload();
    await resultLink(page, SEEDED_TITLE).waitFor();
    await chip.waitFor();
  });

  it('opens the dataset with its metadata, API examples and DCAT links', async () => {
    await resultLink(page, SEEDED_TITLE).click();
    await page.getByRole('heading', { level: 1, name: SEEDED_TITLE }).waitFor();
    expect(await page.title()).toBe(`${SEEDED_TITLE} · Civitas`);
    const main = page.getByRole('main');
    await main.getByText(ZH.catalog.enums.openType.open).first().waitFor();
    await main.getByText(ZH.catalog.enums.updateCycle.monthly).waitFor();
    await main.getByRole('cell', { name: '统一社会信用代码' }).waitFor();
    await main.getByText(/package_show\?id=e2e-business-licences-/).waitFor();
    expect(await main.getByRole('link', { name: 'Turtle', exact: true }).getAttribute('href')).toMatch(
      /^\/dataset\/e2e-business-licences-.*\.ttl$/,
    );
  });

  it('downloads the file, and the download is counted', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `${ZH.catalog.files.download} 营业执照名录` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('营业执照名录.csv');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(CSV);
    const ds = await (await fetch(`${baseUrl}/api/catalog/datasets/e2e-business-licences-${stamp}`)).json();
    expect(ds.downloadCount).toBe(1);
  });

  it('files a request for the data and follows it with the tracking code', async () => {
    await page.getByRole('button', { name: ZH.catalog.request.forDataset }).click();
    const dialog = page.getByRole('dialog', { name: ZH.catalog.request.forDataset });
    await dialog
      .getByLabel(ZH.catalog.request.description)
      .fill('希望按月提供新增企业名单，用于创业服务统计。');
    await dialog.getByLabel(ZH.catalog.request.requesterName).fill('张三');
    await dialog.getByLabel(ZH.fields.email).fill('zhang.san@example.org');
    await dialog.getByRole('button', { name: exact(ZH.catalog.request.submit) }).click();
    await dialog.getByText(ZH.catalog.request.done).waitFor();
    const code = (await dialog.locator('code').first().textContent())?.trim() ?? '';
    expect(code.length).toBeGreaterThanOrEqual(4);
    trackingCode = code;
    await dialog.getByRole('link', { name: ZH.catalog.request.trackLink }).click();
    await page.getByRole('heading', { level: 1, name: ZH.catalog.track.title }).waitFor();
    await page.getByText(ZH.catalog.enums.requestStatus.open).waitFor();
    await page.getByText(ZH.catalog.track.noAnswer).waitFor();
  });
});

describe('catalog console: steward registers, admin publishes', () => {
  let steward: BrowserContext;
  let stewardPage: Page;
  let stewardErrors: string[] = [];

  beforeAll(async () => {
    steward = await newContext(browser, baseUrl);
    stewardPage = await steward.newPage();
    stewardErrors = collectPageErrors(stewardPage);
    await signIn(stewardPage, STEWARD, PASSWORD);
  });

  it('registers a resource, with the catalog rules checked in the form', async () => {
    const p = stewardPage;
    await p.getByRole('navigation').getByRole('menuitem', { name: ZH.nav.catalog }).click();
    await p.getByRole('heading', { level: 1, name: ZH.catalog.console.title }).waitFor();
    await p.getByRole('link', { name: ZH.catalog.console.create }).click();
    await p.getByRole('heading', { level: 1, name: ZH.catalog.console.newTitle }).waitFor();

    await p.getByLabel(ZH.catalog.fields.name).fill(NEW_NAME);
    await p.getByLabel(ZH.catalog.fields.titleZh).fill(NEW_TITLE);
    await p.getByLabel(ZH.catalog.fields.titleEn).fill(`Road works ${stamp}`);
    await p.getByLabel(ZH.catalog.fields.descriptionZh).fill('全市道路施工占道的位置、时间和审批单位。');
    // Open: the licence field appears, and saving without one is refused in the form.
    await choose(p, ZH.catalog.fields.openType, ZH.catalog.enums.openType.open);
    await p.getByRole('button', { name: exact(ZH.catalog.console.createSubmit) }).click();
    await p.getByText(ZH.catalog.rules.licenseRequired, { exact: true }).waitFor();
    const licence = p.getByRole('combobox', { name: ZH.catalog.fields.licenseId });
    await licence.click();
    await pickOption(p, '公共数据开放授权协议');
    // Not shared: the legal basis appears and opening is no longer possible.
    await choose(p, ZH.catalog.fields.shareType, ZH.catalog.enums.shareType.none);
    await p.getByLabel(ZH.catalog.fields.shareLegalBasis).waitFor();
    expect(await p.getByRole('radio', { name: ZH.catalog.enums.openType.open }).isDisabled()).toBe(true);
    await choose(p, ZH.catalog.fields.shareType, ZH.catalog.enums.shareType.unconditional);
    await choose(p, ZH.catalog.fields.openType, ZH.catalog.enums.openType.open);
    await p.getByRole('combobox', { name: ZH.catalog.fields.licenseId }).click();
    await pickOption(p, '公共数据开放授权协议');

    await p.getByRole('button', { name: ZH.catalog.form.addItem }).click();
    await p.getByLabel(ZH.catalog.form.itemName).first().fill('路段');
    await p.getByRole('button', { name: exact(ZH.catalog.console.createSubmit) }).click();
    await p.waitForURL(/\/console\/catalog\/[0-9a-f-]{36}\?tab=distributions/);
    newDatasetUrl = new URL(p.url()).pathname;
    await p.getByRole('heading', { level: 1, name: NEW_TITLE }).waitFor();
    await p.getByText(ZH.catalog.enums.status.draft, { exact: true }).first().waitFor();
  });

  it('uploads a file and submits the resource for review', async () => {
    const p = stewardPage;
    await p.getByLabel(ZH.catalog.files.file, { exact: true }).setInputFiles({
      name: 'road-works.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('路段,开始日期\n岚山大道,2026-11-01\n', 'utf8'),
    });
    await p.getByRole('button', { name: exact(ZH.catalog.files.uploadButton) }).click();
    await p.getByRole('link', { name: `${ZH.catalog.files.download} road-works.csv` }).waitFor();
    await p.getByRole('button', { name: exact(ZH.catalog.lifecycle.submit) }).click();
    await p.getByText(ZH.catalog.enums.status.submitted, { exact: true }).first().waitFor();
    // A steward does not publish.
    expect(await p.getByRole('button', { name: exact(ZH.catalog.lifecycle.publish) }).count()).toBe(0);
  });

  it('the department admin publishes it from the console', async () => {
    const admin = await newContext(browser, baseUrl);
    const p = await admin.newPage();
    await signIn(p, ADMIN, PASSWORD);
    await p.goto(newDatasetUrl);
    await p.getByRole('heading', { level: 1, name: NEW_TITLE }).waitFor();
    await p.getByRole('button', { name: exact(ZH.catalog.lifecycle.publish) }).click();
    const dialog = p.getByRole('dialog', { name: ZH.catalog.lifecycle.publishTitle });
    await dialog.getByLabel(ZH.catalog.lifecycle.note).fill('元数据完整，同意发布。');
    await dialog.getByRole('button', { name: exact(ZH.catalog.lifecycle.publish) }).click();
    await dialog.waitFor({ state: 'hidden' });
    await p.getByText(ZH.catalog.enums.status.published, { exact: true }).first().waitFor();
    // The history shows the steps with readable diffs.
    await p.getByRole('tab', { name: ZH.catalog.history.title }).click();
    await p.getByText(ZH.catalog.enums.change.published).first().waitFor();

    // The request filed by the visitor waits in the department's inbox; the admin answers it.
    await p.getByRole('navigation').getByRole('menuitem', { name: ZH.nav.dataRequests }).click();
    await p.getByRole('heading', { level: 1, name: ZH.catalog.inbox.title }).waitFor();
    await p
      .getByRole('button', { name: ZH.catalog.inbox.answerFor.replace('{{code}}', trackingCode) })
      .click();
    const answer = p.getByRole('dialog', {
      name: ZH.catalog.inbox.answerTitle.replace('{{code}}', trackingCode),
    });
    await answer
      .getByRole('textbox', { name: ZH.catalog.track.answer })
      .fill('已按月更新，请在数据集页面下载。');
    await answer.getByRole('button', { name: exact(ZH.catalog.inbox.send) }).click();
    await answer.waitFor({ state: 'hidden' });
    await admin.close();
  });

  it('the requester sees the answer with the tracking code', async () => {
    await page.goto(`/data/requests/${trackingCode}`);
    await page.getByText('已按月更新，请在数据集页面下载。').waitFor();
    await page.getByText(ZH.catalog.enums.requestStatus.answered).waitFor();
  });

  it('the portal search now finds the new resource', async () => {
    await page.goto(`/data/search?q=${encodeURIComponent('道路施工')}`);
    await resultLink(page, NEW_TITLE).click();
    await page.getByRole('heading', { level: 1, name: NEW_TITLE }).waitFor();
    await page.getByRole('link', { name: `${ZH.catalog.files.download} road-works.csv` }).waitFor();
  });

  it('raised no uncaught errors in the pages', async () => {
    expect([...pageErrors, ...stewardErrors]).toEqual([]);
    await steward.close();
  });
});
