import type { Page } from 'playwright-core';
import { en, zhCN } from '../../../src/web/app/locales/index.ts';

// The tests find things the way people do — by visible labels and roles — using the app's own
// strings, so a reworded label does not break them but a missing or wrong label does.

export const ZH = zhCN;
export const EN = en;

/** Escapes a string for an exact, anchored RegExp (for role names that must match whole). */
export const exact = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Signs in through the form (Chinese interface) and waits for the console. */
export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel(ZH.fields.username).fill(username);
  await page.getByLabel(ZH.fields.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: exact(ZH.signIn.submit) }).click();
  await page.waitForURL('**/console');
  await page.getByRole('heading', { level: 1, name: ZH.overview.title }).waitFor();
}

/** Opens a console section through the side navigation. */
export async function openSection(page: Page, label: string, heading: string) {
  await page.getByRole('navigation').getByRole('menuitem', { name: label }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Picks an option of an antd Select/TreeSelect whose popup is open, by its visible text. */
export async function pickOption(page: Page, text: string) {
  const option = page.locator('.ant-select-dropdown:visible').getByText(text, { exact: false }).first();
  await option.click();
}
