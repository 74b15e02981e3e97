import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/contracts/identifiers.ts';
import { collectPageErrors, launchChromium, newContext } from './support/browser.ts';
import { exact, openSection, signIn, ZH } from './support/pages.ts';
import { type E2EServer, startE2EServer } from './support/server.ts';

// People's own accounts: a resident registers, a staff member turns on two-factor sign-in and
// creates an API token — through the pages, against the real server.

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

const suffix = Date.now().toString(36);

describe('a resident registers', () => {
  it('is told about a wrong ID checksum and a weak password, then gets an account', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/register');
    const first17 = `33010219900307${String(Date.now() % 1000).padStart(3, '0')}`;
    const check = residentIdCheckChar(first17);
    const wrong = check === '1' ? '2' : '1';

    await page.getByLabel(ZH.fields.residentId).fill(first17 + wrong);
    await page.getByLabel(ZH.fields.displayName).fill('王小明');
    await page.getByLabel(ZH.fields.username).fill(`resident.${suffix}`);
    await page.getByLabel(ZH.fields.password, { exact: true }).fill('password123');
    await page.getByLabel(ZH.fields.confirmPassword).fill('password123');
    await page.getByRole('button', { name: exact(ZH.register.submit) }).click();
    await page.getByText(ZH.validation.residentId.checksum).waitFor();
    await page.getByText(ZH.password.common).first().waitFor();

    // Lower case: the form normalises it.
    await page.getByLabel(ZH.fields.residentId).fill((first17 + check).toLowerCase());
    await page.getByLabel(ZH.fields.password, { exact: true }).fill('Lanshan-Spring-2026');
    await page.getByLabel(ZH.fields.confirmPassword).fill('Lanshan-Spring-2026');
    await page.getByRole('button', { name: exact(ZH.register.submit) }).click();

    // Signed in straight away, in the resident's own area, with the ID masked.
    await page.waitForURL('**/account');
    await page.getByRole('heading', { level: 1, name: ZH.profile.accountTitle }).waitFor();
    const masked = `${first17.slice(0, 4)}**********${first17.slice(14)}${check}`;
    await page.getByText(masked).waitFor();
    expect(await page.getByText(first17 + check).count()).toBe(0);
    // Residents have no console.
    await page.goto('/console');
    await page.waitForURL('**/account');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a resident’s identity is verified at the counter', () => {
  const username = `verify.${suffix}`;
  const password = 'Lanshan-Counter-2026';

  it('sees no data access history until staff verify them, then sees it', async () => {
    const first17 = `33010219850611${String((Date.now() + 7) % 1000).padStart(3, '0')}`;
    const residentId = first17 + residentIdCheckChar(first17);
    const reg = await fetch(`${server.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'citizen',
        username,
        password,
        displayName: '白五',
        residentId,
      }),
    });
    expect(reg.status).toBe(201);

    const resident = await newContext(browser, server.baseUrl);
    const page = await resident.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/sign-in?next=/account/data-access');
    await page.getByLabel(ZH.fields.username).fill(username);
    await page.getByLabel(ZH.fields.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
    await page.waitForURL('**/account/data-access');
    // An explanation, not an error, and no table.
    await page.getByText(ZH.exchange.myData.unverifiedTitle).waitFor();
    await page.getByText(ZH.exchange.myData.unverified).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    // …which says that the counter also needs the code from the account page, and leads there.
    await page.getByText(ZH.exchange.myData.unverifiedCode).waitFor();
    await page.getByRole('link', { name: ZH.exchange.myData.accountLink }).click();
    await page.waitForURL('**/account');
    await page.getByText(ZH.profile.counterCode.title, { exact: true }).waitFor();
    await page.getByText(ZH.profile.identityUnverified, { exact: true }).waitFor();

    const staff = await newContext(browser, server.baseUrl);
    const desk = await staff.newPage();
    await signIn(desk, 'admin', server.passwordOf('admin'));
    await openSection(desk, ZH.nav.people, ZH.people.title);
    await desk.getByRole('searchbox', { name: ZH.people.search }).fill(username);
    await desk.getByRole('searchbox', { name: ZH.people.search }).press('Enter');
    const row = desk.getByRole('row', { name: new RegExp(username.replaceAll('.', '\\.')) });
    await row.getByText(ZH.people.identity.unverified, { exact: true }).waitFor();
    await desk.getByRole('button', { name: ZH.people.actionsFor.replace('{{name}}', username) }).click();
    // No verifying on the admin's word: the People page leads to the counter, where the holder's
    // code is needed as well as the document.
    await desk.getByRole('menuitem', { name: ZH.people.identity.verifyAtCounter }).click();
    const dialog = desk.getByRole('dialog').filter({ hasText: ZH.people.identity.verifyAtCounterHelp });
    await dialog.getByRole('button', { name: exact(ZH.people.identity.verifyAtCounter) }).click();
    await desk.waitForURL('**/console/identity-verification');
    const box = desk.getByLabel(ZH.counter.lookupLabel);
    await box.fill(residentId);
    await box.press('Enter');
    const card = desk.getByRole('region', { name: /白\*/ });
    await page.getByRole('button', { name: exact(ZH.profile.counterCode.get) }).click();
    const code = (await page.getByTestId('counter-code').textContent())?.trim() ?? '';
    await card.getByLabel(ZH.counter.code).fill(code);
    await card.getByLabel(ZH.counter.note).fill('身份证原件核验，政务服务中心窗口');
    await card.getByRole('button', { name: exact(ZH.counter.verify) }).click();
    await desk.getByText(ZH.counter.verifiedMessage.replace('{{name}}', '白*')).waitFor();
    await staff.close();

    await page.goto('/account/data-access');
    await page.getByText(ZH.exchange.myData.empty).waitFor();
    expect(await page.getByText(ZH.exchange.myData.unverifiedTitle).count()).toBe(0);
    // The export is in the interface's language, which the browser's Accept-Language may not be.
    const exportLink = page.getByRole('link', { name: ZH.exchange.myData.export });
    expect(await exportLink.getAttribute('href')).toBe('/api/me/data-access?format=csv&lang=zh-CN');
    expect(errors).toEqual([]);
    await resident.close();
  });
});

describe('a staff member secures their account', () => {
  let context: BrowserContext;
  let page: Page;
  let secret = '';

  beforeAll(async () => {
    context = await newContext(browser, server.baseUrl);
    page = await context.newPage();
  });

  it('turns on two-factor authentication with the QR code secret and gets recovery codes once', async () => {
    await signIn(page, 'admin', server.passwordOf('admin'));
    await page.getByRole('navigation').getByRole('menuitem', { name: ZH.nav.profile }).click();
    await page.getByRole('heading', { level: 1, name: ZH.profile.title }).waitFor();
    await page.getByRole('button', { name: ZH.mfa.setUp }).click();
    await page.getByRole('img', { name: ZH.mfa.qrAlt }).waitFor();
    secret = (await page.locator('.ant-typography code').first().textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    await page.getByLabel(ZH.fields.totpCode).fill(await generate({ secret }));
    await page.getByRole('button', { name: exact(ZH.mfa.enable) }).click();
    const codes = page.getByRole('list', { name: ZH.mfa.codesTitle }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBeGreaterThanOrEqual(8);
    await page.getByRole('button', { name: ZH.mfa.codesSaved }).click();
    await page.getByText(ZH.mfa.on, { exact: true }).waitFor();
    expect(await page.getByRole('list', { name: ZH.mfa.codesTitle }).count()).toBe(0);
  });

  it('then needs a code to sign in, and a wrong one is refused', async () => {
    await page.getByRole('button', { name: new RegExp(ZH.nav.userMenu.replace('{{name}}', '.+')) }).click();
    await page.getByRole('menuitem', { name: ZH.nav.signOut }).click();
    await page.waitForURL((url) => url.pathname === '/');

    await page.goto('/sign-in');
    await page.getByLabel(ZH.fields.username).fill('admin');
    await page.getByLabel(ZH.fields.password, { exact: true }).fill(server.passwordOf('admin'));
    await page.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
    await page.getByRole('heading', { level: 1, name: ZH.signIn.mfaTitle }).waitFor();

    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const wrong = String((Number(next) + 1) % 1_000_000).padStart(6, '0');
    await page.getByLabel(ZH.fields.totpCode).fill(wrong);
    await page.getByRole('button', { name: exact(ZH.signIn.verify) }).click();
    await page.getByRole('alert').filter({ hasText: ZH.errors.auth.invalid_mfa_code }).waitFor();

    // The code of the next time step: the one used to enrol cannot be replayed.
    await page.getByLabel(ZH.fields.totpCode).fill(next);
    await page.getByRole('button', { name: exact(ZH.signIn.verify) }).click();
    await page.waitForURL('**/console');
  });

  it('creates an API token that is shown once, and revokes it', async () => {
    await page.goto('/console/profile');
    const name = `sync-${suffix}`;
    await page.getByLabel(ZH.tokens.name).fill(name);
    await page.getByRole('button', { name: ZH.tokens.create }).click();
    const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^cvt_/);

    // The token works against the API.
    const res = await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);

    await page.reload();
    await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    expect(await page.getByText(token).count()).toBe(0);
    await page.getByRole('button', { name: ZH.tokens.revokeLabel.replace('{{name}}', name) }).click();
    await page
      .getByRole('button', { name: exact(ZH.tokens.revoke) })
      .last()
      .click();
    await page
      .getByRole('row', { name: new RegExp(name) })
      .getByText(ZH.tokens.revoked)
      .waitFor();
    const after = await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });
});

describe('a department admin', () => {
  it('sees only their sections, and an expired session sends them to sign in and back', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'zhao.min', server.passwordOf('zhao.min'));
    const nav = page.getByRole('navigation', { name: ZH.nav.console });
    await nav.getByRole('menuitem', { name: ZH.nav.people }).waitFor();
    await nav.getByRole('menuitem', { name: ZH.nav.roles }).waitFor();
    for (const hidden of [ZH.nav.departments, ZH.nav.tokens, ZH.nav.audit]) {
      expect(await nav.getByRole('menuitem', { name: hidden }).count()).toBe(0);
    }
    // Typing the address of a section they may not open shows nothing of it.
    await page.goto('/console/audit');
    await page.getByRole('heading', { level: 1, name: ZH.notFound.title }).waitFor();

    // The session ends behind the page's back (expiry, sign-out elsewhere).
    await context.clearCookies();
    await nav.getByRole('menuitem', { name: ZH.nav.people }).click();
    await page.waitForURL(
      (url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/console/people',
    );

    await page.getByLabel(ZH.fields.username).fill('zhao.min');
    await page.getByLabel(ZH.fields.password, { exact: true }).fill(server.passwordOf('zhao.min'));
    await page.getByLabel(ZH.fields.password, { exact: true }).press('Enter');
    await page.waitForURL('**/console/people');
    await page.getByRole('heading', { level: 1, name: ZH.people.title }).waitFor();
    await context.close();
  });
});
