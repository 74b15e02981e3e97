import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/contracts/identifiers.ts';
import { auditEntries } from '../../src/server/modules/identity/identity.test-helpers.ts';
import { applyDueReleases } from '../../src/server/modules/identity/index.ts';
import { expectAccessible } from './support/axe-checks.ts';
import { collectPageErrors, launchChromium, newContext } from './support/browser.ts';
import { exact, openSection, signIn, ZH } from './support/pages.ts';
import { type E2EServer, startE2EServer } from './support/server.ts';

// Real-name verification at the service-hall counter, through the pages: the resident gets a one-time
// counter code on their account page; the demo's counter clerk finds them by the full ID number, sees
// only the masked account, and records the check with the code, keyboard alone; the resident's
// account then shows them verified. A squatter's account (registered with someone else's number)
// cannot be verified without its code, and the clerk releases the number from it.

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startE2EServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the identity-verification counter', () => {
  it('finds one account by the full ID number and verifies it with the document checked', async () => {
    const first17 = `33010219790923${String(Date.now() % 1000).padStart(3, '0')}`;
    const id = first17 + residentIdCheckChar(first17);
    const username = `counter.${Date.now().toString(36)}`;
    const password = 'Lanshan-Counter-2026';
    const reg = await fetch(`${server.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'citizen', username, password, displayName: '欧阳小峰', residentId: id }),
    });
    expect(reg.status).toBe(201);

    // The resident is told where to go: any service hall's counter, with the ID card.
    const resident = await newContext(browser, server.baseUrl);
    const own = await resident.newPage();
    await own.goto('/sign-in?next=/account');
    await own.getByLabel(ZH.fields.username).fill(username);
    await own.getByLabel(ZH.fields.password, { exact: true }).fill(password);
    await own.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
    await own.waitForURL('**/account');
    await own.getByText(ZH.profile.identityUnverifiedHelp).waitFor();
    expect(ZH.profile.identityUnverifiedHelp).toContain('任一政务服务大厅');
    // At the counter, the resident gets a one-time code to show with the card.
    await own.getByText(ZH.profile.counterCode.help).waitFor();
    await own.getByRole('button', { name: exact(ZH.profile.counterCode.get) }).click();
    const shown = own.getByTestId('counter-code');
    await shown.waitFor();
    const code = ((await shown.textContent()) ?? '').trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    await own
      .getByText(new RegExp(`^${ZH.profile.counterCode.validUntil.replace(/\{\{time\}\}.*$/, '')}`))
      .waitFor();
    await expectAccessible(own, 'account page with counter code');

    const staff = await newContext(browser, server.baseUrl);
    const page = await staff.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, 'gu.wen', server.passwordOf('gu.wen'));
    // The clerk's console holds the counter and their own profile, not the people list or the data hub.
    const nav = page.getByRole('navigation').getByRole('menuitem');
    expect(await nav.allInnerTexts()).toEqual([ZH.nav.overview, ZH.nav.counter, ZH.nav.profile]);
    await openSection(page, ZH.nav.counter, ZH.counter.title);

    const box = page.getByLabel(ZH.counter.lookupLabel);
    // A partial number is refused before it is sent.
    await box.fill(id.slice(0, 12));
    await box.press('Enter');
    await page.getByText(ZH.counter.errors.invalid_identifier).waitFor();

    await box.fill(id.toLowerCase());
    await box.press('Enter');
    const card = page.getByRole('region', { name: /欧\*\*峰/ });
    await card.waitFor();
    await card.getByText(`${id.slice(0, 4)}**********${id.slice(14)}`).waitFor();
    await card.getByText(ZH.counter.unverified, { exact: true }).waitFor();
    // Neither the name nor the number nor the username is shown in clear.
    for (const clear of ['欧阳小峰', id, username]) expect(await page.getByText(clear).count()).toBe(0);
    // The result is announced: focus moves to the live region holding it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-live'))).toBe('polite');
    await expectAccessible(page, 'counter verification');

    // Keyboard only: the code and the note are required, then Enter submits them.
    const codeBox = card.getByLabel(ZH.counter.code);
    const note = card.getByLabel(ZH.counter.note);
    await note.focus();
    await note.press('Enter');
    await card.locator('.ant-form-item-explain-error').first().waitFor();
    expect(await card.locator('.ant-form-item-explain-error').count()).toBe(2);
    // A wrong code is refused and counted.
    await codeBox.fill(code.startsWith('A') ? 'BBBB-BBBB' : 'AAAA-AAAA');
    await note.fill('居民身份证原件');
    await note.press('Enter');
    await card.getByText(ZH.counter.errors.counter_code_wrong.replace('{{left}}', '4')).waitFor();
    await codeBox.fill(code.toLowerCase());
    await note.press('Enter');
    await page.getByText(ZH.counter.verifiedMessage.replace('{{name}}', '欧**峰')).waitFor();
    await card.getByText(/^已于 .+ 核验$/).waitFor();
    expect(await card.getByLabel(ZH.counter.note).count()).toBe(0);
    expect(await card.getByLabel(ZH.counter.code).count()).toBe(0);
    await expectAccessible(page, 'counter verification, verified');
    expect(errors).toEqual([]);
    await staff.close();

    await own.reload();
    await own
      .getByText(
        new RegExp(`^${ZH.profile.identityVerified.replace('{{date}}', '.+').replace(/[（）()]/g, '.')}$`),
      )
      .waitFor();
    // Verified: no more counter code to get.
    expect(await own.getByRole('button', { name: exact(ZH.profile.counterCode.get) }).count()).toBe(0);
    await resident.close();
  });

  it('releases the number from a squatter’s account after a notice period, warning and then telling its holder', async () => {
    const first17 = `33010219811103${String((Date.now() + 500) % 1000).padStart(3, '0')}`;
    const id = first17 + residentIdCheckChar(first17);
    const register = (username: string, displayName: string) =>
      fetch(`${server.baseUrl}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'citizen',
          username,
          password: 'Lanshan-Counter-2026',
          displayName,
          residentId: id,
        }),
      });
    // Someone registered first with this number; the real holder cannot.
    const squatter = `squat.${Date.now().toString(36)}`;
    expect((await register(squatter, '王五')).status).toBe(201);
    expect((await register(`holder.${Date.now().toString(36)}`, '李雷')).status).toBe(409);

    const staff = await newContext(browser, server.baseUrl);
    const page = await staff.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, 'gu.wen', server.passwordOf('gu.wen'));
    await openSection(page, ZH.nav.counter, ZH.counter.title);
    const box = page.getByLabel(ZH.counter.lookupLabel);
    await box.fill(id);
    await box.press('Enter');
    const card = page.getByRole('region', { name: /王\*/ });
    await card.waitFor();

    // The card holder has no code for this account: the clerk asks for the release, giving a reason.
    await card.getByRole('button', { name: exact(ZH.counter.release) }).click();
    const dialog = page.getByRole('dialog', { name: ZH.counter.releaseTitle.replace('{{name}}', '王*') });
    await dialog.waitFor();
    await dialog.getByText(ZH.counter.releaseHelp).waitFor();
    await expectAccessible(page, 'counter release dialog');
    await dialog.getByRole('button', { name: exact(ZH.counter.releaseConfirm) }).click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    await dialog.getByLabel(ZH.counter.releaseNote).fill('持身份证原件本人称未注册此账户');
    await dialog.getByRole('button', { name: exact(ZH.counter.releaseConfirm) }).click();
    // Not at once: the release waits out its notice period (the card might be stolen).
    const due = new Date(Date.now() + 14 * 86_400_000).toLocaleDateString('zh-CN');
    const dueText = (s: string) => s.replace('{{date}}', '.+');
    await page
      .getByText(new RegExp(dueText(ZH.counter.releasedMessage.replace('{{name}}', '王\\*'))))
      .waitFor();
    await card
      .getByText(new RegExp(`^${dueText(ZH.counter.releasePending).replace(/[（）]/g, '.')}$`))
      .waitFor();
    expect(await card.getByText(ZH.counter.disabled, { exact: true }).count()).toBe(0);
    // The person may still show a code to verify; the release cannot be asked for twice.
    await card.getByLabel(ZH.counter.code).waitFor();
    expect(await card.getByRole('button', { name: exact(ZH.counter.release) }).count()).toBe(0);
    expect(errors).toEqual([]);
    await staff.close();
    expect((await register(`holder1.${Date.now().toString(36)}`, '李雷')).status).toBe(409);

    // The account's holder is warned at sign-in and taken to their account page, with the way out.
    const held = await newContext(browser, server.baseUrl);
    const own = await held.newPage();
    const ownErrors = collectPageErrors(own);
    await own.goto('/sign-in');
    await own.getByLabel(ZH.fields.username).fill(squatter);
    await own.getByLabel(ZH.fields.password, { exact: true }).fill('Lanshan-Counter-2026');
    await own.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
    await own.waitForURL('**/account');
    const warning = own.getByRole('alert').filter({ hasText: ZH.identifierRelease.pendingText });
    await warning.waitFor();
    expect(await warning.textContent()).toContain(ZH.identifierRelease.pendingTitle.replace('{{date}}', due));
    await expectAccessible(own, 'account page with a pending release');

    // The notice period ends unverified: the release takes effect, and the next sign-in says why.
    await server.ctx.db
      .updateTable('people')
      .set({ identifier_release_due_at: new Date(Date.now() - 1000) })
      .where('username', '=', squatter)
      .execute();
    expect(await applyDueReleases(server.ctx)).toBeGreaterThanOrEqual(1);
    await own.goto('/sign-in');
    await own.getByLabel(ZH.fields.username).fill(squatter);
    await own.getByLabel(ZH.fields.password, { exact: true }).fill('Lanshan-Counter-2026');
    await own.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
    const notice = own.getByRole('alert').filter({ hasText: ZH.identifierRelease.releasedTitle });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      ZH.identifierRelease.releasedText.replace('{{date}}', new Date().toLocaleDateString('zh-CN')),
    );
    expect(ownErrors).toEqual([]);
    await held.close();

    // The real holder can now register with their own number.
    expect((await register(`holder2.${Date.now().toString(36)}`, '李雷')).status).toBe(201);
  });

  it('lets an admin follow up pending releases on the People page and stop one, with a reason', async () => {
    const first17 = `33010219850612${String((Date.now() + 250) % 1000).padStart(3, '0')}`;
    const id = first17 + residentIdCheckChar(first17);
    const username = `hotline.${Date.now().toString(36)}`;
    const reg = await fetch(`${server.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'citizen',
        username,
        password: 'Lanshan-Counter-2026',
        displayName: '赵六',
        residentId: id,
      }),
    });
    expect(reg.status).toBe(201);
    const personId = (await reg.json()).person.id as string;

    // The counter clerk asks for the release (through the API: the counter page is covered above).
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gu.wen', password: server.passwordOf('gu.wen') }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = (await (await fetch(`${server.baseUrl}/api/me`, { headers: { cookie } })).json()).csrfToken;
    const asked = await fetch(`${server.baseUrl}/api/identity-verification/release`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ identifier: id, personId, note: '持证人称未注册此账户' }),
    });
    expect(asked.status).toBe(200);
    const dueAt = (await asked.json()).releaseDueAt as string;
    const dueDate = new Date(dueAt).toLocaleDateString('zh-CN');

    const staff = await newContext(browser, server.baseUrl);
    const page = await staff.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, 'admin', server.passwordOf('admin'));
    await openSection(page, ZH.nav.people, ZH.people.title);

    // Pending releases only: due date, the asking counter's department and clerk.
    await page.getByRole('checkbox', { name: ZH.people.identity.pendingOnly }).check();
    const pending = page.getByRole('region', { name: ZH.people.identity.pendingTitle });
    const pendingRow = pending.getByRole('row', { name: /赵\*/ });
    await pendingRow.waitFor();
    for (const text of [dueDate, '岚山市政务服务中心', 'gu.wen']) {
      await pendingRow.getByText(text, { exact: true }).waitFor();
    }
    await expectAccessible(page, 'people page, pending releases');
    // The list's own stop button opens the same dialog (left here with Cancel).
    await pendingRow
      .getByRole('button', { name: ZH.people.identity.stopFor.replace('{{name}}', '赵*') })
      .click();
    const fromList = page.getByRole('dialog', {
      name: ZH.people.identity.stopReleaseTitle.replace('{{name}}', '赵*'),
    });
    await fromList.getByText(ZH.people.identity.stopReleaseHelp.replace('{{date}}', dueDate)).waitFor();
    await expectAccessible(page, 'stop release dialog');
    await fromList.getByRole('button', { name: exact(ZH.common.cancel) }).click();
    await fromList.waitFor({ state: 'hidden' });
    await page.getByRole('checkbox', { name: ZH.people.identity.pendingOnly }).uncheck();

    // The account's row shows the pending release, and its actions can stop it.
    const search = page.getByRole('searchbox', { name: ZH.people.search });
    await search.fill(username);
    await search.press('Enter');
    const row = page.getByRole('row', { name: new RegExp(username.replaceAll('.', '\\.')) });
    const tag = ZH.people.identity.releasePending.replace('{{date}}', dueDate);
    await row.getByText(tag, { exact: true }).waitFor();
    await page.getByRole('button', { name: ZH.people.actionsFor.replace('{{name}}', username) }).click();
    await page.getByRole('menuitem', { name: ZH.people.identity.stopRelease }).click();
    const dialog = page.getByRole('dialog', {
      name: ZH.people.identity.stopReleaseTitle.replace('{{name}}', '赵六'),
    });
    await dialog.waitFor();
    await dialog.getByText(ZH.people.identity.stopReleaseHelp.replace('{{date}}', dueDate)).waitFor();
    // A reason is required.
    await dialog.getByRole('button', { name: exact(ZH.people.identity.stopConfirm) }).click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    await dialog.getByLabel(ZH.people.identity.stopReason).fill('账户持有人致电12345热线，将到窗口核验');
    await dialog.getByRole('button', { name: exact(ZH.people.identity.stopConfirm) }).click();
    await page.getByText(ZH.people.identity.stoppedMessage.replace('{{name}}', '赵六')).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText(ZH.people.identity.unverified, { exact: true }).waitFor();
    expect(await row.getByText(tag, { exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
    await staff.close();

    // Nothing will be released, and the stop is on record with its reason and who stopped it.
    const account = await server.ctx.db
      .selectFrom('people')
      .select(['identifier_release_due_at', 'resident_id_masked', 'status'])
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({ identifier_release_due_at: null, status: 'active' });
    expect(account.resident_id_masked).not.toBeNull();
    const entry = (await auditEntries(server.ctx, 'identity.person.release_cancelled')).find(
      (e) => e.target_id === personId,
    );
    expect(entry).toMatchObject({
      actor_label: 'admin',
      details: { at: 'admin', reason: '账户持有人致电12345热线，将到窗口核验', dueAt },
    });
  });
});
