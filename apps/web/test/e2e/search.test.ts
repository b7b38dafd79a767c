import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createChatSynthClient } from '@chatsynth/client';
import type { RunningServer } from '@chatsynth/server/testing';
import { seriousViolations } from './axe';
import { launchChromium, openPage, screenshot, startServerWithWebApp } from './harness';

const PASSWORD = 'correct horse battery';
const USER = 'searcher';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let problems: string[] = [];
const ids: Record<string, string> = {};

type Role = 'user' | 'assistant';
const message = (role: Role, content: string) => ({ role, content });

beforeAll(async () => {
  server = await startServerWithWebApp();
  browser = await launchChromium();
  await createChatSynthClient({ url: server.url }).auth.signUp.mutate({ username: USER, email: `${USER}@example.com`, password: PASSWORD });
  const { token } = await createChatSynthClient({ url: server.url }).auth.signIn.mutate({ login: USER, password: PASSWORD });
  const api = createChatSynthClient({ url: server.url, token });
  const island = await api.chatlogs.create.mutate({
    source: 'chatgpt',
    title: 'Island trip',
    tags: ['travel'],
    content: {
      messages: [
        message('user', 'When does the ferry to Arran leave? <img src=x onerror="window.__injected = 1">'),
        message('assistant', 'The ferries leave Ardrossan at 9:00 & 13:00 <b>daily</b>.'),
      ],
    },
  });
  // A long log whose match sits far down, so opening the hit has to scroll to it.
  const filler = Array.from({ length: 30 }, (_, i) => message(i % 2 ? 'assistant' : 'user', `Planning note ${i + 1}: nothing about boats here, only trains and buses and long walks along the coast.`));
  filler[24] = message('assistant', 'The harbour ferry timetable changes in winter, so check the Café Crossing board.');
  const harbour = await api.chatlogs.create.mutate({ source: 'claude', title: 'Long planning chat', tags: ['travel', 'plans'], content: { messages: filler } });
  const cooking = await api.chatlogs.create.mutate({ source: 'claude', title: 'Cooking', content: { messages: [message('user', 'A quick pasta for two?'), message('assistant', 'Garlic, oil and chilli.')] } });
  Object.assign(ids, { island: island.id, harbour: harbour.id, cooking: cooking.id });
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  // The BAD_REQUEST the test causes on purpose shows as "Failed to load resource"; anything else is a bug.
  const unexpected = problems.filter((p) => !p.includes('Failed to load resource'));
  problems = [];
  expect(unexpected).toEqual([]);
});

async function signedInPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const opened = await openPage(browser, server.url, { colorScheme });
  contexts.push(opened.context);
  problems = opened.problems;
  const page = opened.page;
  await page.goto('/signin');
  await page.getByLabel('Username or email').fill(USER);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
  return page;
}

const results = (page: Page) => page.getByRole('list', { name: 'Search results' });
const resultTitles = (page: Page) => results(page).locator('[data-search-result]').allTextContents();
const status = (page: Page) => page.locator('.search-status');

async function waitForTitles(page: Page, titles: string[]) {
  await expect.poll(async () => (await resultTitles(page)).sort(), { timeout: 10_000 }).toEqual([...titles].sort());
}

describe('search', () => {
  it('shows highlighted results as one types in the sidebar field, filters them, moves with j/k and opens the message', async () => {
    const page = await signedInPage();

    // `/` reaches the field from anywhere; typing (no Enter) brings results, the last word as a prefix.
    await page.keyboard.press('/');
    await page.keyboard.type('ferr', { delay: 40 });
    await page.waitForURL(/\/search\?q=ferr$/);
    await waitForTitles(page, ['Island trip', 'Long planning chat']);
    await expect.poll(() => status(page).textContent()).toMatch(/2 results for “ferr”/);
    const marks = await results(page).locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((m) => /^ferr/i.test(m))).toBe(true);
    // The log's text is shown, never run: the escaped markup reads as text, and no script ran.
    await expect.poll(() => results(page).textContent()).toContain('<img src=x onerror=');
    expect(await results(page).locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    // Still typing in the field while results arrive.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('app-search');

    // More words narrow; the field and the URL agree.
    await page.keyboard.type('y timetable', { delay: 30 });
    await page.waitForURL(/q=ferry(\+|%20)timetable/);
    await waitForTitles(page, ['Long planning chat']);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('ferry');
    await waitForTitles(page, ['Island trip', 'Long planning chat']);

    // Filters beside the results, kept in the URL.
    await page.getByLabel('Source').selectOption('claude');
    await page.waitForURL(/source=claude/);
    await waitForTitles(page, ['Long planning chat']);
    await page.getByLabel('Source').selectOption('');
    await waitForTitles(page, ['Island trip', 'Long planning chat']);
    await page.getByRole('radio', { name: 'What I wrote' }).check();
    await page.waitForURL(/role=user/);
    await waitForTitles(page, ['Island trip']);
    await page.getByRole('radio', { name: 'Answers' }).check();
    await waitForTitles(page, ['Island trip', 'Long planning chat']);
    await page.goBack();
    await waitForTitles(page, ['Island trip']);
    expect(await page.getByRole('radio', { name: 'What I wrote' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'Everything' }).check();
    await waitForTitles(page, ['Island trip', 'Long planning chat']);

    await screenshot(page, 'search-light');
    expect(await seriousViolations(page)).toEqual([]);

    // j and k move between results once the focus has left the field; Enter opens the focused one.
    await page.getByRole('heading', { name: 'Search', level: 1 }).click();
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    const titles = await resultTitles(page);
    await page.keyboard.press('j');
    expect(await focused()).toBe(titles[0]);
    await page.keyboard.press('j');
    expect(await focused()).toBe(titles[1]);
    await page.keyboard.press('k');
    expect(await focused()).toBe(titles[0]);
    if (titles[0] !== 'Long planning chat') await page.keyboard.press('j');
    expect(await focused()).toBe('Long planning chat');
    await page.keyboard.press('Enter');

    // The chat opens at the matching message, scrolled into view and marked, the words highlighted.
    await page.waitForURL(new RegExp(`/chats/${ids.harbour}\\?m=24&q=ferry$`));
    const target = page.locator('.message[data-search-target="true"]');
    await target.waitFor();
    expect(await target.textContent()).toContain('harbour ferry timetable');
    await expect
      .poll(() => target.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }))
      .toBe(true);
    const highlighted = () => page.evaluate(() => [...(CSS.highlights.get('search-terms') ?? [])].map((r) => (r as Range).toString()));
    await expect.poll(highlighted).toEqual(['ferry']);
    await screenshot(page, 'search-opened-chat-light', { fullPage: false });

    // Back returns to the results, the query still in the field.
    await page.goBack();
    await waitForTitles(page, ['Island trip', 'Long planning chat']);
    expect(await page.locator('#app-search').inputValue()).toBe('ferry');
  });

  it('explains the syntax for an empty query, says when nothing matches, shows a refused query as is, and loads more', async () => {
    const page = await signedInPage();
    await page.goto('/search');
    await page.getByText('the words together, as a phrase').waitFor();

    await page.goto('/search?q=zeppelin');
    await page.getByText('Nothing matches.').waitFor();
    await expect.poll(() => status(page).textContent()).toBe('No results for “zeppelin”');

    // More words than the server takes: its BAD_REQUEST message, shown as it is.
    await page.goto(`/search?q=${encodeURIComponent(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))}`);
    await page.getByRole('alert').getByText(/must have at most 32 words and phrases/).waitFor();

    // Paging: 45 logs match "lantern", 20 at a time.
    const { token } = await createChatSynthClient({ url: server.url }).auth.signIn.mutate({ login: USER, password: PASSWORD });
    const api = createChatSynthClient({ url: server.url, token });
    for (let i = 0; i < 45; i += 1) {
      await api.chatlogs.create.mutate({ source: 'gemini', title: `Lantern ${i + 1}`, content: { messages: [message('user', `lantern number ${i + 1}`)] } });
    }
    await page.goto('/search?q=lantern');
    await expect.poll(async () => (await resultTitles(page)).length).toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(async () => (await resultTitles(page)).length).toBe(40);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(async () => (await resultTitles(page)).length).toBe(45);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(new Set(await resultTitles(page)).size).toBe(45);
  });

  it('is accessible and readable in dark mode and on a phone', async () => {
    const page = await signedInPage('dark');
    await page.goto('/search?q=ferry');
    await waitForTitles(page, ['Island trip', 'Long planning chat']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search-dark');
    await page.goto('/search');
    await page.getByText('the words together, as a phrase').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search-help-dark');

    await page.goto(`/chats/${ids.harbour}?m=24&q=ferry`);
    await page.locator('.message[data-search-target="true"]').waitFor();
    await screenshot(page, 'search-opened-chat-dark', { fullPage: false });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/search?q=ferry');
    await waitForTitles(page, ['Island trip', 'Long planning chat']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'search-390');
  });
});
