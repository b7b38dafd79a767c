import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBuiltServer } from '@chatsynth/server/testing';

export const CHROMIUM = '/usr/bin/chromium';
export const webDist = fileURLToPath(new URL('../../dist', import.meta.url));
export const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

/** The built server serving the built web app, on a fresh database. */
export async function startServerWithWebApp() {
  if (!existsSync(`${webDist}/index.html`)) {
    throw new Error(`${webDist}/index.html is missing: build the web app first (\`pnpm build\` at the root).`);
  }
  return startBuiltServer({ env: { CHATSYNTH_WEB_DIST: webDist } });
}

/** Debian's Chromium, headless. Missing it is a failure, not a skip: the browser tests are the web app's tests. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; install it with \`apt-get install -y chromium\`.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A browser context whose page records console errors, uncaught exceptions and failed requests. */
export async function openPage(browser: Browser, baseURL: string, options: { colorScheme?: 'light' | 'dark' } = {}) {
  const context: BrowserContext = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  const page: Page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: options.fullPage ?? true });
}
