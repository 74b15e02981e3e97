import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import type { GatewayRecords } from '../../src/contracts/exchange-gateway.ts';
import { residentIdCheckChar } from '../../src/contracts/identifiers.ts';
import { buildApp } from '../../src/server/app.ts';
import {
  addFileDistribution,
  createDataset,
  reviewDataset,
  submitDataset,
} from '../../src/server/modules/catalog/index.ts';
import { drainLoads } from '../../src/server/modules/datastore/datastore.test-helpers.ts';
import { updateDictionary } from '../../src/server/modules/datastore/dictionary.service.ts';
import {
  createDepartment,
  createStaff,
  registerPerson,
  verifyIdentity,
} from '../../src/server/modules/identity/index.ts';
import { systemActor } from '../../src/server/platform/auth/actor.ts';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { collectPageErrors, launchChromium, newContext } from './support/browser.ts';
import { exact, openSection, signIn, ZH } from './support/pages.ts';

// The data-sharing exchange in a real browser against the real server (issue 5): department B's data
// steward finds department A's conditionally shared resource and asks for it (the secret column
// cannot be asked for); A's steward approves with one field fewer; B's steward issues the system
// credential and copies it from the page; B's system reads the citizen's record through the
// gateway (personal fields masked); the citizen sees the access under "my data"; A's auditor finds
// the call in the access log.
//
// The table is loaded synchronously (drainLoads) before the server starts: no job worker runs.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stamp = Date.now().toString(36);
const PASSWORD = 'Lanshan-Exchange-2026!';
const A_STEWARD = `e2e.xa.steward.${stamp}`;
const A_AUDITOR = `e2e.xa.auditor.${stamp}`;
const B_STEWARD = `e2e.xb.steward.${stamp}`;
const CITIZEN = `e2e.citizen.${stamp}`;
const A_NAME = `民政局${stamp}`;
const B_NAME = `人社局${stamp}`;
const TITLE = `低保对象名册（测试${stamp}）`;
const FILE = '低保对象.csv';
const PURPOSE = '低保资格复核';
const CASE = `DB-2026-${stamp}`;
const SYSTEM = '人社就业信息系统';
const X = ZH.exchange;

/** A valid resident ID (GB 11643) with the given 3-digit sequence. */
const residentId = (sequence: number) => {
  const first17 = `33010219880512${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};
const ZHANG = residentId(701);
const CSV = [
  '姓名,身份证号,区县,手机号,年收入',
  `张三丰,${ZHANG},东港区,13800138000,86000`,
  `李四,${residentId(702)},岚山区,13900139000,92000`,
  `王五,${residentId(703)},东港区,13700137000,71000`,
].join('\n');

let ctx: TestContext;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let distributionId: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[][] = [];

/** A page in a fresh browser profile (its errors collected), signed in as a staff member. */
async function staffPage(username: string): Promise<Page> {
  const context = await newContext(browser, baseUrl);
  contexts.push(context);
  const page = await context.newPage();
  pageErrors.push(collectPageErrors(page));
  await signIn(page, username, PASSWORD);
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
  await ensureWebBuild({ root: ROOT, log: (line) => console.log(`[e2e] ${line}`) });
  ctx = await createTestContext({ rateLimitPerMinute: 100_000 });
  const system = systemActor('e2e');
  const a = await createDepartment(ctx, system, {
    code: `E2E-XA-${stamp.toUpperCase()}`,
    nameZh: A_NAME,
    nameEn: `Civil Affairs ${stamp}`,
  });
  const b = await createDepartment(ctx, system, {
    code: `E2E-XB-${stamp.toUpperCase()}`,
    nameZh: B_NAME,
    nameEn: `Human Resources ${stamp}`,
  });
  for (const [username, departmentId, role] of [
    [A_STEWARD, a.id, 'data_steward'],
    [A_AUDITOR, a.id, 'auditor'],
    [B_STEWARD, b.id, 'data_steward'],
  ] as const) {
    await createStaff(ctx, system, {
      username,
      displayName: username,
      password: PASSWORD,
      departmentId,
      roles: [role],
    });
  }
  const citizen = await registerPerson(ctx, {
    kind: 'citizen',
    username: CITIZEN,
    password: PASSWORD,
    displayName: '张三丰',
    residentId: ZHANG,
  });
  // "My data" is shown only to residents whose identity staff have verified.
  await verifyIdentity(ctx, system, citizen.id, '身份证原件核验，政务服务中心窗口');

  // A's resource: conditionally shared, published, its table loaded here and now.
  const ds = await createDataset(ctx, system, {
    departmentId: a.id,
    name: `e2e-dibao-${stamp}`,
    titleZh: TITLE,
    titleEn: `Minimum-income recipients (test ${stamp})`,
    descriptionZh: '低保对象的身份信息与所在区县。',
    openType: 'none',
    shareType: 'conditional',
    shareCondition: '经民政局审批后共享',
    updateCycle: 'monthly',
    dataItems: [{ name: '姓名', type: 'string', description: '低保对象姓名' }],
  });
  const withFile = await addFileDistribution(ctx, system, ds.id, {
    filename: FILE,
    content: Buffer.from(CSV),
  });
  await submitDataset(ctx, system, ds.id);
  await reviewDataset(ctx, system, ds.id, { decision: 'publish' });
  expect(await drainLoads(ctx)).toBe(1);
  distributionId = withFile.distributions[0]!.id;
  // The dictionary as A's steward would set it (not left to the loader's guesses).
  await updateDictionary(ctx, system, distributionId, {
    columns: [
      { id: '姓名', sensitivity: 'personal', mask: 'name' },
      { id: '身份证号', sensitivity: 'personal', mask: 'id_number', subject: 'resident_id' },
      { id: '区县', sensitivity: 'public', mask: 'none' },
      { id: '手机号', sensitivity: 'personal', mask: 'phone' },
      { id: '年收入', sensitivity: 'secret', mask: 'none' },
    ],
  });

  app = await buildApp(ctx, { webDir: path.join(ROOT, 'dist/web'), logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.dispose();
});

describe('department B reads department A’s conditional resource, through the pages', () => {
  let b: Page;
  let a: Page;
  let credential = '';
  let grantPath = '';

  it('B’s steward finds the resource in the shared catalog and asks for it', async () => {
    b = await staffPage(B_STEWARD);
    await openSection(b, ZH.nav.exchangeResources, X.resources.title);
    const search = b.getByRole('searchbox', { name: X.resources.search });
    await search.fill(stamp);
    await search.press('Enter');
    await b.getByRole('link', { name: X.resources.openFor.replace('{{title}}', TITLE) }).click();
    await b.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await b.getByText(A_NAME, { exact: true }).waitFor();

    await b.getByRole('link', { name: X.resource.requestAccessFor.replace('{{name}}', FILE) }).click();
    await b.getByRole('heading', { level: 1, name: X.form.title.replace('{{title}}', TITLE) }).waitFor();
    const field = (name: string) =>
      b.getByRole('group', { name: X.form.fields }).getByRole('checkbox', { name });
    // The secret column is there, but cannot be asked for.
    await expect.poll(() => field('年收入').isDisabled()).toBe(true);
    for (const name of ['姓名', '身份证号', '区县', '手机号']) {
      expect(await field(name).isDisabled()).toBe(false);
      await field(name).check();
    }
    // The only department B's steward may ask for is preselected.
    await b
      .locator('.ant-form-item')
      .filter({ has: b.getByRole('combobox', { name: X.form.requesterDepartment }) })
      .getByText(B_NAME, { exact: true })
      .waitFor();
    await b.getByLabel(X.form.purpose).fill(PURPOSE);
    await b.getByLabel(X.form.legalBasis).fill('《社会救助暂行办法》第十一条');
    await b.getByLabel(X.form.expectedCallsPerDay).fill('500');
    await b.getByLabel(X.form.systemName).fill(SYSTEM);
    // The platform's own limit (365 days here), not the schema's 1095: said before anything is sent.
    let posted = 0;
    b.on('request', (r) => {
      if (r.url().endsWith('/api/exchange/requests') && r.method() === 'POST') posted++;
    });
    await b.getByLabel(X.form.durationDays).fill('400');
    await b.getByRole('button', { name: exact(X.form.submit) }).click();
    await b.getByText(X.form.problems.durationRange.replace('{{max}}', '365')).waitFor();
    expect(posted).toBe(0);
    await b.getByLabel(X.form.durationDays).fill('365');
    const created = b.waitForResponse(
      (r) => r.url().endsWith('/api/exchange/requests') && r.request().method() === 'POST',
    );
    await b.getByRole('button', { name: exact(X.form.submit) }).click();
    const res = await created;
    expect(res.status()).toBe(201);
    const request = await res.json();
    expect(request).toMatchObject({ state: 'pending', fields: ['姓名', '身份证号', '区县', '手机号'] });

    await b.getByRole('status').getByText(X.form.pendingTitle).waitFor();
    const due = b.getByText(new RegExp(X.form.pendingText.replace('{{due}}', '(.+)')));
    await due.waitFor();
    expect(await due.textContent()).toMatch(/\d{4}.\d{1,2}.\d{1,2}/);
    expect(Date.parse(request.dueAt)).toBeGreaterThan(Date.now());
  });

  it('A’s steward opens the incoming request and approves it without the phone number', async () => {
    a = await staffPage(A_STEWARD);
    await openSection(a, ZH.nav.exchangeRequests, X.requests.title);
    await a.getByRole('tab', { name: X.enums.side.incoming, selected: true }).waitFor();
    const row = a.getByRole('row').filter({ hasText: B_NAME });
    await row.getByText(X.enums.requestState.pending).waitFor();
    await row.getByRole('link', { name: X.requests.openFor.replace('{{title}}', TITLE) }).click();
    await a.getByRole('heading', { level: 1, name: X.request.title.replace('{{title}}', TITLE) }).waitFor();
    await a.getByText(PURPOSE, { exact: true }).waitFor();

    await a.getByRole('button', { name: exact(X.request.decide) }).click();
    const dialog = a.getByRole('dialog', { name: X.decision.title.replace('{{title}}', TITLE) });
    await dialog.getByRole('radio', { name: X.decision.approve }).waitFor();
    expect(await dialog.getByRole('radio', { name: X.decision.approve }).isChecked()).toBe(true);
    const granted = dialog.getByRole('group', { name: X.decision.fields });
    // A column whose id is its label is named once.
    await granted.getByRole('checkbox', { name: exact('手机号') }).uncheck();
    // Out-of-range numbers are refused beside their fields, not quietly corrected, and nothing is sent.
    let decisions = 0;
    a.on('request', (r) => {
      if (r.url().includes('/decision') && r.method() === 'POST') decisions++;
    });
    await dialog.getByLabel(X.decision.durationDays).fill('9999');
    await dialog.getByLabel(X.decision.rateLimit).fill('0');
    await dialog.getByRole('button', { name: exact(X.decision.submit) }).click();
    await dialog.getByText(X.decision.problems.durationRange.replace('{{max}}', '365')).waitFor();
    await dialog.getByText(X.decision.problems.rateRange.replace('{{rateMax}}', '600000')).waitFor();
    expect(decisions).toBe(0);
    await dialog.getByLabel(X.decision.durationDays).fill('180');
    await dialog.getByLabel(X.decision.rateLimit).fill('');
    expect(await granted.getByRole('checkbox', { checked: true }).count()).toBe(3);
    await dialog.getByLabel(X.decision.reason).fill('手机号不属于复核所必需的信息');
    const decided = a.waitForResponse(
      (r) => r.url().includes('/decision') && r.request().method() === 'POST',
    );
    await dialog.getByRole('button', { name: exact(X.decision.submit) }).click();
    const res = await decided;
    expect(res.status()).toBe(200);
    await dialog.waitFor({ state: 'hidden' });
    await a.getByText(X.enums.requestState.approved, { exact: true }).first().waitFor();
    await a
      .getByRole('link', { name: exact(X.request.openGrant) })
      .first()
      .waitFor();
    expect((await res.json()).grantId).toBeTruthy();
    // What was granted stands beside what was asked: three columns for 180 days, less than asked.
    const grantedCard = a.locator('.ant-card').filter({
      has: a.getByRole('heading', { name: X.request.grantedSummary }),
    });
    await grantedCard.getByText(X.request.narrowed).waitFor();
    await grantedCard.getByText(X.request.duration.replace('{{count}}', '180')).waitFor();
    expect(await grantedCard.getByText('手机号', { exact: true }).count()).toBe(0);
    await grantedCard.getByText('身份证号', { exact: true }).waitFor();
    await grantedCard.getByRole('link', { name: exact(X.request.openGrant) }).waitFor();
  });

  it('B’s steward opens the grant, issues the credential (shown once) and copies it', async () => {
    await b.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await openSection(b, ZH.nav.exchangeGrants, X.grants.title);
    await b.getByRole('tab', { name: X.enums.grantSide.outgoing }).click();
    const row = b.getByRole('row').filter({ hasText: A_NAME });
    await row.getByText(X.enums.grantState.active).waitFor();
    await row.getByRole('link', { name: X.grants.openFor.replace('{{title}}', TITLE) }).click();
    await b.getByRole('heading', { level: 1, name: X.grant.title.replace('{{title}}', TITLE) }).waitFor();
    grantPath = new URL(b.url()).pathname;
    // The scope is what A approved: the phone number was left out.
    const scope = b.getByRole('tabpanel');
    await scope.getByText(SYSTEM).waitFor();
    expect(await scope.getByText('手机号').count()).toBe(0);

    await b.getByRole('tab', { name: X.grant.credential }).click();
    await b.getByText(X.grant.credentialNone).waitFor();
    await b.getByRole('button', { name: exact(X.grant.issue) }).click();
    const once = b.getByRole('status').filter({ hasText: X.grant.credentialOnceTitle });
    await once.getByText(X.grant.credentialOnce).waitFor();
    const shown = (await once.locator('code').textContent())?.trim() ?? '';
    expect(shown).toMatch(/^cvx_/);
    await once
      .getByRole('button', { name: ZH.catalog.api.copy.replace('{{what}}', X.grant.credentialLabel) })
      .click();
    await once.getByText(ZH.common.copied).waitFor();
    credential = await b.evaluate(() => navigator.clipboard.readText());
    expect(credential).toBe(shown);
    // Issued: from now on the page shows only its prefix, and offers to rotate it.
    await b.getByRole('button', { name: exact(X.grant.rotate) }).waitFor();
  });

  it('B’s system looks the citizen up through the gateway: granted fields only, personal ones masked', async () => {
    const res = await fetch(
      `${baseUrl}/exchange/v1/resources/${distributionId}/lookup?${new URLSearchParams({ field: '身份证号', value: ZHANG })}`,
      {
        headers: {
          authorization: `Bearer ${credential}`,
          // Header values are bytes: Chinese text travels percent-encoded (RFC 8187).
          'x-civitas-purpose': `utf-8''${encodeURIComponent(PURPOSE)}`,
          'x-civitas-case': CASE,
          'x-civitas-user': 'caseworker-17',
        },
      },
    );
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(res.headers.get('x-civitas-request-id')).toBeTruthy();
    const body = JSON.parse(text) as GatewayRecords;
    expect(body.records).toHaveLength(1);
    const record = body.records[0]!;
    expect(record.区县).toBe('东港区');
    expect(record.姓名).not.toBe('张三丰');
    expect(String(record.姓名)).toMatch(/^张\*+$/);
    expect(record.身份证号).not.toBe(ZHANG);
    expect(String(record.身份证号)).toMatch(/^3301\*+\d{3}[\dX]$/);
    expect(record).not.toHaveProperty('手机号');
    expect(record).not.toHaveProperty('年收入');
  });

  it('the citizen sees under “my data” that B read their record, why, and for which case', async () => {
    const context = await newContext(browser, baseUrl);
    contexts.push(context);
    const page = await context.newPage();
    pageErrors.push(collectPageErrors(page));
    await page.goto('/sign-in?next=/account/data-access');
    await page.getByLabel(ZH.fields.username).fill(CITIZEN);
    await page.getByLabel(ZH.fields.password, { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
    await page.waitForURL('**/account/data-access');
    await page.getByRole('heading', { level: 1, name: X.myData.title }).waitFor();
    const row = page.getByRole('row').filter({ hasText: CASE });
    await row.getByRole('cell', { name: B_NAME, exact: true }).waitFor();
    await row.getByRole('cell', { name: PURPOSE, exact: true }).waitFor();
    await row.getByText(TITLE).waitFor();
    expect(await page.getByRole('row').filter({ hasText: CASE }).count()).toBe(1);
    // On a phone the table scrolls sideways rather than wrapping names a character per line.
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await row
      .getByRole('cell')
      .evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
    expect(Math.min(...widths)).toBeGreaterThan(70);
    const total = page.getByText(new RegExp(`^${ZH.common.total.replace('{{count}}', '\\d+')}$`));
    const box = (await total.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  });

  it('A’s auditor finds the call in the access log', async () => {
    const auditor = await staffPage(A_AUDITOR);
    await openSection(auditor, ZH.nav.exchangeLog, X.log.title);
    const row = auditor.getByRole('row').filter({ hasText: CASE });
    await row.getByRole('cell', { name: B_NAME, exact: true }).waitFor();
    await row.getByRole('cell', { name: SYSTEM, exact: true }).waitFor();
    await row.getByRole('cell', { name: PURPOSE, exact: true }).waitFor();
    await row.getByRole('cell', { name: 'caseworker-17', exact: true }).waitFor();
    await row.getByText(X.enums.outcome.ok, { exact: true }).waitFor();
    expect(await row.getByRole('cell', { name: '姓名；身份证号；区县' }).count()).toBe(1);
    // The resource read is named by its title, the operation in words, not its code.
    await row.getByRole('link', { name: TITLE }).waitFor();
    await row.getByText(X.log.operations.lookup, { exact: true }).waitFor();
    expect(await row.getByText('lookup', { exact: true }).count()).toBe(0);
  });

  it('at 390×844 the access log, the grant’s subscriptions and “my data” fit the screen', async () => {
    const PHONE = { width: 390, height: 844 };
    /** A phone-sized page signed in as `username`, opened at `next`. */
    const phonePage = async (username: string, next: string) => {
      const context = await newContext(browser, baseUrl, { viewport: PHONE });
      contexts.push(context);
      const page = await context.newPage();
      pageErrors.push(collectPageErrors(page));
      await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
      await page.getByLabel(ZH.fields.username).fill(username);
      await page.getByLabel(ZH.fields.password, { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
      await page.waitForURL(`**${next}`);
      return page;
    };
    const overflow = (page: Page) =>
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    /** The narrowest of the row's cells holding these texts: squeezed, they wrap a character per line. */
    const narrowest = async (row: ReturnType<Page['getByRole']>, texts: string[]) => {
      const widths = [];
      for (const text of texts)
        widths.push((await row.getByRole('cell', { name: text, exact: true }).boundingBox())!.width);
      return Math.min(...widths);
    };

    // The access log's twelve columns scroll sideways inside their region instead.
    const auditor = await phonePage(A_AUDITOR, '/console/exchange/access-log');
    await auditor.getByRole('heading', { level: 1, name: X.log.title }).waitFor();
    const call = auditor.getByRole('row').filter({ hasText: CASE });
    await call.getByRole('cell', { name: B_NAME, exact: true }).waitFor();
    expect(await overflow(auditor)).toBeLessThanOrEqual(0);
    expect(await narrowest(call, [B_NAME, SYSTEM, PURPOSE])).toBeGreaterThan(60);
    const total = auditor.getByText(new RegExp(`^${ZH.common.total.replace('{{count}}', '\\d+')}$`));
    const box = (await total.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);

    // The subscription form's address box is no wider than the screen.
    const steward = await phonePage(B_STEWARD, grantPath);
    await steward
      .getByRole('heading', { level: 1, name: X.grant.title.replace('{{title}}', TITLE) })
      .waitFor();
    await steward.getByRole('tab', { name: X.subscriptions.title }).click();
    const url = steward.getByLabel(X.subscriptions.url);
    await url.waitFor();
    expect(await overflow(steward)).toBeLessThanOrEqual(0);
    const urlBox = (await url.boundingBox())!;
    expect(urlBox.x + urlBox.width).toBeLessThanOrEqual(PHONE.width);

    const citizen = await phonePage(CITIZEN, '/account/data-access');
    await citizen.getByRole('heading', { level: 1, name: X.myData.title }).waitFor();
    const access = citizen.getByRole('row').filter({ hasText: CASE });
    await access.getByRole('cell', { name: B_NAME, exact: true }).waitFor();
    expect(await overflow(citizen)).toBeLessThanOrEqual(0);
    expect(await narrowest(access, [B_NAME, PURPOSE])).toBeGreaterThan(60);
  });

  it('raised no uncaught errors in the pages', async () => {
    for (const context of contexts) await context.close();
    expect(pageErrors.flat()).toEqual([]);
  });
});
