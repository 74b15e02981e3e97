import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF_PASSWORD } from '../../demo/index.ts';
import { expectAccessible, expectLandmarks, settle } from './support/axe-checks.ts';
import { launchChromium, newContext } from './support/browser.ts';
import { exact, signIn, ZH } from './support/pages.ts';
import { type E2EServer, startE2EServer } from './support/server.ts';

// WCAG checks with axe-core on the main pages, keyboard-only sign-in, and the console on a phone.

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  // The browser first: without one, fail at once rather than after loading the demo city.
  browser = await launchChromium();
  server = await startE2EServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  let anonymous: BrowserContext;
  let admin: BrowserContext;

  beforeAll(async () => {
    anonymous = await newContext(browser, server.baseUrl);
    admin = await newContext(browser, server.baseUrl);
    const page = await admin.newPage();
    await signIn(page, 'admin', server.passwordOf('admin'));
    await page.close();
  });

  it.each([
    ['home', '/', ZH.home.title],
    ['sign-in', '/sign-in', ZH.signIn.title],
    ['register', '/register', ZH.register.title],
  ])('public page %s has no serious or critical violations', async (name, path, heading) => {
    const page = await anonymous.newPage();
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expectLandmarks(page);
    expect(await page.title()).toBe(`${heading} · Civitas`);
    await expectAccessible(page, name);
    await page.close();
  });

  it('the register form reports invalid identifiers with text, not only colour', async () => {
    const page = await anonymous.newPage();
    await page.goto('/register');
    await page.getByLabel(ZH.fields.residentId).fill('110101199003077776');
    await page.getByRole('button', { name: exact(ZH.register.submit) }).click();
    await page.getByText(ZH.validation.residentId.checksum).waitFor();
    await expectAccessible(page, 'register-with-errors');
    await page.close();
  });

  it.each([
    ['console overview', '/console', ZH.overview.title],
    ['departments', '/console/departments', ZH.departments.title],
    ['people', '/console/people', ZH.people.title],
    ['audit', '/console/audit', ZH.audit.title],
    ['working days', '/console/working-days', ZH.calendar.title],
  ])('console page %s has no serious or critical violations', async (name, path, heading) => {
    const page = await admin.newPage();
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    // Let tables finish loading so axe sees the real rows.
    await page
      .locator('.ant-spin-spinning')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => {});
    await expectLandmarks(page);
    await expectAccessible(page, name);
    await page.close();
  });

  it('the working-day dialog opens from a day by keyboard and is accessible', async () => {
    const page = await admin.newPage();
    await page.goto('/console/working-days');
    await page.getByRole('heading', { level: 1, name: ZH.calendar.title }).waitFor();
    const day = page.locator('button.working-day-cell').first();
    await day.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: exact(ZH.calendar.save) }).waitFor();
    await expectAccessible(page, 'working-day dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.close();
  });
});

/** Waits until tables and lists have loaded, so axe sees the real content. */

// A published open resource with a file and a data request, made through the API by a demo
// department admin who is also its data steward (the demo catalog may hold others; these are ours).
const A11Y_STAMP = Date.now().toString(36);
const A11Y_NAME = `a11y-licences-${A11Y_STAMP}`;
const A11Y_TITLE = `无障碍检查用企业名录${A11Y_STAMP}`;

async function seedCatalog(
  page: Page,
): Promise<{ id: string; distributionId: string; trackingCode: string }> {
  return page.evaluate(
    async ({ name, title }) => {
      const me = await (await fetch('/api/me')).json();
      const departmentId = me.person.roles.find(
        (r: { role: string }) => r.role === 'data_steward',
      ).departmentId;
      const call = async (method: string, url: string, body?: unknown) => {
        const multipart = body instanceof FormData;
        const response = await fetch(url, {
          method,
          headers: {
            'x-csrf-token': me.csrfToken,
            ...(body && !multipart ? { 'content-type': 'application/json' } : {}),
          },
          body: multipart ? body : body ? JSON.stringify(body) : undefined,
        });
        if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      const ds = await call('POST', '/api/catalog/datasets', {
        departmentId,
        name,
        titleZh: title,
        titleEn: 'Accessibility check register',
        descriptionZh: '用于无障碍检查的企业名录。',
        keywords: ['企业', '名录'],
        openType: 'open',
        licenseId: 'cc-by',
        updateCycle: 'monthly',
        dataItems: [{ name: '企业名称', type: 'string', description: '登记名称' }],
        contact: { name: '数据管理员', email: 'data@lanshan.example' },
      });
      const file = new FormData();
      file.append(
        'file',
        new Blob(['企业名称\n岚山清河餐饮有限公司\n'], { type: 'text/csv' }),
        'register.csv',
      );
      const withFile = await call('POST', `/api/catalog/datasets/${ds.id}/files`, file);
      await call('POST', `/api/catalog/datasets/${ds.id}/submit`, {});
      await call('POST', `/api/catalog/datasets/${ds.id}/review`, { decision: 'publish', note: 'ok' });
      const request = await call('POST', '/api/catalog/data-requests', {
        datasetName: name,
        title: '申请按月更新',
        description: '希望按月提供新增企业名单。',
        requesterName: '张三',
        requesterEmail: 'zhang.san@example.org',
      });
      return {
        id: ds.id as string,
        distributionId: withFile.distributions[0].id as string,
        trackingCode: request.trackingCode as string,
      };
    },
    { name: A11Y_NAME, title: A11Y_TITLE },
  );
}

describe('accessibility of the data portal and the catalog console', () => {
  let anonymous: BrowserContext;
  let admin: BrowserContext;
  let steward: BrowserContext;
  let seeded: { id: string; distributionId: string; trackingCode: string };

  beforeAll(async () => {
    anonymous = await newContext(browser, server.baseUrl);
    admin = await newContext(browser, server.baseUrl);
    steward = await newContext(browser, server.baseUrl);
    const page = await steward.newPage();
    await signIn(page, 'wei.na', DEMO_STAFF_PASSWORD);
    seeded = await seedCatalog(page);
    await page.close();
    const adminPage = await admin.newPage();
    await signIn(adminPage, 'admin', server.passwordOf('admin'));
    await adminPage.close();
  });

  it('public catalog pages have no serious or critical violations', async () => {
    const pages: [string, string, string][] = [
      ['portal home', '/data', ZH.catalog.portal.title],
      ['portal search', `/data/search?q=${encodeURIComponent('企业名录')}`, ZH.catalog.search.title],
      ['dataset', `/data/dataset/${A11Y_NAME}`, A11Y_TITLE],
      ['department', '/data/departments/LS-HRSS', ''],
      ['request data', '/data/request', ZH.catalog.request.title],
      ['track request', `/data/requests/${seeded.trackingCode}`, ZH.catalog.track.title],
    ];
    for (const [name, path, heading] of pages) {
      const page = await anonymous.newPage();
      await page.goto(path);
      await page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) }).waitFor();
      await settle(page);
      await expectLandmarks(page);
      await expectAccessible(page, name);
      await page.close();
    }
  });

  it('the search marks matches and keeps facets usable', async () => {
    const page = await anonymous.newPage();
    await page.goto(`/data/search?q=${encodeURIComponent('企业名录')}`);
    await page.locator('mark').first().waitFor();
    await page.getByRole('navigation', { name: ZH.catalog.search.facets }).getByRole('link').first().click();
    await page
      .getByRole('button', { name: new RegExp(ZH.catalog.search.removeFilter.split(' ')[0]!) })
      .first()
      .waitFor();
    await settle(page);
    await expectAccessible(page, 'portal-search-filtered');
    await page.close();
  });

  it('catalog console pages have no serious or critical violations', async () => {
    const pages: [BrowserContext, string, string, string][] = [
      [admin, 'catalog list', '/console/catalog', ZH.catalog.console.title],
      [admin, 'catalog dataset', `/console/catalog/${seeded.id}`, A11Y_TITLE],
      [admin, 'data requests', '/console/data-requests', ZH.catalog.inbox.title],
      [steward, 'catalog new', '/console/catalog/new', ZH.catalog.console.newTitle],
      [steward, 'catalog files', `/console/catalog/${seeded.id}?tab=distributions`, A11Y_TITLE],
      [steward, 'catalog history', `/console/catalog/${seeded.id}?tab=history`, A11Y_TITLE],
      // The file's data table (its load waits in the queue: this server's worker runs harvests only).
      [
        steward,
        'data table',
        `/console/catalog/${seeded.id}/data/${seeded.distributionId}`,
        ZH.datastore.console.title.replace('{{name}}', 'register.csv'),
      ],
    ];
    for (const [context, name, path, heading] of pages) {
      const page = await context.newPage();
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await settle(page);
      await expectLandmarks(page);
      await expectAccessible(page, name);
      await page.close();
    }
  });

  it('the resource form shows the dependent fields of the catalog rules accessibly', async () => {
    const page = await steward.newPage();
    await page.goto('/console/catalog/new');
    await page.getByRole('heading', { level: 1, name: ZH.catalog.console.newTitle }).waitFor();
    await page
      .getByRole('radiogroup', { name: ZH.catalog.fields.shareType })
      .getByText(ZH.catalog.enums.shareType.none, { exact: true })
      .click();
    await page.getByLabel(ZH.catalog.fields.shareLegalBasis).waitFor();
    await page.getByRole('button', { name: exact(ZH.catalog.console.createSubmit) }).click();
    await page.getByText(ZH.catalog.rules.shareLegalBasis, { exact: true }).waitFor();
    await expectAccessible(page, 'catalog-form-errors');
    await page.close();
  });

  it('at 390×844 the portal search and dataset page fit the screen', async () => {
    const context = await newContext(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    for (const path of [`/data/search?q=${encodeURIComponent('企业名录')}`, `/data/dataset/${A11Y_NAME}`]) {
      const page = await context.newPage();
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await settle(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await expectAccessible(page, `mobile ${path}`);
      await page.close();
    }
    await context.close();
  });
});

// A harvest source whose address refuses connections, run once through the API: its failed run
// gives the log an error to show. The job worker of the e2e server runs it.
const HARVEST_TITLE = `无障碍检查用采集源${A11Y_STAMP}`;

async function seedHarvest(page: Page): Promise<string> {
  return page.evaluate(
    async ({ name, title }) => {
      const me = await (await fetch('/api/me')).json();
      const call = async (method: string, url: string, body?: unknown) => {
        const response = await fetch(url, {
          method,
          headers: { 'x-csrf-token': me.csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      const departments: { id: string; active: boolean }[] = await call('GET', '/api/departments');
      const source = await call('POST', '/api/catalog/harvest/sources', {
        name,
        title,
        kind: 'ckan',
        url: 'http://127.0.0.1:1/',
        departmentId: departments.find((d) => d.active)?.id,
      });
      const { run } = await call('POST', `/api/catalog/harvest/sources/${source.id}/run`, {});
      for (let i = 0; i < 100; i++) {
        const current = await call('GET', `/api/catalog/harvest/runs/${run.id}`);
        if (current.status !== 'queued' && current.status !== 'running') return source.id as string;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error('the harvest run did not finish');
    },
    { name: `a11y-${A11Y_STAMP}`, title: HARVEST_TITLE },
  );
}

describe('accessibility of the harvest console', () => {
  let admin: BrowserContext;
  let sourceId: string;

  beforeAll(async () => {
    admin = await newContext(browser, server.baseUrl);
    const page = await admin.newPage();
    await signIn(page, 'admin', server.passwordOf('admin'));
    sourceId = await seedHarvest(page);
    await page.close();
  });

  it('harvest pages have no serious or critical violations', async () => {
    const pages: [string, string, string][] = [
      ['harvest sources', '/console/catalog/harvest', ZH.catalog.harvest.title],
      ['harvest source', `/console/catalog/harvest/${sourceId}`, HARVEST_TITLE],
    ];
    for (const [name, path, heading] of pages) {
      const page = await admin.newPage();
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await settle(page);
      await expectLandmarks(page);
      await expectAccessible(page, name);
      if (name === 'harvest source') {
        // The failed run's log lists its error with the stage.
        await page.getByRole('cell', { name: ZH.catalog.harvest.enums.stage.gather }).waitFor();
        await expectAccessible(page, 'harvest run log');
      }
      await page.close();
    }
  });

  it('the source form reports its errors accessibly', async () => {
    const page = await admin.newPage();
    await page.goto('/console/catalog/harvest');
    await page.getByRole('heading', { level: 1, name: ZH.catalog.harvest.title }).waitFor();
    await page.getByRole('button', { name: ZH.catalog.harvest.create }).click();
    const dialog = page.getByRole('dialog', { name: ZH.catalog.harvest.createTitle });
    await dialog.getByLabel(ZH.catalog.harvest.fields.url).fill('ftp://files.example.org/');
    await dialog.getByRole('button', { name: exact(ZH.common.save) }).click();
    await dialog.getByText(ZH.catalog.harvest.form.urlPattern).waitFor();
    await expectAccessible(page, 'harvest-form-errors');
    await page.close();
  });
});

describe('keyboard', () => {
  it('signs in with Tab and Enter only, starting at a skip link', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1, name: ZH.signIn.title }).waitFor();

    // The first Tab stop is the skip link, and it leads into the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(ZH.nav.skip);

    // Tab onwards to the username field (through the header's links and buttons).
    let reached = false;
    for (let i = 0; i < 25 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(
        () => (document.activeElement as HTMLInputElement | null)?.autocomplete === 'username',
      );
      // Every stop must show where focus is.
      const outline = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return 'none';
        const style = getComputedStyle(el);
        return style.outlineStyle !== 'none' || style.boxShadow !== 'none' ? 'visible' : 'none';
      });
      expect(outline).toBe('visible');
    }
    expect(reached).toBe(true);
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.autocomplete)).toBe(
      'current-password',
    );
    await page.keyboard.type(server.passwordOf('admin'));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/console');
    await page.getByRole('heading', { level: 1, name: ZH.overview.title }).waitFor();
    await context.close();
  });

  it('shows a clear message for a wrong password', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel(ZH.fields.username).fill('admin');
    await page.getByLabel(ZH.fields.password, { exact: true }).fill('not-the-password');
    await page.getByLabel(ZH.fields.password, { exact: true }).press('Enter');
    await page.getByRole('alert').filter({ hasText: ZH.errors.auth.invalid_credentials }).waitFor();
    await context.close();
  });
});

describe('small screens', () => {
  it('at 390×844 the console navigation opens from a menu button', async () => {
    const context = await newContext(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, 'admin', server.passwordOf('admin'));

    // No sider on a phone: the navigation is behind the menu button.
    expect(await page.getByRole('menuitem', { name: ZH.nav.departments }).count()).toBe(0);
    const menuButton = page.getByRole('button', { name: ZH.nav.openMenu });
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    await menuButton.click();
    const drawer = page.getByRole('dialog', { name: ZH.nav.menu });
    await drawer.getByRole('menuitem', { name: ZH.nav.departments }).click();
    await page.waitForURL('**/console/departments');
    await page.getByRole('heading', { level: 1, name: ZH.departments.title }).waitFor();
    await drawer.waitFor({ state: 'hidden' });

    // Nothing on the page is wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'departments-mobile');
    await context.close();
  });
});
