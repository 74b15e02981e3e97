import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, newContext } from './support/browser.ts';
import { EN, exact, openSection, pickOption, signIn, ZH } from './support/pages.ts';
import { type E2EServer, startE2EServer } from './support/server.ts';

// The administrator's main path through the console, in a real browser against the real server:
// department → staff member → role → language switch → audit trail → integrity check.

const stamp = Date.now().toString(36).toUpperCase();
const DEPT_CODE = `E2E-${stamp}`;
const DEPT_ZH = `端到端测试局${stamp}`;
const DEPT_EN = `E2E Test Bureau ${stamp}`;
const STAFF_USERNAME = `e2e.staff.${stamp.toLowerCase()}`;
const STAFF_NAME = `测试员${stamp}`;

let server: E2EServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  // The browser first: without one, fail at once rather than after loading the demo city.
  browser = await launchChromium();
  server = await startE2EServer();
  context = await newContext(browser, server.baseUrl);
  page = await context.newPage();
  pageErrors = collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('staff console (admin)', () => {
  it('signs in as the demo platform admin', async () => {
    await signIn(page, 'admin', server.passwordOf('admin'));
    expect(await page.title()).toBe(`${ZH.overview.title} · Civitas`);
    // The platform admin sees every console section.
    const nav = page.getByRole('navigation', { name: ZH.nav.console });
    for (const label of [
      ZH.nav.departments,
      ZH.nav.people,
      ZH.nav.roles,
      ZH.nav.tokens,
      ZH.nav.audit,
      ZH.nav.profile,
    ]) {
      await nav.getByRole('menuitem', { name: label }).waitFor();
    }
  });

  it('creates a department, shown in the tree', async () => {
    await openSection(page, ZH.nav.departments, ZH.departments.title);
    await page.getByRole('button', { name: ZH.departments.create }).click();
    const dialog = page.getByRole('dialog', { name: ZH.departments.createTitle });
    await dialog.getByLabel(ZH.departments.code).fill(DEPT_CODE.toLowerCase());
    await dialog.getByLabel(ZH.departments.nameZh).fill(DEPT_ZH);
    await dialog.getByLabel(ZH.departments.nameEn).fill(DEPT_EN);
    // Client-side validation speaks before the server is asked.
    await dialog.getByLabel(ZH.departments.regionCode).fill('12');
    await dialog.getByRole('button', { name: exact(ZH.common.save) }).click();
    await dialog.getByText(ZH.validation.regionCode).waitFor();
    await dialog.getByLabel(ZH.departments.regionCode).fill('110101');
    // The code field upper-cases what was typed.
    expect(await dialog.getByLabel(ZH.departments.code).inputValue()).toBe(DEPT_CODE);
    await dialog.getByRole('button', { name: exact(ZH.common.save) }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: new RegExp(DEPT_CODE) });
    await row.waitFor();
    expect(await row.textContent()).toContain(DEPT_EN);
  });

  it('refuses a duplicate department code with a message on the field', async () => {
    await page.getByRole('button', { name: ZH.departments.create }).click();
    const dialog = page.getByRole('dialog', { name: ZH.departments.createTitle });
    await dialog.getByLabel(ZH.departments.code).fill(DEPT_CODE);
    await dialog.getByLabel(ZH.departments.nameZh).fill('重复');
    await dialog.getByLabel(ZH.departments.nameEn).fill('Duplicate');
    await dialog.getByRole('button', { name: exact(ZH.common.save) }).click();
    await dialog.getByText(ZH.errors.identity.department_code_taken).waitFor();
    await dialog.getByRole('button', { name: exact(ZH.common.cancel) }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('creates a staff member in the new department', async () => {
    await openSection(page, ZH.nav.people, ZH.people.title);
    await page.getByRole('button', { name: ZH.people.create }).click();
    const dialog = page.getByRole('dialog', { name: ZH.people.createTitle });
    await dialog.getByLabel(ZH.fields.username).fill(STAFF_USERNAME);
    await dialog.getByLabel(ZH.fields.displayName).fill(STAFF_NAME);
    await dialog.getByLabel(ZH.fields.email).fill(`${STAFF_USERNAME}@lanshan.example`);
    await dialog.getByLabel(ZH.people.initialPassword).fill('Lanshan-E2E-2026!');
    const department = dialog.getByRole('combobox', { name: ZH.fields.department });
    await department.click();
    await department.fill(DEPT_CODE);
    await pickOption(page, DEPT_CODE);
    await dialog.getByLabel(ZH.roles.case_handler).check();
    await dialog.getByRole('button', { name: exact(ZH.common.create) }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('searchbox', { name: ZH.people.search }).fill(STAFF_USERNAME);
    await page.getByRole('searchbox', { name: ZH.people.search }).press('Enter');
    const row = page.getByRole('row', { name: new RegExp(STAFF_USERNAME.replaceAll('.', '\\.')) });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain(STAFF_NAME);
    expect(text).toContain(`${DEPT_ZH} · ${ZH.roles.case_handler}`);
  });

  it('edits the staff member and resets their password through the dialogs', async () => {
    const actions = () =>
      page.getByRole('button', { name: ZH.people.actionsFor.replace('{{name}}', STAFF_USERNAME) }).click();
    await actions();
    await page.getByRole('menuitem', { name: ZH.common.edit }).click();
    const edit = page.getByRole('dialog', { name: ZH.people.editTitle.replace('{{name}}', STAFF_USERNAME) });
    await edit.getByLabel(ZH.fields.displayName).fill(`${STAFF_NAME}改`);
    await edit.getByRole('button', { name: exact(ZH.common.save) }).click();
    await edit.waitFor({ state: 'hidden' });
    await page
      .getByRole('row')
      .filter({ hasText: `${STAFF_NAME}改` })
      .waitFor();

    await actions();
    await page.getByRole('menuitem', { name: ZH.people.resetPassword }).click();
    const reset = page.getByRole('dialog', {
      name: ZH.people.resetTitle.replace('{{name}}', STAFF_USERNAME),
    });
    const password = reset.getByLabel(ZH.fields.newPassword);
    await password.fill('short');
    await reset.getByRole('button', { name: exact(ZH.people.resetPassword) }).click();
    await reset.locator('.ant-form-item-explain-error').first().waitFor(); // refused in the form
    await password.fill('Lanshan-Reset-2026!');
    await reset.getByRole('button', { name: exact(ZH.people.resetPassword) }).click();
    await reset.waitFor({ state: 'hidden' });
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: STAFF_USERNAME, password: 'Lanshan-Reset-2026!' }),
    });
    expect(login.status).toBe(200);
  });

  it('assigns a role in the department and removes it again', async () => {
    await openSection(page, ZH.nav.roles, ZH.roles.title);
    const department = page.getByRole('combobox', { name: ZH.fields.department });
    await department.click();
    await department.fill(DEPT_CODE);
    await pickOption(page, DEPT_CODE);
    // The role given at creation is listed.
    await page
      .getByRole('row')
      .filter({ hasText: STAFF_USERNAME })
      .filter({ hasText: ZH.roles.case_handler })
      .waitFor();

    const person = page.getByRole('combobox', { name: ZH.roles.person });
    await person.click();
    await person.fill(STAFF_USERNAME);
    await pickOption(page, STAFF_USERNAME);
    await page.getByRole('combobox', { name: ZH.roles.role }).click();
    await pickOption(page, ZH.roles.reviewer);
    await page.getByRole('button', { name: exact(ZH.roles.assign) }).click();
    const reviewer = page
      .getByRole('row')
      .filter({ hasText: STAFF_USERNAME })
      .filter({ hasText: ZH.roles.reviewer });
    await reviewer.waitFor();

    await reviewer.getByRole('button', { name: ZH.roles.remove }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: exact(ZH.roles.remove) })
      .click();
    await reviewer.waitFor({ state: 'detached' });
    expect(await page.getByRole('row').filter({ hasText: ZH.roles.case_handler }).count()).toBe(1);
  });

  it('switches to English and back, and the choice survives a reload', async () => {
    await openSection(page, ZH.nav.people, ZH.people.title);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: EN.people.title }).waitFor();
    await page
      .getByRole('navigation', { name: EN.nav.console })
      .getByRole('menuitem', { name: EN.nav.departments })
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    // Signed in, the choice is also saved in the profile (for other devices).
    const profileLocale = () =>
      page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { locale?: string }).locale);
    expect(await profileLocale()).toBe('en');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: EN.people.title }).waitFor();
    expect(await page.title()).toBe(`${EN.people.title} · Civitas`);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: ZH.people.title }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: ZH.people.title }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await profileLocale()).toBe('zh-CN');
  });

  it('finds the department creation in the audit log and verifies the chain', async () => {
    await openSection(page, ZH.nav.audit, ZH.audit.title);
    const action = page.getByRole('combobox', { name: ZH.audit.action });
    await action.fill('identity.department.create');
    await action.press('Escape');
    await page.getByRole('button', { name: exact(ZH.audit.applyFilters) }).click();
    // The demo city created its departments too; ours is the newest, by admin, naming the code.
    const row = page
      .getByRole('row')
      .filter({ hasText: 'identity.department.create' })
      .filter({ hasText: 'admin' })
      .first();
    await row.waitFor();
    expect(await row.textContent()).toContain(ZH.audit.actions.identity_department_create);
    await row.getByRole('button').first().click();
    await page.getByText(DEPT_CODE, { exact: false }).first().waitFor();

    await page.getByRole('button', { name: ZH.audit.verify }).click();
    await page.getByText(ZH.audit.verifyOk).waitFor();

    // the signed checkpoints and the key that signs them
    await page.getByRole('button', { name: ZH.audit.checkpoints.title }).click();
    await page.getByText(ZH.audit.checkpoints.intro).waitFor();
    const keyId = (await (await fetch(`${server.baseUrl}/.well-known/civitas-audit-key`)).json())
      .keyId as string;
    await page.getByText(keyId, { exact: true }).first().waitFor();
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
