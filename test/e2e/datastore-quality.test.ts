import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import type { DatastoreQuality } from '../../src/contracts/datastore-quality.ts';
import { buildApp } from '../../src/server/app.ts';
import {
  addFileDistribution,
  createDataset,
  reviewDataset,
  submitDataset,
} from '../../src/server/modules/catalog/index.ts';
import { drainLoads } from '../../src/server/modules/datastore/datastore.test-helpers.ts';
import { createDepartment, createStaff } from '../../src/server/modules/identity/index.ts';
import { systemActor } from '../../src/server/platform/auth/actor.ts';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import {
  collectPageErrors,
  describeViolations,
  launchChromium,
  newContext,
  runAxe,
} from './support/browser.ts';
import { exact, signIn, ZH } from './support/pages.ts';

// DataStore quality in a real browser against the real server: a published resource's file is
// loaded (by the test, through the load job), then its steward reads the score and its criteria on
// the data table page, adds an enum rule one value breaks and a range rule (first refused by the
// server, its error shown by the rule), saves, and reads the violations with their rows; a visitor
// then finds the score as a tag in search results and on the dataset page, and the report in its tab.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stamp = Date.now().toString(36);
const STEWARD = `e2e.dq.steward.${stamp}`;
const PASSWORD = 'Lanshan-Quality-2026!';
const NAME = `e2e-quality-${stamp}`;
const TITLE = `各区县登记人数（质量测试${stamp}）`;
const FILE = 'registry.csv';
const DS = ZH.datastore;
const Q = ZH.datastore.quality;

// 类别 should be one of A/B/C: row 4 says X. 人数 should be 0–100: row 3 says 150; row 5 is empty.
const CSV = ['区县,类别,人数', '东城区,A,12', '西城区,B,30', '南湖区,A,150', '北山区,X,8', '中山区,C,'].join(
  '\n',
);

let ctx: TestContext;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let datasetId: string;
let distributionId: string;
let steward: BrowserContext;
let page: Page;
const pageErrors: string[][] = [];

beforeAll(async () => {
  browser = await launchChromium();
  await ensureWebBuild({ root: ROOT, log: (line) => console.log(`[e2e] ${line}`) });
  ctx = await createTestContext({ rateLimitPerMinute: 100_000 });
  const actor = systemActor('e2e');
  const dept = await createDepartment(ctx, actor, {
    code: `E2E-DQ-${stamp.toUpperCase()}`,
    nameZh: `端到端质量局${stamp}`,
    nameEn: `E2E Quality Bureau ${stamp}`,
  });
  await createStaff(ctx, actor, {
    username: STEWARD,
    displayName: STEWARD,
    password: PASSWORD,
    departmentId: dept.id,
    roles: ['data_steward'],
  });
  const ds = await createDataset(ctx, actor, {
    departmentId: dept.id,
    name: NAME,
    titleZh: TITLE,
    titleEn: `Registrations by district (quality test ${stamp})`,
    descriptionZh: '各区县登记人数及类别，用于检查数据质量页面。',
    keywords: ['登记'],
    shareType: 'unconditional',
    openType: 'open',
    licenseId: 'cc-by',
    updateCycle: 'yearly',
    dataItems: [{ name: '区县', type: 'string' }],
  });
  datasetId = ds.id;
  await addFileDistribution(ctx, actor, ds.id, { filename: FILE, content: Buffer.from(CSV) });
  await submitDataset(ctx, actor, ds.id);
  const published = await reviewDataset(ctx, actor, ds.id, { decision: 'publish' });
  distributionId = published.distributions[0]?.id ?? '';
  // The load runs here, through the job's own path: the table and its first quality report exist
  // before any page is opened.
  expect(await drainLoads(ctx)).toBe(1);
  app = await buildApp(ctx, { webDir: path.join(ROOT, 'dist/web'), logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  steward = await newContext(browser, baseUrl);
  page = await steward.newPage();
  pageErrors.push(collectPageErrors(page));
  await signIn(page, STEWARD, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
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

const quality = (p: Page): Promise<DatastoreQuality> =>
  p.evaluate(async (id) => (await fetch(`/api/datastore/${id}/quality`)).json(), distributionId);

const card = (p: Page): Locator =>
  p.locator('.ant-card').filter({ has: p.getByRole('heading', { level: 2, name: Q.title }) });
const rule = (n: number) => card(page).getByRole('group', { name: new RegExp(`^规则 ${n}：`) });
const fill = (s: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce((out, [k, v]) => out.replaceAll(`{{${k}}}`, String(v)), s);

describe('console: the steward reads the report and sets rules', () => {
  it('shows the score with its ring, the criteria and the completeness of each column', async () => {
    await page.goto(`/console/catalog/${datasetId}/data/${distributionId}`);
    await page.getByRole('heading', { level: 1, name: fill(DS.console.title, { name: FILE }) }).waitFor();
    const report = card(page);
    await report.getByRole('heading', { level: 3, name: Q.score.heading }).waitFor();
    const { score } = await quality(page);
    const total = score?.total ?? -1;
    expect(total).toBeGreaterThan(0);
    expect(await report.locator('.datastore-score-value').textContent()).toContain(String(total));
    await report
      .getByRole('img', { name: fill(Q.score.ring, { score: total }) })
      .locator('svg')
      .waitFor();
    const criteria = report.getByRole('table', { name: Q.criteria.caption });
    const licence = criteria.getByRole('row').filter({ hasText: Q.criterion.licence.name });
    await licence.getByText(Q.statuses.pass, { exact: true }).waitFor();
    // No rules yet: the criterion does not apply.
    const rules = criteria.getByRole('row').filter({ hasText: Q.criterion.rule_conformity.name });
    await rules.getByText(Q.statuses.not_applicable, { exact: true }).waitFor();
    await report.getByRole('img', { name: Q.completeness.chart }).locator('svg').waitFor();
    const columns = report.getByRole('table', { name: Q.columns.caption });
    const people = columns.getByRole('row').filter({ hasText: '人数' });
    await people.getByText('80%').waitFor();
    await people.getByText('8 – 150').waitFor();
    await report.getByText(Q.rules.none).waitFor();
    await expectAccessible(page, 'data table quality report');
  });

  it('adds an enum rule and a range rule; the refused range shows its error by the rule', async () => {
    const report = card(page);
    await report.getByRole('button', { name: exact(Q.editor.add) }).click();
    await rule(1).getByRole('combobox', { name: Q.editor.column }).click();
    await pick(page, '类别');
    await rule(1).getByRole('combobox', { name: Q.editor.kind }).click();
    await pick(page, Q.kinds.enum);
    const values = rule(1).getByRole('combobox', { name: Q.editor.values });
    for (const v of ['A', 'B', 'C']) {
      await values.fill(v);
      await values.press('Enter');
    }
    await expect.poll(() => rule(1).locator('.ant-select-selection-item').count()).toBe(3);

    await report.getByRole('button', { name: exact(Q.editor.add) }).click();
    await rule(2).getByRole('combobox', { name: Q.editor.column }).click();
    await pick(page, '人数');
    await rule(2).getByRole('combobox', { name: Q.editor.kind }).click();
    await pick(page, Q.kinds.range);
    await rule(2).getByRole('spinbutton', { name: Q.editor.min }).fill('0');
    await rule(2).getByRole('spinbutton', { name: Q.editor.max }).fill('-5');
    await report.getByRole('button', { name: exact(Q.editor.save) }).click();

    await report.getByRole('alert').getByText(ZH.errors.datastore.invalid_rules).waitFor();
    await rule(2).getByText(`${Q.editor.max}：`, { exact: false }).waitFor();
    expect(await rule(1).locator('.datastore-rule-errors').count()).toBe(0);
    expect(await rule(2).getByRole('spinbutton', { name: Q.editor.max }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await expectAccessible(page, 'rules editor with a refused rule');

    await rule(2).getByRole('spinbutton', { name: Q.editor.max }).fill('100');
    await report.getByRole('button', { name: exact(Q.editor.save) }).click();
    await page.getByText(Q.editor.saved).waitFor();
  });

  it('shows each rule’s violations with the rows that break it', async () => {
    const results = card(page).getByRole('table', { name: Q.rules.caption });
    const category = results.getByRole('row').filter({ hasText: Q.kinds.enum });
    await category.getByText(fill(Q.rules.example, { id: 4, value: 'X' })).waitFor();
    expect(await category.getByRole('cell').nth(3).textContent()).toBe('1');
    const range = results.getByRole('row').filter({ hasText: Q.kinds.range });
    await range.getByText(fill(Q.rules.example, { id: 3, value: '150' })).waitFor();
    expect(await range.getByRole('cell').nth(3).textContent()).toBe('1');
    // The editor starts again from the stored rules: nothing unsaved.
    expect(await rule(2).getByRole('spinbutton', { name: Q.editor.max }).inputValue()).toBe('100');
    await expect.poll(() => card(page).getByText(Q.editor.unsaved).count()).toBe(0);
    const q = await quality(page);
    expect(q.rules.map((r) => [r.rule.kind, r.violations])).toEqual([
      ['enum', 1],
      ['range', 1],
    ]);
    await expectAccessible(page, 'data table with rule results');
  });
});

describe('console: the steward’s forms mark what is required and refuse what is too long', () => {
  const dictionary = () =>
    page
      .locator('.ant-card')
      .filter({ has: page.getByRole('heading', { level: 2, name: DS.dictionary.title }) });
  const upload = () =>
    page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 2, name: DS.upload.title }) });
  const dictField = (field: string, column: string) =>
    dictionary().getByRole('textbox', { name: fill(DS.dictionary.fieldFor, { field, column }), exact: true });
  /** Counts the requests to `path` with `method` from now on. */
  const watch = (method: string, path: string) => {
    const seen = { count: 0 };
    page.on('request', (r) => {
      if (r.method() === method && new URL(r.url()).pathname === path) seen.count++;
    });
    return seen;
  };

  it('says “required” in words beside required fields, and the controls announce it (aria-required)', async () => {
    await page.goto(`/console/catalog/${datasetId}/data/${distributionId}`);
    await page.getByRole('heading', { level: 1, name: fill(DS.console.title, { name: FILE }) }).waitFor();
    // Dictionary: the label is required, its English twin is not.
    await dictionary()
      .getByRole('columnheader', { name: `${DS.dictionary.label}${DS.form.required}` })
      .waitFor();
    expect(await dictField(DS.dictionary.label, '区县').getAttribute('aria-required')).toBe('true');
    expect(await dictField(DS.dictionary.labelEn, '区县').getAttribute('aria-required')).toBeNull();
    // Load form: the file is required; the sheet is not.
    const file = upload().getByLabel(`${DS.upload.file}${DS.form.required}`, { exact: true });
    // A file input takes no aria-required: the native attribute says it (the form leaves the check to its own code).
    expect(await file.evaluate((e) => (e as HTMLInputElement).required)).toBe(true);
    expect(
      await upload().getByLabel(DS.upload.sheet, { exact: true }).getAttribute('aria-required'),
    ).toBeNull();
    // Rules editor: a pattern rule needs its expression.
    await card(page)
      .getByRole('button', { name: exact(Q.editor.add) })
      .click();
    await rule(3).getByRole('combobox', { name: Q.editor.kind }).click();
    await pick(page, Q.kinds.pattern);
    const regex = rule(3).getByRole('textbox', { name: `${Q.editor.regex}${DS.form.required}`, exact: true });
    expect(await regex.getAttribute('aria-required')).toBe('true');
    await card(page)
      .getByRole('button', { name: exact(Q.editor.reset) })
      .click();
    await expect.poll(() => rule(3).count()).toBe(0);
  });

  it('keeps an over-long value whole, says how long it may be, and sends nothing', async () => {
    // Dictionary: a unit of 51 characters (the limit is 50) stays as typed, its error linked to it.
    const put = watch('PUT', `/api/datastore/${distributionId}/dictionary`);
    const unit = dictField(DS.dictionary.unit, '人数');
    const long = '人'.repeat(51);
    await unit.fill(long);
    expect(await unit.inputValue()).toBe(long);
    const unitError = fill(DS.form.tooLong, { max: 50, count: 51 });
    await dictionary().getByText(unitError, { exact: true }).waitFor();
    expect(await unit.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await unit.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(unitError);
    // An emptied label is refused the same way.
    await dictField(DS.dictionary.label, '区县').fill('');
    await dictionary().getByText(DS.form.labelRequired, { exact: true }).waitFor();
    await dictionary()
      .getByRole('button', { name: exact(DS.dictionary.save) })
      .click();
    await page.getByText(DS.form.fixFirst).first().waitFor();
    expect(put.count).toBe(0);
    await dictionary()
      .getByRole('button', { name: exact(DS.dictionary.reset) })
      .click();
    expect(await unit.inputValue()).toBe('');

    // Load form: a sheet name of 201 characters (the limit is 200) is kept and refused before sending.
    const uploads = watch('POST', `/api/datastore/${distributionId}/loads`);
    const sheet = upload().getByLabel(DS.upload.sheet, { exact: true });
    const name = 'S'.repeat(201);
    await sheet.fill(name);
    expect(await sheet.inputValue()).toBe(name);
    await upload()
      .getByRole('button', { name: exact(DS.upload.submit) })
      .click();
    await upload()
      .getByText(fill(DS.form.tooLong, { max: 200, count: 201 }), { exact: true })
      .waitFor();
    expect(await sheet.inputValue()).toBe(name);
    // The missing file is said beside its field too, not in the browser's own bubble.
    await upload().getByText(DS.upload.chooseFirst, { exact: true }).waitFor();
    expect(uploads.count).toBe(0);
    await sheet.fill('');

    // Rules editor: a pattern of 501 characters (the server takes 500) is kept and refused before saving.
    const rulePuts = watch('PUT', `/api/datastore/${distributionId}/quality/rules`);
    await card(page)
      .getByRole('button', { name: exact(Q.editor.add) })
      .click();
    await rule(3).getByRole('combobox', { name: Q.editor.kind }).click();
    await pick(page, Q.kinds.pattern);
    const regex = rule(3).getByRole('textbox', { name: Q.editor.regex });
    const pattern = `^${'a'.repeat(499)}$`;
    await regex.fill(pattern);
    expect(await regex.inputValue()).toBe(pattern);
    await card(page)
      .getByRole('button', { name: exact(Q.editor.save) })
      .click();
    await rule(3)
      .getByText(fill(DS.form.tooLong, { max: 500, count: 501 }))
      .waitFor();
    expect(await regex.inputValue()).toBe(pattern);
    expect(await regex.getAttribute('aria-invalid')).toBe('true');
    expect(rulePuts.count).toBe(0);
    await card(page)
      .getByRole('button', { name: exact(Q.editor.reset) })
      .click();
    await expect.poll(() => rule(3).count()).toBe(0);
  });

  it('at 1280 and 1400 px the dictionary editor fits beside the menu, with no sideways scrolling', async () => {
    for (const width of [1280, 1400]) {
      const context = await newContext(browser, baseUrl, { viewport: { width, height: 900 } });
      const p = await context.newPage();
      pageErrors.push(collectPageErrors(p));
      await signIn(p, STEWARD, PASSWORD);
      await p.goto(`/console/catalog/${datasetId}/data/${distributionId}`);
      const editor = p
        .locator('.ant-card')
        .filter({ has: p.getByRole('heading', { level: 2, name: DS.dictionary.title }) });
      const label = editor.getByRole('textbox', {
        name: fill(DS.dictionary.fieldFor, { field: DS.dictionary.label, column: '区县' }),
      });
      await label.waitFor();
      expect(
        await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
      // The whole dictionary is in view: its table needs no scrolling of its own either.
      const scroller = editor.locator('.ant-table-content, .ant-table-body').first();
      const [scrollWidth, clientWidth] = await scroller.evaluate((e) => [e.scrollWidth, e.clientWidth]);
      expect(scrollWidth, `at ${width} px`).toBeLessThanOrEqual(clientWidth);
      const cardBox = (await editor.boundingBox())!;
      const checkbox = editor.getByRole('checkbox', {
        name: fill(DS.dictionary.fieldFor, { field: DS.dictionary.indexed, column: '区县' }),
      });
      const box = (await checkbox.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
      await context.close();
    }
  });
});

describe('portal: the score in search results and on the dataset page', () => {
  let visitor: BrowserContext;
  let p: Page;
  let score = -1;

  beforeAll(async () => {
    score = (await quality(page)).datasetScore ?? -1;
    expect(score).toBeGreaterThan(0);
    visitor = await newContext(browser, baseUrl);
    p = await visitor.newPage();
    pageErrors.push(collectPageErrors(p));
  });

  afterAll(async () => {
    await visitor?.close();
  });

  it('tags the resource with its score in search results, with a full spoken label', async () => {
    await p.goto('/data/search');
    const item = p.locator('article.catalog-result').filter({ hasText: TITLE });
    await item.getByText(fill(ZH.catalog.dataset.quality, { score }), { exact: true }).waitFor();
    await item.getByText(fill(ZH.catalog.dataset.qualityLabel, { score }), { exact: true }).waitFor();
    await expectAccessible(p, 'search results with quality tags');
  });

  it('shows the tag on the dataset page and the report in the preview’s quality tab', async () => {
    await p.goto(`/data/dataset/${NAME}`);
    await p.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await p.getByText(fill(ZH.catalog.dataset.qualityLabel, { score }), { exact: true }).waitFor();
    const preview = p.getByRole('region', { name: fill(DS.portal.tableOf, { name: FILE }) });
    await preview.getByRole('tab', { name: DS.portal.tabQuality }).click();
    await preview.getByRole('heading', { level: 4, name: Q.score.heading }).waitFor();
    const results = preview.getByRole('table', { name: Q.rules.caption });
    await results.getByText(fill(Q.rules.example, { id: 4, value: 'X' })).waitFor();
    // Stewards edit rules in the console only.
    expect(await preview.getByRole('button', { name: exact(Q.editor.save) }).count()).toBe(0);
    await expectAccessible(p, 'portal quality tab');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors.flat()).toEqual([]);
  });
});
