import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createChatSynthClient } from '@chatsynth/client';
import { startBuiltServer, type RunningServer } from '@chatsynth/server/testing';

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

export const PASSWORD = 'correct horse battery';

/**
 * One built server and one Chromium for a test file. Pages come from `newPage`; after each test their
 * contexts close, and any console error or uncaught exception on them fails that test. A request a test
 * makes fail on purpose (a refused upload, a revoked session) logs "Failed to load resource", which is allowed.
 */
export function browserSuite() {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  beforeAll(async () => {
    server = await startServerWithWebApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    const unexpected = problems.filter((p) => !p.includes('Failed to load resource'));
    problems = [];
    expect(unexpected).toEqual([]);
  });

  return {
    get server(): RunningServer {
      if (!server) throw new Error('The server starts in beforeAll.');
      return server;
    },
    async newPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
      const opened = await openPage(browser!, server!.url, { colorScheme });
      contexts.push(opened.context);
      problems = opened.problems;
      return opened.page;
    },
    /** Signs up in the browser and returns an API client signed in as the same person, to set up data. */
    async signUpWithApi(page: Page, username: string) {
      await this.signUpInBrowser(page, username);
      const url = server!.url;
      const { token } = await createChatSynthClient({ url }).auth.signIn.mutate({ login: username, password: PASSWORD });
      return createChatSynthClient({ url, token });
    },
    /** Signs up through the form and waits for the library. */
    async signUpInBrowser(page: Page, username: string) {
      await page.goto('/signup');
      await page.getByLabel('Username', { exact: true }).fill(username);
      await page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    },
  };
}
