import type { BrowserContext } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF_PASSWORD } from '../../demo/index.ts';
import { residentIdCheckChar } from '../../src/contracts/identifiers.ts';
import {
  a11yEnv,
  expectAccessible,
  expectLandmarks,
  expectPagesAccessible,
  settle,
  signedInContext,
} from './support/axe-checks.ts';
import { newContext } from './support/browser.ts';
import { exact, signIn, ZH } from './support/pages.ts';

// WCAG checks with axe-core on the data-sharing exchange's pages: the console (shared resources,
// requests, grants, access log, notices), a shared resource, the access request form with its
// errors, and "my data" in a resident's account area.

const env = a11yEnv();
const A11Y_STAMP = Date.now().toString(36);

describe('accessibility of the data-sharing exchange', () => {
  let admin: BrowserContext;
  let resident: BrowserContext;

  beforeAll(async () => {
    admin = await signedInContext(env, 'admin');
    // A resident of their own, registered through the API (the form has its own test).
    resident = await newContext(env.browser, env.server.baseUrl);
    const residentPage = await resident.newPage();
    await residentPage.goto('/');
    const first17 = `11010219850512${String(Date.now() % 1000).padStart(3, '0')}`;
    await residentPage.evaluate(
      async ({ residentId, username }) => {
        const response = await fetch('/api/auth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'citizen',
            username,
            password: 'Lanshan-Autumn-2026',
            displayName: '李四',
            residentId,
          }),
        });
        if (!response.ok) throw new Error(`register: ${response.status} ${await response.text()}`);
      },
      { residentId: first17 + residentIdCheckChar(first17), username: `a11y.resident.${A11Y_STAMP}` },
    );
    await residentPage.close();
  });

  it('exchange console pages have no serious or critical violations', async () => {
    const pages: [string, string, string][] = [
      ['shared resources', '/console/exchange', ZH.exchange.resources.title],
      ['access requests', '/console/exchange/requests', ZH.exchange.requests.title],
      ['outgoing requests', '/console/exchange/requests?side=outgoing', ZH.exchange.requests.title],
      ['grants', '/console/exchange/grants', ZH.exchange.grants.title],
      ['access log', '/console/exchange/access-log', ZH.exchange.log.title],
      ['notices', '/console/exchange/notices', ZH.exchange.notices.title],
    ];
    await expectPagesAccessible(admin, pages);
  });

  it('the requests and grants tabs each control the panel that holds their list', async () => {
    for (const [path, tab] of [
      ['/console/exchange/requests?side=outgoing', ZH.exchange.enums.side.outgoing],
      ['/console/exchange/grants', ZH.exchange.enums.grantSide.incoming],
    ] as const) {
      const page = await admin.newPage();
      await page.goto(path);
      const selected = page.getByRole('tab', { name: tab, selected: true });
      await selected.waitFor();
      const panelId = await selected.getAttribute('aria-controls');
      expect(panelId, `${path}: the selected tab names its panel`).toBeTruthy();
      // The list (its filter and table) is inside that panel, not after an empty one.
      const panel = page.locator(`[id="${panelId}"]`);
      await panel.getByRole('table').waitFor();
      expect(await panel.getByRole('search').count(), `${path}: the filter is in the panel`).toBe(1);
      await page.close();
    }
  });

  it('a shared resource page has no serious or critical violations', async () => {
    const page = await admin.newPage();
    await page.goto('/console/exchange');
    await page.getByRole('heading', { level: 1, name: ZH.exchange.resources.title }).waitFor();
    await settle(page);
    // The demo city shares Civil Affairs' subsistence-allowance register, among others.
    const first = page.getByRole('table').getByRole('link').first();
    await first.waitFor();
    await first.click();
    await page.getByRole('heading', { level: 2, name: ZH.exchange.resource.tables }).waitFor();
    await settle(page);
    await expectLandmarks(page);
    await expectAccessible(page, 'shared resource');
    await page.close();
  });

  it('the access request form reports its errors accessibly', async () => {
    const context = await newContext(env.browser, env.server.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'wei.na', DEMO_STAFF_PASSWORD);
    // A resource of another department with a loaded table, which this steward may ask for.
    const target = await page.evaluate(async () => {
      const me = await (await fetch('/api/me')).json();
      const mine = new Set(me.person.roles.map((r: { departmentId: string }) => r.departmentId));
      const list = await (await fetch('/api/exchange/resources?pageSize=100')).json();
      const found = list.items.find(
        (r: { departmentId: string; tables: unknown[] }) => !mine.has(r.departmentId) && r.tables.length > 0,
      );
      return found ? (found.datasetId as string) : null;
    });
    // The demo loads Civil Affairs' shared register while it loads (not through the job queue).
    expect(target, 'a shared resource of another department with a loaded table').not.toBeNull();
    await page.goto(`/console/exchange/resources/${target}/request`);
    await page.getByRole('button', { name: exact(ZH.exchange.form.submit) }).waitFor();
    await settle(page);
    await expectLandmarks(page);
    await expectAccessible(page, 'request form');
    await page.getByRole('button', { name: exact(ZH.exchange.form.submit) }).click();
    await page.getByText(ZH.exchange.form.problems.fieldsRequired).waitFor();
    await expectAccessible(page, 'request form with errors');
    await context.close();
  });

  it('"my data" in the resident account area has no serious or critical violations', async () => {
    const page = await resident.newPage();
    await page.goto('/account/data-access');
    await page.getByRole('heading', { level: 1, name: ZH.exchange.myData.title }).waitFor();
    await settle(page);
    await expectLandmarks(page);
    await page
      .getByRole('navigation', { name: ZH.nav.main })
      .getByRole('link', { name: ZH.nav.myData })
      .waitFor();
    await expectAccessible(page, 'my data');
    await page.close();
  });
});
