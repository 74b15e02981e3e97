import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type AxeViolation, describeViolations, launchChromium, newContext, runAxe } from './browser.ts';
import { signIn } from './pages.ts';
import { type E2EServer, startE2EServer } from './server.ts';

// What the accessibility tests share: the browser and server they run on, signed-in contexts, and
// the checks they make on every page.

const BLOCKING = new Set<AxeViolation['impact']>(['serious', 'critical']);

/** Runs axe on the page as it is now; fails on serious or critical findings, prints the rest. */
export async function expectAccessible(page: Page, name: string) {
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
export async function expectLandmarks(page: Page) {
  expect(await page.getByRole('banner').count()).toBe(1);
  expect(await page.getByRole('main').count()).toBe(1);
  expect(await page.getByRole('navigation').count()).toBeGreaterThan(0);
}

/** Waits until no Ant Design spinner is spinning (data loaded), if one was. */
export async function settle(page: Page) {
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => {});
}

/** The browser and the e2e server of an accessibility test file. */
export interface A11yEnv {
  readonly browser: Browser;
  readonly server: E2EServer;
}

/** Starts the browser and the server before the file's tests and closes them after. */
export function a11yEnv(): A11yEnv {
  const env = {} as { browser: Browser; server: E2EServer };
  beforeAll(async () => {
    // The browser first: without one, fail at once rather than after loading the demo city.
    env.browser = await launchChromium();
    env.server = await startE2EServer();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * A fresh browser context signed in as `username` (with the demo's password for it unless given);
 * `onSignedIn` may use the page it signed in on (to seed data through the API) before it closes.
 */
export async function signedInContext(
  env: A11yEnv,
  username: string,
  password = env.server.passwordOf(username),
  onSignedIn?: (page: Page) => Promise<void>,
): Promise<BrowserContext> {
  const context = await newContext(env.browser, env.server.baseUrl);
  const page = await context.newPage();
  await signIn(page, username, password);
  await onSignedIn?.(page);
  await page.close();
  return context;
}

/**
 * Opens `path` in `context`, waits for its level-1 heading (named `heading`, any when empty) and its
 * data, then checks its landmarks and runs axe on it (reported as `name`). Returns the open page.
 */
export async function openAccessible(
  context: BrowserContext,
  name: string,
  path: string,
  heading: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(path);
  await page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) }).waitFor();
  await settle(page);
  await expectLandmarks(page);
  await expectAccessible(page, name);
  return page;
}

/** openAccessible for each page `[name, path, heading]` in turn, closing each after its checks. */
export async function expectPagesAccessible(context: BrowserContext, pages: [string, string, string][]) {
  for (const [name, path, heading] of pages)
    await (await openAccessible(context, name, path, heading)).close();
}
