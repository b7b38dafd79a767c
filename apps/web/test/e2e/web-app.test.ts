import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createChatSynthClient } from '@chatsynth/client';
import { PASSWORD, browserSuite, screenshot } from './harness';

const PASTED = [
  'User: How do I reverse a list in Python?',
  'Assistant: Use slicing:',
  '',
  '```python',
  'items = [1, 2, 3]',
  'print(items[::-1])',
  '```',
  '',
  'That prints [3, 2, 1].',
  'User: <img src=x onerror="window.__injected = 1"> <b>thanks</b>!',
].join('\n');

const suite = browserSuite();
const newPage = suite.newPage;

async function signUp(page: Page, username: string) {
  await suite.signUpInBrowser(page, username);
}

async function signIn(page: Page, login: string) {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Pastes a conversation on the New chat page, saves it and waits for its chat page. */
async function createByPasting(page: Page, log: { conversation: string; title?: string; tags?: string }) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New chat' }).click();
  await page.getByRole('heading', { name: 'New chat', level: 1 }).waitFor();
  await page.getByLabel('Conversation').fill(log.conversation);
  if (log.title) await page.getByLabel('Title').fill(log.title);
  if (log.tags) await page.getByLabel('Tags').fill(log.tags);
  await page.getByRole('button', { name: 'Save chat log' }).click();
  await page.waitForURL(/\/chats\/[0-9a-f-]{36}$/);
}

async function rowTitles(page: Page) {
  await page.locator('.chat-list').waitFor();
  return page.locator('.chat-row-title').allTextContents();
}

describe('the web app in Chromium against the built server', () => {
  it('signs up, creates a log by pasting, finds it in the library, filters by tag, signs out and in again', async () => {
    const page = await newPage();
    await page.goto('/');
    await page.waitForURL('**/signin');
    await screenshot(page, 'sign-in-light');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await signUp(page, 'ada');

    // The header names the user; the library is empty.
    const header = page.getByRole('banner');
    expect(await header.textContent()).toContain('ada');
    await page.getByText('No chat logs yet — create one or import').waitFor();
    await screenshot(page, 'library-empty-light');

    // Paste, look at the preview, save.
    await page.getByRole('link', { name: 'New chat' }).first().click();
    await page.getByLabel('Conversation').fill(PASTED);
    await page.getByText('3 messages, split at the speaker labels.').waitFor();
    expect(await page.locator('.preview .message').count()).toBe(3);
    await page.getByLabel('Title').fill('Reversing lists');
    await page.getByLabel('Tags').fill('Python, snippets');
    await screenshot(page, 'new-chat-preview-light');
    await page.getByRole('button', { name: 'Save chat log' }).click();
    await page.waitForURL(/\/chats\/[0-9a-f-]{36}$/);

    // The chat page: header, the conversation, code as code, HTML as text.
    await page.getByRole('heading', { name: 'Reversing lists', level: 1 }).waitFor();
    const meta = await page.locator('.chat-meta').textContent();
    expect(meta).toContain('paste');
    expect(meta).toMatch(/Version\s*1/);
    expect(await page.locator('.chat-header .tag-chip').allTextContents()).toEqual([
      'Library filtered by tag python',
      'Library filtered by tag snippets',
    ]);
    const messages = page.locator('.conversation .message');
    expect(await messages.count()).toBe(3);
    expect(await messages.nth(0).getAttribute('class')).toContain('message-user');
    expect(await messages.nth(1).getAttribute('class')).toContain('message-assistant');
    expect(await messages.nth(1).locator('pre code').textContent()).toBe('items = [1, 2, 3]\nprint(items[::-1])');
    expect(await messages.nth(2).textContent()).toContain('<img src=x onerror="window.__injected = 1"> <b>thanks</b>!');
    expect(await page.locator('.conversation img, .conversation b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
    // User messages sit on the right, the assistant's on the left.
    const userBox = (await messages.nth(0).boundingBox())!;
    const assistantBox = (await messages.nth(1).boundingBox())!;
    expect(userBox.x + userBox.width).toBeGreaterThan(assistantBox.x + assistantBox.width);
    expect(userBox.x).toBeGreaterThan(assistantBox.x);
    await screenshot(page, 'chat-light');

    // A second log, to see the tag filter leave it out.
    await createByPasting(page, { conversation: 'You: What is tea?\nClaude: A drink.', title: 'About tea', tags: 'drinks' });
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    expect(await rowTitles(page)).toEqual(['About tea', 'Reversing lists']);
    const row = page.locator('.chat-row', { hasText: 'Reversing lists' });
    expect(await row.textContent()).toContain('3 messages');
    expect(await row.locator('.source-badge').textContent()).toContain('paste');
    await screenshot(page, 'library-light');

    await row.getByRole('button', { name: 'Filter by tag python' }).click();
    await page.waitForURL('**/?tag=python');
    await page.getByText('Showing tag python').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.chat-row').length === 1);
    expect(await rowTitles(page)).toEqual(['Reversing lists']);
    expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe('python');
    await screenshot(page, 'library-filtered-light');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.chat-row').length === 2);

    // Sign out: back to sign-in, and the library is closed.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.goto('/');
    await page.waitForURL('**/signin');

    // Sign in again, with the email this time.
    await signIn(page, 'ada@example.com');
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    expect(await rowTitles(page)).toEqual(['About tea', 'Reversing lists']);
  });

  it('filters by source, sorts, and pages with Load more', async () => {
    const page = await newPage();
    await signUp(page, 'pager');
    const { token } = await createChatSynthClient({ url: suite.server.url }).auth.signIn.mutate({ login: 'pager', password: PASSWORD });
    const api = createChatSynthClient({ url: suite.server.url, token });
    for (let i = 1; i <= 23; i++) {
      await api.chatlogs.create.mutate({
        source: i % 2 ? 'chatgpt' : 'claude',
        title: `Log ${String(i).padStart(2, '0')}`,
        content: { messages: [{ role: 'user', content: `message ${i}` }] },
      });
    }
    await page.reload();
    expect(await rowTitles(page)).toHaveLength(20);
    expect((await rowTitles(page))[0]).toBe('Log 23');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.chat-row').length === 23);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByLabel('Order').selectOption('asc');
    await page.waitForURL('**/?order=asc');
    await page.waitForFunction(() => document.querySelector('.chat-row-title')?.textContent === 'Log 01');

    await page.getByLabel('Source').fill('claude');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL('**/?source=claude&order=asc');
    await page.waitForFunction(() => document.querySelectorAll('.chat-row').length === 11);
    expect((await rowTitles(page)).every((title) => Number(title.slice(4)) % 2 === 0)).toBe(true);
    // The other sources stay among the suggestions.
    expect(await page.locator('#library-sources option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([
      'chatgpt',
      'claude',
    ]);
    await page.getByLabel('Source').fill('nowhere');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No chat logs match these filters.').waitFor();
  });

  it('sends a signed-out visitor to sign in and back to the page asked for', async () => {
    const page = await newPage();
    await signUp(page, 'returner');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');

    await page.goto('/chats/new');
    await page.waitForURL('**/signin?next=%2Fchats%2Fnew');
    await signIn(page, 'returner');
    await page.waitForURL('**/chats/new');
    await page.getByRole('heading', { name: 'New chat', level: 1 }).waitFor();

    // An address elsewhere in `next` is ignored.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.goto('/signin?next=//example.com/');
    await signIn(page, 'returner');
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    expect(new URL(page.url()).origin).toBe(suite.server.url);
  });

  it('sends the person to sign in when the session ends in another tab', async () => {
    const page = await newPage();
    await signUp(page, 'twotabs');
    await createByPasting(page, { conversation: 'User: still signed in?', title: 'Two tabs' });
    const other = await page.context().newPage();
    await other.goto('/');
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.waitForURL('**/signin');

    // The first tab goes to sign in at its next call, which answers UNAUTHORIZED: a click, or a list
    // it refreshes by itself after a change (live updates) — whichever comes first.
    await page
      .getByRole('link', { name: 'Library', exact: true })
      .click({ timeout: 2_000 })
      .catch(() => {});
    await page.waitForURL(/\/signin(\?|$)/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  });

  it('shows changes made elsewhere (a script through the API) in every open tab without reloading', async () => {
    const page = await newPage();
    await signUp(page, 'livetabs');
    await createByPasting(page, { conversation: 'User: are you live?\nAssistant: yes', title: 'Live title' });
    const id = page.url().split('/').pop()!;
    const { token } = await createChatSynthClient({ url: suite.server.url }).auth.signIn.mutate({ login: 'livetabs', password: PASSWORD });
    const api = createChatSynthClient({ url: suite.server.url, token });

    // The open chat follows a change made through the API.
    await api.chatlogs.update.mutate({ id, expectedVersion: 1, title: 'Renamed elsewhere' });
    await page.getByRole('heading', { name: 'Renamed elsewhere', level: 1 }).waitFor();

    // The library in a second tab shows a log created meanwhile, and drops one moved to the trash.
    const other = await page.context().newPage();
    await other.goto('/');
    await other.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    await api.chatlogs.create.mutate({ source: 'api', title: 'Made by a script', content: { messages: [{ role: 'user', content: 'hello' }] } });
    await other.getByRole('link', { name: 'Made by a script' }).waitFor();
    await api.chatlogs.delete.mutate({ id });
    await other.getByRole('link', { name: 'Renamed elsewhere' }).waitFor({ state: 'detached' });
    expect(await rowTitles(other)).toEqual(['Made by a script']);
  });

  it('shows the server’s field errors under the fields and announces form errors', async () => {
    const page = await newPage();
    await page.goto('/signup');
    await page.getByLabel('Username', { exact: true }).fill('ab');
    await page.getByLabel('Email', { exact: true }).fill('ab@example.com');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const username = page.getByLabel('Username', { exact: true });
    await page.getByText('Username must be at least 3 characters').waitFor();
    expect(await username.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await username.getAttribute('aria-describedby'))!.split(' ');
    expect(await page.locator(`[id="${describedBy.at(-1)}"]`).textContent()).toBe('Username must be at least 3 characters');
    await screenshot(page, 'sign-up-errors-light');

    await page.goto('/signin');
    await signIn(page, 'nobody');
    const status = page.locator('.form-status[aria-live]');
    await status.getByText('Invalid username, email or password.').waitFor();
    await screenshot(page, 'sign-in-error-light');

    // Every field on every form has a visible label tied to it.
    for (const path of ['/signin', '/signup']) {
      await page.goto(path);
      await page.locator('form').waitFor();
      expect(await unlabelledFields(page)).toEqual([]);
    }
    await signUp(page, 'labels');
    for (const path of ['/', '/chats/new']) {
      await page.goto(path);
      await page.locator('form').first().waitFor();
      expect(await unlabelledFields(page)).toEqual([]);
    }
    // Saving with nothing pasted says so under the field; the server's errors land under theirs.
    await page.getByRole('button', { name: 'Save chat log' }).click();
    await page.getByText('Paste a conversation first').waitFor();
    await page.getByLabel('Conversation').fill('User: hi');
    await page.getByLabel('Source').fill('');
    await page.getByLabel('Tags').fill('x'.repeat(65));
    await page.getByRole('button', { name: 'Save chat log' }).click();
    await page.getByText('Source must not be empty').waitFor();
    await page.getByText('A tag must be at most 64 characters').waitFor();
    await screenshot(page, 'new-chat-errors-light');
  });

  it('edits the title, and on a conflicting change says so and reloads', async () => {
    const page = await newPage();
    await signUp(page, 'editor');
    await createByPasting(page, { conversation: 'User: first\nAssistant: second', title: 'Draft title' });
    const id = page.url().split('/').pop()!;

    await page.getByRole('button', { name: 'Edit title' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Better title');
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByRole('heading', { name: 'Better title', level: 1 }).waitFor();
    expect(await page.locator('.chat-meta').textContent()).toMatch(/Version\s*2/);

    // Another client changes the log while the form is open.
    await page.getByRole('button', { name: 'Edit title' }).click();
    const { token } = await createChatSynthClient({ url: suite.server.url }).auth.signIn.mutate({ login: 'editor', password: PASSWORD });
    await createChatSynthClient({ url: suite.server.url, token }).chatlogs.update.mutate({ id, expectedVersion: 2, title: 'Changed elsewhere' });
    await page.getByRole('textbox', { name: 'Title' }).fill('Mine');
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByText(/This chat log changed since you opened it \(it is now version 3, titled “Changed elsewhere”\)/).waitFor();
    expect(await page.locator('.chat-meta').textContent()).toMatch(/Version\s*3/);
    await screenshot(page, 'chat-conflict-light');

    // Saving again applies the change on top of the other one.
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByRole('heading', { name: 'Mine', level: 1 }).waitFor();
    expect(await page.locator('.chat-meta').textContent()).toMatch(/Version\s*4/);
  });

  it('deletes a log to the trash after confirmation', async () => {
    const page = await newPage();
    await signUp(page, 'deleter');
    await createByPasting(page, { conversation: 'User: keep?\nAssistant: no', title: 'Short-lived' });
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Move this chat log to the trash?').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await screenshot(page, 'chat-delete-confirm-light', { fullPage: false });
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.waitForURL(`${suite.server.url}/`);
    await page.getByText('Moved “Short-lived” to the trash.').waitFor();
    await page.getByText('No chat logs yet — create one or import').waitFor();

    // Its old address says it is gone.
    await page.goBack();
    await page.getByRole('heading', { name: 'Chat log not found' }).waitFor();
  });

  it('shows parts, system and tool messages as their own blocks', async () => {
    const page = await newPage();
    await signUp(page, 'parts');
    const { token } = await createChatSynthClient({ url: suite.server.url }).auth.signIn.mutate({ login: 'parts', password: PASSWORD });
    const log = await createChatSynthClient({ url: suite.server.url, token }).chatlogs.create.mutate({
      source: 'chatgpt',
      title: 'With parts',
      tags: ['research'],
      content: {
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Weather in Paris?', createdAt: '2025-05-01T10:00:00Z' },
          {
            role: 'assistant',
            content: 'Let me look.',
            model: 'gpt-4o',
            parts: [
              { type: 'thinking', text: 'The user wants the weather.' },
              { type: 'tool_call', name: 'weather', input: { city: 'Paris' } },
            ],
          },
          { role: 'tool', name: 'weather', content: '18°C, cloudy', parts: [{ type: 'tool_result', name: 'weather', output: { c: 18 } }] },
          {
            role: 'assistant',
            content: 'It is 18°C.',
            parts: [
              { type: 'image', name: 'map.png', mimeType: 'image/png', size: 2048 },
              { type: 'attachment', name: 'report.pdf', url: 'javascript:alert(1)' },
              { type: 'code', language: 'sh', text: 'curl wttr.in/Paris' },
            ],
          },
        ],
      },
    });
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'With parts', level: 1 }).waitFor();
    expect(await page.locator('.message-system').count()).toBe(1);
    expect(await page.locator('.message-tool').textContent()).toContain('Tool · weather');
    const summaries = await page.locator('details.part > summary').allTextContents();
    expect(summaries).toEqual(['Thinking', 'Tool call · weather', 'Tool result · weather', 'Attachment · report.pdf', 'Code · sh']);
    expect(await page.locator('.part-chip').allTextContents()).toEqual(['Image · map.png (image/png, 2.0 KB)']);
    // As the platforms show it: the thinking above the answer's text, the tool call below it.
    const answer = await page.locator('.message-assistant').first().locator('.message-body').innerText();
    expect(answer.indexOf('Thinking')).toBeLessThan(answer.indexOf('Let me look.'));
    expect(answer.indexOf('Let me look.')).toBeLessThan(answer.indexOf('Tool call · weather'));
    // Folded until opened.
    expect(await page.locator('details.part[open]').count()).toBe(0);
    await page.getByText('Tool call · weather').click();
    expect(await page.locator('details.part[open] pre').textContent()).toContain('"city": "Paris"');
    await page.getByText('Attachment · report.pdf').click();
    expect(await page.locator('.part-url a').count()).toBe(0);
    await page.getByText('Thinking').click();
    await screenshot(page, 'chat-parts-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'chat-parts-dark');
  });

  it('looks right in the dark and on a narrow screen', async () => {
    const page = await newPage('dark');
    await page.goto('/signin');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in-dark');
    await signUp(page, 'night');
    await createByPasting(page, { conversation: PASTED, title: 'Reversing lists at night', tags: 'python, night' });
    await page.getByRole('heading', { name: 'Reversing lists at night', level: 1 }).waitFor();
    await screenshot(page, 'chat-dark');
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    await page.locator('.chat-row').waitFor();
    await screenshot(page, 'library-dark');
    await page.getByRole('link', { name: 'New chat' }).first().click();
    await page.getByLabel('Conversation').fill(PASTED);
    await page.getByText('3 messages, split at the speaker labels.').waitFor();
    await screenshot(page, 'new-chat-preview-dark');

    // Nothing wider than a phone's screen.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      ['/', 'library-narrow-dark'],
      ['/chats/new', 'new-chat-narrow-dark'],
    ] as const) {
      await page.goto(path);
      await page.locator('main h1').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, name);
    }
    // On a phone the sidebar folds into the top bar's menu.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    await page.getByRole('link', { name: 'Reversing lists at night' }).click();
    await page.getByRole('heading', { name: 'Reversing lists at night', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'chat-narrow-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'chat-narrow-light');
  });
});

/** Inputs, selects and text areas without a visible label pointing at them. */
function unlabelledFields(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((field) => {
        const labels = (field as HTMLInputElement).labels;
        return !labels || ![...labels].some((label) => label.offsetWidth > 0 && label.textContent?.trim());
      })
      .map((field) => field.outerHTML),
  );
}
