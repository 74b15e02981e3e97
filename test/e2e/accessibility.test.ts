import type { BrowserContext } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  a11yEnv,
  expectAccessible,
  expectLandmarks,
  openAccessible,
  signedInContext,
} from './support/axe-checks.ts';
import { newContext } from './support/browser.ts';
import { exact, signIn, ZH } from './support/pages.ts';

// WCAG checks with axe-core on the main pages, keyboard-only sign-in, and the console on a phone
// (the data portal and catalog console: accessibility-catalog.test.ts; the exchange:
// accessibility-exchange.test.ts).

const env = a11yEnv();

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  let anonymous: BrowserContext;
  let admin: BrowserContext;

  beforeAll(async () => {
    anonymous = await newContext(env.browser, env.server.baseUrl);
    admin = await signedInContext(env, 'admin');
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
    ['audit', '/console/audit', ZH.audit.title],
    ['working days', '/console/working-days', ZH.calendar.title],
  ])('console page %s has no serious or critical violations', async (name, path, heading) => {
    // Tables finish loading first so axe sees the real rows.
    await (await openAccessible(admin, name, path, heading)).close();
  });

  it('console page people has no serious or critical violations, also with text in its search box', async () => {
    const page = await openAccessible(admin, 'people', '/console/people', ZH.people.title);
    // Text in the search box shows its clear (×) button, a click target of its own (target-size).
    const search = page.getByRole('searchbox', { name: ZH.people.search });
    await search.fill('admin');
    await page
      .getByRole('search', { name: ZH.people.filters })
      .locator('.ant-input-clear-icon:not(.ant-input-clear-icon-hidden)')
      .waitFor();
    await expectAccessible(page, 'people (search typed)');
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

describe('keyboard', () => {
  it('signs in with Tab and Enter only, starting at a skip link', async () => {
    const context = await newContext(env.browser, env.server.baseUrl);
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
    await page.keyboard.type(env.server.passwordOf('admin'));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/console');
    await page.getByRole('heading', { level: 1, name: ZH.overview.title }).waitFor();
    await context.close();
  });

  it('shows a clear message for a wrong password', async () => {
    const context = await newContext(env.browser, env.server.baseUrl);
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
    const context = await newContext(env.browser, env.server.baseUrl, {
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, 'admin', env.server.passwordOf('admin'));

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
