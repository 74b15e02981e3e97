import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AxeViolation,
  describeViolations,
  launchChromium,
  newContext,
  runAxe,
} from './support/browser.ts';
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

const BLOCKING = new Set<AxeViolation['impact']>(['serious', 'critical']);

/** Runs axe on the page as it is now; fails on serious or critical findings, prints the rest. */
async function expectAccessible(page: Page, name: string) {
  const violations = await runAxe(page);
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  const rest = violations.filter((v) => !BLOCKING.has(v.impact));
  console.log(
    violations.length === 0
      ? `axe [${name}]: no violations`
      : `axe [${name}]: ${blocking.length} serious/critical, ${rest.length} minor/moderate\n${describeViolations(name, violations)}`,
  );
  expect(describeViolations(name, blocking)).toBe('');
}

/** The page's landmarks: one banner, one main, at least one navigation. */
async function expectLandmarks(page: Page) {
  expect(await page.getByRole('banner').count()).toBe(1);
  expect(await page.getByRole('main').count()).toBe(1);
  expect(await page.getByRole('navigation').count()).toBeGreaterThan(0);
}

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
