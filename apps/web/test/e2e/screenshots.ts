import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, startServerWithWebApp } from './harness';
import { DEMO_USER, createDemoLibrary, type DemoLibrary } from './screenshots-demo';

// The README's screenshots: every routed page, light and dark, on a demo library, written to
// docs/screenshots/<page>-<theme>.png. Run with `pnpm --filter @chatsynth/web screenshots` after
// `pnpm build`. It is not part of `pnpm test` (its own vitest config, and no `.test.ts` name):
// it proves nothing the browser tests do not, and rewriting tracked files belongs to a person's decision.

const OUT = fileURLToPath(new URL('../../../../docs/screenshots', import.meta.url));
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

type Shot = {
  name: string;
  path: string;
  ready: (page: Page) => Promise<unknown>;
  prepare?: (page: Page) => Promise<unknown>;
  /** Leave the page where it scrolled itself (a search hit), rather than at its top. */
  keepScroll?: boolean;
};

const PASTED = `User: What can I cook in 15 minutes with eggs, spinach and feta?
Assistant: A spinach and feta omelette:

1. Wilt two handfuls of spinach in butter (2 min).
2. Pour in three beaten eggs, crumble the feta on top.
3. Fold when the edges set, about 3 minutes.

User: And without a pan?
Assistant: Bake them in a mug: microwave for 90 seconds, stir, then 30 more.`;

function appShots(demo: DemoLibrary): Shot[] {
  const heading = (name: string) => (page: Page) => page.getByRole('heading', { name, level: 1 }).waitFor();
  return [
    // Sorted by conversation date: the demo logs were all stored in the same minute.
    { name: 'library', path: '/?sort=started', ready: (page) => page.getByRole('list', { name: 'Chat logs' }).getByRole('link').nth(11).waitFor() },
    {
      name: 'chat',
      path: `/chats/${demo.chatId}`,
      ready: async (page) => {
        await page.getByRole('heading', { name: 'Postgres: slow orders query (fixed)', level: 1 }).waitFor();
        await page.getByRole('list', { name: 'Notes on this chat log' }).waitFor();
      },
    },
    {
      name: 'chat-conversation',
      // As opened from a search hit: the annotated answer in view, the searched word highlighted.
      path: `/chats/${demo.chatId}?m=1&q=index`,
      ready: async (page) => {
        await page.getByRole('list', { name: 'Notes on message 2' }).waitFor();
        await page.waitForFunction(() => CSS.highlights.has('search-terms'));
        // The page keeps the hit in view for a moment while notes and tags load: let it settle.
        await page.waitForTimeout(1600);
      },
      keepScroll: true,
    },
    {
      name: 'new-chat',
      path: '/chats/new',
      ready: heading('New chat'),
      // A pasted conversation, so the preview shows what will be saved.
      prepare: async (page) => {
        await page.getByLabel('Conversation').fill(PASTED);
        await page.getByLabel('Tags').fill('cooking, quick');
      },
    },
    {
      name: 'search',
      path: `/search?q=${encodeURIComponent(demo.searchQuery)}`,
      ready: (page) => page.getByRole('list', { name: 'Search results' }).getByRole('heading').nth(2).waitFor(),
    },
    { name: 'tags', path: '/tags', ready: (page) => page.getByRole('link', { name: 'Library filtered by tag code' }).waitFor() },
    {
      name: 'imports',
      path: '/imports',
      ready: (page) => page.getByRole('region', { name: 'Past imports' }).getByText('conversations.json').waitFor(),
      // The finished import opened to its report, as after clicking it.
      prepare: async (page) => {
        await page.getByRole('region', { name: 'Past imports' }).getByText('conversations.json').click();
        await page.getByText('No problems: every conversation was taken.').waitFor();
      },
    },
    { name: 'stats', path: '/stats', ready: (page) => page.getByRole('img', { name: /Chat logs per month by source/ }).waitFor() },
    { name: 'trash', path: '/trash', ready: (page) => page.getByRole('button', { name: 'Restore “Draft email (old)”' }).waitFor() },
    { name: 'settings', path: '/settings', ready: (page) => page.getByText('Laptop CLI').waitFor() },
  ];
}

const PUBLIC_SHOTS: Shot[] = [
  { name: 'sign-in', path: '/signin', ready: (page) => page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor() },
  { name: 'sign-up', path: '/signup', ready: (page) => page.getByRole('heading', { name: 'Create an account', level: 1 }).waitFor() },
];

/** The page as a person first sees it: top of the page, nothing hovered or focused, fonts loaded. */
async function capture(page: Page, shot: Shot, theme: Theme) {
  await page.goto(shot.path);
  await shot.ready(page);
  await shot.prepare?.(page);
  await page.evaluate(async (keepScroll) => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.getSelection()?.removeAllRanges();
    await document.fonts.ready;
    if (!keepScroll) window.scrollTo(0, 0);
  }, shot.keepScroll ?? false);
  await page.mouse.move(1279, 859);
  await page.screenshot({ path: `${OUT}/${shot.name}-${theme}.png`, fullPage: false, animations: 'disabled', caret: 'hide' });
}

async function captureTheme(browser: Browser, url: string, demo: DemoLibrary, theme: Theme) {
  const { context, page, problems } = await openPage(browser, url, { colorScheme: theme });
  try {
    for (const shot of PUBLIC_SHOTS) await capture(page, shot, theme);
    await page.goto('/signin');
    await page.getByLabel('Username or email').fill(DEMO_USER.username);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    for (const shot of appShots(demo)) await capture(page, shot, theme);
  } finally {
    await context.close();
  }
  // A page that logged an error is not one to show off.
  expect(problems, `${theme} theme`).toEqual([]);
}

it('captures every page in light and dark for the README', async () => {
  // Pages that were renamed or removed leave no stale picture behind.
  mkdirSync(OUT, { recursive: true });
  for (const name of readdirSync(OUT)) if (name.endsWith('.png')) rmSync(`${OUT}/${name}`);
  const server = await startServerWithWebApp();
  const browser = await launchChromium();
  try {
    const demo = await createDemoLibrary(server.url);
    for (const theme of THEMES) await captureTheme(browser, server.url, demo, theme);
  } finally {
    await browser.close();
    await server.dispose();
  }
  const files = readdirSync(OUT).map((name) => ({ name, bytes: statSync(`${OUT}/${name}`).size }));
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(files.map((f) => `${f.name.padEnd(24)} ${(f.bytes / 1024).toFixed(0).padStart(5)} KB`).join('\n'), `\ntotal ${(total / 1024 / 1024).toFixed(2)} MB`);
  expect(files).toHaveLength((PUBLIC_SHOTS.length + appShots({ token: '', chatId: '', searchQuery: '' }).length) * THEMES.length);
});
