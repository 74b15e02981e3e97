import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF_PASSWORD } from '../../demo/index.ts';
import {
  a11yEnv,
  expectAccessible,
  expectPagesAccessible,
  openAccessible,
  settle,
  signedInContext,
} from './support/axe-checks.ts';
import { newContext } from './support/browser.ts';
import { exact, ZH } from './support/pages.ts';

// WCAG checks with axe-core on the data portal, the catalog console and the harvest console, over
// data of their own seeded through the API (the main pages: accessibility.test.ts).

const env = a11yEnv();

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
    anonymous = await newContext(env.browser, env.server.baseUrl);
    steward = await signedInContext(env, 'wei.na', DEMO_STAFF_PASSWORD, async (page) => {
      seeded = await seedCatalog(page);
    });
    admin = await signedInContext(env, 'admin');
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
    await expectPagesAccessible(anonymous, pages);
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
      await (await openAccessible(context, name, path, heading)).close();
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
    const context = await newContext(env.browser, env.server.baseUrl, {
      viewport: { width: 390, height: 844 },
    });
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
    admin = await signedInContext(env, 'admin', undefined, async (page) => {
      sourceId = await seedHarvest(page);
    });
  });

  it('harvest pages have no serious or critical violations', async () => {
    const pages: [string, string, string][] = [
      ['harvest sources', '/console/catalog/harvest', ZH.catalog.harvest.title],
      ['harvest source', `/console/catalog/harvest/${sourceId}`, HARVEST_TITLE],
    ];
    for (const [name, path, heading] of pages) {
      const page = await openAccessible(admin, name, path, heading);
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
