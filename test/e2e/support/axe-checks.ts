import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type AxeViolation, describeViolations, runAxe } from './browser.ts';

// The checks the accessibility tests make on every page.

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
