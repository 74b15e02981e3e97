import fs from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless. A missing browser fails the suite with instructions rather than skipping it. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need it: install it (Debian/Ubuntu: ` +
        '`apt-get install chromium`) or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A fresh browser profile in Chinese (the platform's default audience), under the app's real
 * Content-Security-Policy (axe-core is evaluated through the DevTools protocol, which CSP does not
 * govern, so nothing needs relaxing). Reduced motion (which the app honours) keeps antd's transitions from racing the test: a button's
 * leaving "loading" icon, for one, can linger mid-animation in headless Chromium and change its name.
 */
export async function newContext(
  browser: Browser,
  baseURL: string,
  options: {
    viewport?: { width: number; height: number };
    storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
  } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    reducedMotion: 'reduce',
    viewport: options.viewport ?? { width: 1366, height: 900 },
    storageState: options.storageState,
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Uncaught errors and Content-Security-Policy violations of the page; a test asserts this stays empty. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) errors.push(msg.text());
  });
  return errors;
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.x A/AA rules and best practices) on the current page and returns its violations. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** One line per violation and offending element, for the test log. */
export function describeViolations(page: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      // The first element's summary says why (e.g. the measured contrast); the rest are usually alike.
      const why = v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ') ?? '';
      const where = v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n');
      return `[${page}] ${v.impact ?? 'n/a'} ${v.id}: ${v.help}\n    (${why})\n${where}`;
    })
    .join('\n');
}
