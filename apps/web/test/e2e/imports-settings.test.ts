import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { createChatSynthClient } from '@chatsynth/client';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { seriousViolations } from './axe';
import { PASSWORD, browserSuite, screenshot, screenshotDir } from './harness';

const suite = browserSuite();
const newPage = suite.newPage;

async function signUp(page: Page, username: string) {
  await suite.signUpInBrowser(page, username);
}

/** A second session of the user's, as another program would hold it. */
async function apiSession(login: string, password = PASSWORD) {
  const { token } = await createChatSynthClient({ url: suite.server.url }).auth.signIn.mutate({ login, password });
  return { token, api: createChatSynthClient({ url: suite.server.url, token }) };
}

/**
 * Answers the browser's tRPC calls to `procedure` with a server error until the returned `stop` is
 * called: the query client retries a server error twice on its own, so one refusal would never reach
 * the page. Calls batched into the same request still get the server's real answers.
 */
async function failUntilStopped(page: Page, procedure: string) {
  const procedures = (url: URL) => (url.pathname.startsWith('/trpc/') ? url.pathname.slice('/trpc/'.length).split(',') : []);
  const matches = (url: URL) => procedures(url).includes(procedure);
  const handler = async (route: Route) => {
    const names = procedures(new URL(route.request().url()));
    const answers = (await (await route.fetch()).json()) as unknown[];
    answers[names.indexOf(procedure)] = {
      error: { json: { message: 'The database is not answering.', code: -32603, data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path: procedure } } },
    };
    // As the server answers a batch: 207 when some calls succeeded, the error's own status when none did.
    await route.fulfill({ status: names.length > 1 ? 207 : 500, json: answers });
  };
  await page.route(matches, handler);
  return () => page.unroute(matches, handler);
}

function sidebarLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** A ChatGPT conversations.json with `count` conversations, long enough for the upload to take a while. */
function chatgptExport(count: number, padding = 1) {
  const conversations = Array.from({ length: count }, (_, i) =>
    chatgptConversation({
      id: `conv-${i}`,
      title: `Imported conversation ${i + 1}`,
      createTime: 1_700_000_000 + i * 3600,
      turns: [
        { user: `Question ${i + 1}: ${'why? '.repeat(padding)}`, assistant: `Answer ${i + 1}.` },
        { user: 'Thanks!', assistant: 'You are welcome.' },
      ],
    }),
  );
  return Buffer.from(JSON.stringify(conversations));
}

async function chooseFile(page: Page, name: string, buffer: Buffer, mimeType = 'application/json') {
  await page.getByLabel('Choose a file…').setInputFiles({ name, mimeType, buffer });
}

async function count(page: Page, scope: string, label: string) {
  return (await page.locator(`${scope} .import-counts div`, { hasText: label }).locator('dd').first().textContent())?.trim();
}

describe('imports and settings in Chromium against the built server', () => {
  it('uploads a ChatGPT export with progress, reports it, finds it in the library, re-imports it unchanged and shows upload errors', async () => {
    const page = await newPage();
    await signUp(page, 'importer');
    // The empty library points to the import page.
    await page.locator('.empty-state').getByRole('link', { name: 'import' }).click();
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    expect(await sidebarLink(page, 'Imports').getAttribute('aria-current')).toBe('page');
    await page.getByText('No imports yet.').waitFor();

    // Slow the upload down so its progress bar shows (about 2 s for this file).
    const file = chatgptExport(12, 4000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: file.length / 2 });
    await chooseFile(page, 'conversations.json', file);
    const uploadBar = page.getByRole('progressbar', { name: /^Uploading conversations\.json/ });
    await uploadBar.waitFor();
    expect(await uploadBar.getAttribute('aria-valuetext')).toMatch(/^\d+%, .+ of .+ KB$/);
    await uploadBar.waitFor({ state: 'detached', timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // The job, followed live, ends at 100% with its report.
    const current = page.locator('.current-import');
    const jobBar = current.getByRole('progressbar', { name: 'Import progress' });
    await current.locator('.status-badge', { hasText: 'Finished' }).waitFor({ timeout: 30_000 });
    expect(await jobBar.getAttribute('aria-valuenow')).toBe('100');
    expect(await count(page, '.current-import', 'Created')).toBe('12');
    expect(await count(page, '.current-import', 'Unchanged')).toBe('0');
    expect(await count(page, '.current-import', 'Failed')).toBe('0');
    await current.getByText('No problems: every conversation was taken.').waitFor();
    await screenshot(page, 'imports-report-light');

    // The conversations are in the library.
    await sidebarLink(page, 'Library').click();
    await page.locator('.chat-list').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.chat-row').length === 12);
    expect(await page.locator('.chat-row-title').first().textContent()).toBe('Imported conversation 12');
    await page.getByRole('link', { name: 'Imported conversation 3' }).click();
    await page.getByRole('heading', { name: 'Imported conversation 3', level: 1 }).waitFor();
    expect(await page.locator('.conversation .message').count()).toBe(4);

    // The same file again changes nothing.
    await sidebarLink(page, 'Imports').click();
    await chooseFile(page, 'conversations.json', file);
    await page.locator('.current-import .status-badge', { hasText: 'Finished' }).waitFor({ timeout: 30_000 });
    expect(await count(page, '.current-import', 'Unchanged')).toBe('12');
    expect(await count(page, '.current-import', 'Created')).toBe('0');
    expect(await count(page, '.current-import', 'Updated')).toBe('0');

    // A broken conversation is named in the report, with why.
    const withBroken = JSON.parse(chatgptExport(1).toString()) as unknown[];
    withBroken.push({ id: 'conv-broken', title: 'Broken one', mapping: { a: { id: 'a', message: { author: 'nobody' } } }, current_node: 'missing' });
    await page.getByLabel('Format').selectOption('chatgpt');
    await chooseFile(page, 'partly-broken.json', Buffer.from(JSON.stringify(withBroken)));
    await page.locator('.current-import .status-badge', { hasText: /Finished|Failed/ }).waitFor({ timeout: 30_000 });
    const problemItems = page.locator('.current-import .import-problems li');
    expect(await problemItems.count()).toBeGreaterThan(0);
    expect(await problemItems.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Broken one')]));
    await screenshot(page, 'imports-problems-light');

    // A file that is no export is refused, and says why.
    await page.getByLabel('Format').selectOption('auto');
    await chooseFile(page, 'garbage.bin', Buffer.from([0, 1, 2, 3, 255, 254, 7, 42]), 'application/octet-stream');
    const error = page.locator('.upload-error .form-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Could not import garbage\.bin: .+/);
    await screenshot(page, 'imports-error-light');

    // The past imports, newest first, each opening to its report.
    const past = page.locator('.import-list > li');
    await page.waitForFunction(() => document.querySelectorAll('.import-list > li').length === 3);
    expect(await past.nth(2).locator('summary').textContent()).toContain('12 created, 0 updated, 0 unchanged, 0 failed');
    expect(await past.nth(1).locator('summary').textContent()).toContain('0 created, 0 updated, 12 unchanged, 0 failed');
    await past.nth(2).locator('summary').click();
    await past.nth(2).getByText('No problems: every conversation was taken.').waitFor();
    expect(await past.nth(2).locator('.import-counts').textContent()).toContain('Created12');
  });

  it('changes the profile, creates an API token shown once, revokes sessions and changes the password', async () => {
    const page = await newPage();
    await signUp(page, 'settler');
    await apiSession('settler'); // another device
    await createChatSynthClient({ url: suite.server.url }).auth.signUp.mutate({ username: 'neighbour', email: 'neighbour@example.com', password: PASSWORD });

    // Sessions that fail to load say so and offer Try again, which loads them.
    const stopFailing = await failUntilStopped(page, 'auth.sessions.list');
    await sidebarLink(page, 'Settings').click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const sessionsSection = page.getByRole('region', { name: 'Active sessions' });
    const loadError = sessionsSection.getByRole('alert');
    await loadError.getByText('Could not load your sessions. Something went wrong on the server.').waitFor();
    await screenshot(page, 'settings-sessions-error-light');
    await stopFailing();
    await loadError.getByRole('button', { name: 'Try again' }).click();
    await sessionsSection.getByRole('list', { name: 'Sessions' }).waitFor();
    expect(await sessionsSection.getByRole('listitem').count()).toBe(2);
    expect(await loadError.count()).toBe(0);
    // The tokens, asked for alongside, loaded all along.
    expect(await page.getByText('No tokens yet.').count()).toBe(1);

    // Profile: the sidebar shows the new name at once; a taken email is named under its field.
    await page.getByLabel('Display name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor();
    expect(await page.locator('.sidebar .account-name').textContent()).toBe('Signed in as Ada Lovelace');
    await page.getByLabel('Email', { exact: true }).fill('neighbour@example.com');
    await page.getByRole('button', { name: 'Save profile' }).click();
    const email = page.getByLabel('Email', { exact: true });
    await page.getByText('That email is already registered.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('That email is already registered.');
    await email.fill('ada@example.com');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor();

    // An API token: its scopes all checked at first, at least one needed.
    const scopes = page.getByRole('group', { name: 'What it may do' });
    const scopeBoxes = ['Read', 'Write', 'Import'].map((name) => scopes.getByRole('checkbox', { name, exact: true }));
    for (const box of scopeBoxes) expect(await box.isChecked()).toBe(true);
    await page.getByLabel('Token name').fill('laptop CLI');
    for (const box of scopeBoxes) await box.uncheck();
    await page.getByRole('button', { name: 'Create token' }).click();
    await scopes.getByText('Choose at least one.').waitFor();
    expect(await scopes.getAttribute('aria-describedby')).toContain('token-scopes-error');
    await scopes.screenshot({ path: `${screenshotDir}/settings-token-scopes-error-light.png` });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.getByText('No tokens yet.').count()).toBe(1);
    await scopeBoxes[0]!.check();
    expect(await scopes.getByText('Choose at least one.').count()).toBe(0);
    await scopeBoxes[2]!.check();

    // Shown once, with a warning saying what it can do, and it does just that.
    await page.getByLabel('Expires').selectOption('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const tokenField = page.getByRole('textbox', { name: 'API token' });
    await tokenField.waitFor();
    const token = await tokenField.inputValue();
    expect(token).toMatch(/^csk_/);
    await page.getByText('It will not be shown again').waitFor();
    await page.getByText('Anyone with it can read and import files into your chat logs.').waitFor();
    const viaToken = createChatSynthClient({ url: suite.server.url, token });
    expect((await viaToken.auth.me.query())?.username).toBe('settler');
    expect((await viaToken.chatlogs.list.query({})).items).toEqual([]);
    const refused = await viaToken.tags.rename.mutate({ from: 'a', to: 'b' }).catch((error: { data?: { code?: string }; message: string }) => error);
    expect(refused).toMatchObject({ data: { code: 'FORBIDDEN' }, message: 'This API token lacks the write scope.' });
    // The form is ready for the next token, every scope checked again.
    for (const box of scopeBoxes) expect(await box.isChecked()).toBe(true);
    await screenshot(page, 'settings-token-light');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const listedToken = page.getByRole('list', { name: 'API tokens' }).getByRole('listitem').filter({ hasText: 'laptop CLI' });
    await listedToken.getByText('Scopes: read, import').waitFor();
    expect(await page.getByRole('textbox', { name: 'API token' }).count()).toBe(0);
    await page.reload();
    await listedToken.getByText('Scopes: read, import').waitFor();
    expect(await page.content()).not.toContain(token);

    // Revoking asks first.
    await page.getByRole('button', { name: 'Revoke token laptop CLI' }).click();
    await page.getByText('Revoke “laptop CLI”? Programs using it stop working at once.').waitFor();
    await page.getByRole('button', { name: 'Revoke token', exact: true }).click();
    await page.getByRole('list', { name: 'API tokens' }).getByText(/^Revoked /).waitFor();
    expect(await viaToken.auth.me.query().catch(() => null)).toBeNull();

    // Sessions: this browser, marked, and the other device, which can be revoked.
    const sessions = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    expect(await sessions.count()).toBe(2);
    expect(await sessions.filter({ hasText: 'This device' }).textContent()).toContain('Chrome on Linux');
    const other = await apiSession('settler');
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Sessions"] > li').length === 3);
    await sessions.filter({ hasNotText: 'This device' }).first().getByRole('button', { name: /^Revoke session/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Sessions"] > li').length === 2);

    // The password: confirmation must match, the current one must be right, then other sessions end.
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('a much better secret');
    await page.getByLabel('Confirm new password').fill('a much better secre');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The two new passwords are not the same.').waitFor();
    await page.getByLabel('Current password').fill('wrong password');
    await page.getByLabel('Confirm new password').fill('a much better secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password is not correct.').waitFor();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Your other sessions were signed out').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Sessions"] > li').length === 1);
    expect(await other.api.auth.me.query().catch(() => null)).toBeNull();
    expect((await apiSession('settler', 'a much better secret')).token).toBeTruthy();
    await screenshot(page, 'settings-light');

    // Revoking this device's session signs out here.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out here (revoke this device’s session)' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Sessions"] > li').length === 2);
    await page.getByRole('button', { name: 'Sign out here (revoke this device’s session)' }).click();
    await page.waitForURL('**/signin');
    await page.goto('/settings');
    await page.waitForURL('**/signin?next=%2Fsettings');
  });

  it('navigates with the sidebar, focuses search with /, and folds the sidebar into a menu on a phone', async () => {
    const page = await newPage();
    await signUp(page, 'navigator');
    expect(await sidebarLink(page, 'Library').getAttribute('aria-current')).toBe('page');
    const labels = await page.getByRole('navigation', { name: 'Main' }).getByRole('listitem').allTextContents();
    expect(labels).toEqual(['Library', 'Search', 'Tags', 'Imports', 'Stats', 'Trash', 'Settings']);
    for (const [name, heading] of [
      ['Imports', 'Imports'],
      ['Settings', 'Settings'],
      ['Library', 'Library'],
    ] as const) {
      await sidebarLink(page, name).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      expect(await sidebarLink(page, name).getAttribute('aria-current')).toBe('page');
      expect(await page.locator('.sidebar-nav ul [aria-current="page"]').count()).toBe(1);
    }
    expect(await page.getByRole('main').count()).toBe(1);

    // `/` focuses the search field; typed into a field it is just a character.
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search chat logs' });
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.fill('tea / coffee');
    expect(await search.inputValue()).toBe('tea / coffee');
    await search.press('Enter');
    await page.waitForURL('**/search?q=tea%20%2F%20coffee');
    expect(await search.inputValue()).toBe('tea / coffee');
    await page.goto('/');
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    await page.getByLabel('Tag', { exact: true }).click();
    await page.keyboard.type('a/b');
    expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe('a/b');

    // A phone: a top bar with a menu button; Esc closes the menu and gives focus back to the button.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/imports');
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await sidebarLink(page, 'Settings').isVisible()).toBe(false);
    await screenshot(page, 'imports-phone-light', { fullPage: false });
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await sidebarLink(page, 'Settings').waitFor();
    await screenshot(page, 'menu-phone-light', { fullPage: false });
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
    // `/` opens the menu to reach the field; following a link closes it.
    await page.locator('h1').click();
    await page.keyboard.press('/');
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await sidebarLink(page, 'Settings').click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await screenshot(page, 'settings-phone-light', { fullPage: false });
  });

  it('has no serious or critical accessibility violations on any page, in light and dark', async () => {
    // Every route in the router, so a page added later is checked too.
    const routes = [...readFileSync(new URL('../../src/router.tsx', import.meta.url), 'utf8').matchAll(/path: '([^']+)'/g)].map((m) => m[1]!);
    const publicRoutes = ['/signin', '/signup'];
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await newPage(colorScheme);
      const failures: string[] = [];
      const check = async (name: string) => {
        for (const violation of await seriousViolations(page)) failures.push(`${colorScheme} ${name}: ${violation}`);
      };
      for (const path of publicRoutes) {
        await page.goto(path);
        await page.locator('form').waitFor();
        await check(path);
        await screenshot(page, `${path.slice(1)}-${colorScheme}`);
      }
      const username = `axe${colorScheme}`;
      await signUp(page, username);
      await check('/ (empty)');
      const { token, api } = await apiSession(username);
      const log = await api.chatlogs.create.mutate({
        source: 'chatgpt',
        title: 'Accessible conversation',
        tags: ['a11y'],
        content: {
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Is this readable?' },
            { role: 'assistant', content: 'Yes:\n\n```js\nconsole.log(1)\n```', model: 'gpt-4o', parts: [{ type: 'thinking', text: 'Check contrast.' }] },
          ],
        },
      });
      const upload = await fetch(`${suite.server.url}/api/imports?format=auto&filename=conversations.json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: chatgptExport(2),
      });
      expect(upload.status).toBe(202);
      const { importId } = (await upload.json()) as { importId: string };
      for (let i = 0; i < 100 && !['succeeded', 'failed'].includes((await api.imports.get.query({ id: importId })).status); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      for (const route of routes) {
        if (publicRoutes.includes(route)) continue;
        const path = route === '*' ? '/no/such/page' : route.replace(':id', log.id);
        expect(path, `a route with a parameter this test cannot fill: ${route}`).not.toContain(':');
        await page.goto(path);
        await page.locator('main h1').first().waitFor();
        await page.waitForFunction(() => !document.querySelector('.page-loading'));
        if (path === '/imports') await page.locator('.import-list summary').first().click();
        await check(path);
        const name = path === '/' ? 'library' : path === log.id ? 'chat' : path.slice(1).replace(/\//g, '-').replace(log.id, 'chat');
        await screenshot(page, `a11y-${name}-${colorScheme}`);
        if (['/imports', '/settings'].includes(path)) {
          await screenshot(page, `${path.slice(1)}-${colorScheme}`);
          await page.setViewportSize({ width: 390, height: 844 });
          await check(`${path} at 390 px`);
          await screenshot(page, `${path.slice(1)}-390-${colorScheme}`);
          await page.setViewportSize({ width: 1280, height: 860 });
        }
      }
      // The phone menu, open.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/');
      await page.getByRole('button', { name: 'Menu' }).click();
      await check('menu at 390 px');
      await screenshot(page, `menu-390-${colorScheme}`, { fullPage: false });
      expect(failures).toEqual([]);
    }
  });
});
