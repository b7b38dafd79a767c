import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe';
import { browserSuite, screenshot } from './harness';

const suite = browserSuite();

const signUp = (page: Page, username: string) => suite.signUpWithApi(page, username);

type Api = Awaited<ReturnType<typeof signUp>>;

const LONG = 5_000;
const FAR = 4_500;
const FAR_WORD = 'zanzibar';
const NOTED = 4_200;

/**
 * 5,000 messages (well inside the API's bounds: 100,000 messages of at most 2,000,000 characters,
 * a 20 MB request; this one is about 1 MB), so chatlogs.create takes it in one call. Every tenth
 * answer has a code block; message 4,500 holds a word no other has.
 */
function longConversation() {
  return Array.from({ length: LONG }, (_, i) => {
    if (i % 2 === 0) return { role: 'user' as const, content: `Question ${i}: how do I keep a list sorted while adding to it?` };
    const code = i % 10 === 1 ? `\n\n\`\`\`python\nimport bisect\nbisect.insort(items, ${i})\n\`\`\`` : '';
    return { role: 'assistant' as const, content: `Answer ${i}: use **bisect.insort** to insert in order.${code}\n\n- it is *O(n)* per insert\n- keeps the list sorted` };
  }).map((message, i) => (i === FAR ? { role: 'assistant' as const, content: `The ferry to ${FAR_WORD} leaves at noon. Bring **sunscreen**.` } : message));
}

const HOSTILE = [
  'Hostile: <img src=x onerror=alert(1)> and [click me](javascript:alert(2)) and <script>alert(3)</script>.',
  '',
  '<div onmouseover="alert(4)">a raw HTML block</div>',
  '',
  '![tracker](https://tracker.example/pixel.png)',
].join('\n');

const MARKDOWN = [
  '## Sorting in Python',
  '',
  'Use `sorted()` for a **new** list, or `list.sort()` *in place*. See [the docs](https://docs.python.org/3/howto/sorting.html).',
  '',
  '- [x] stable sort',
  '- [ ] radix sort',
  '',
  '| Function | Returns |',
  '|---|---|',
  '| `sorted` | a new list |',
  '| `list.sort` | `None` |',
  '',
  '> Sorting is stable in Python.',
  '',
  '```python',
  'def top(items, n=3):',
  '    """The n largest."""',
  '    return sorted(items, reverse=True)[:n]  # a copy',
  '```',
  '',
  '```diff',
  '- old line',
  '+ new line',
  '```',
].join('\n');

function createMarkdownLog(api: Api) {
  return api.chatlogs.create.mutate({
    source: 'chatgpt',
    title: 'Markdown and code',
    content: {
      messages: [
        { role: 'user', content: 'How do I sort?\n\nI tried `__init__` and *stars* as typed.' },
        { role: 'assistant', content: MARKDOWN },
        { role: 'user', content: 'And this?' },
        { role: 'assistant', content: HOSTILE },
        {
          role: 'assistant',
          content: 'Here is the file.',
          parts: [
            { type: 'thinking', text: 'The person wants a sorting example.' },
            { type: 'code', language: 'js', text: 'const sorted = [...items].sort((a, b) => a - b);' },
            { type: 'image', name: 'chart.png', mimeType: 'image/png', size: 20480 },
            { type: 'attachment', name: 'data.csv', mimeType: 'text/csv', size: 1200 },
          ],
        },
      ],
    },
  });
}

/** The index of the focused message, or null when the focus is elsewhere. */
function focusedIndex(page: Page) {
  return page.evaluate(() => {
    const row = document.activeElement?.closest<HTMLElement>('.conversation > [data-index]');
    return row ? Number(row.dataset.index) : null;
  });
}

function inView(page: Page, selector: string) {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }, selector);
}

const highlighted = (page: Page) => page.evaluate(() => [...(CSS.highlights.get('search-terms') ?? [])].map((r) => (r as Range).toString()));

describe('the chat page in Chromium', () => {
  it('opens a 5,000-message log with few rows in the DOM, moves with j/k, scrolls to the end and reaches a far note', async () => {
    const page = await suite.newPage();
    const api = await signUp(page, 'longreader');
    const log = await api.chatlogs.create.mutate({ source: 'claude', title: 'A very long chat', content: { messages: longConversation() } });
    const quoteAt = longConversation()[NOTED]!.content.indexOf('Question');
    await api.annotations.create.mutate({ chatlogId: log.id, messageIndex: NOTED, content: 'Far down, still reachable.', quote: 'Question', start: quoteAt, end: quoteAt + 8 });

    const started = Date.now();
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'A very long chat', level: 1 }).waitFor();
    await page.locator('.conversation > [data-index="0"]').waitFor();
    const openedIn = Date.now() - started;
    console.log(`5,000-message log: first message shown ${openedIn} ms after navigation`);
    expect(openedIn).toBeLessThan(10_000);

    const rows = () => page.locator('.conversation > .message').count();
    expect(await rows()).toBeLessThan(60);
    // Screen readers hear where each message sits in the whole log.
    expect(await page.locator('.conversation > [data-index="0"]').getAttribute('aria-setsize')).toBe(String(LONG));
    expect(await page.locator('.conversation > [data-index="0"]').getAttribute('aria-posinset')).toBe('1');
    await screenshot(page, 'chat-long-light', { fullPage: false });

    // j from nowhere starts at the first message on screen; then one message per press.
    await page.getByRole('heading', { name: 'A very long chat', level: 1 }).click();
    await page.keyboard.press('j');
    await expect.poll(() => focusedIndex(page)).toBe(0);
    for (let i = 0; i < 40; i++) await page.keyboard.press('j');
    await expect.poll(() => focusedIndex(page)).toBe(40);
    expect(await inView(page, '.conversation > [data-index="40"]')).toBe(true);
    await page.keyboard.press('k');
    await expect.poll(() => focusedIndex(page)).toBe(39);
    // Typing in a field is typing, not moving.
    await page.locator('#app-search').focus();
    await page.keyboard.type('jk');
    expect(await page.locator('#app-search').inputValue()).toBe('jk');
    await page.locator('#app-search').fill('');
    await page.getByRole('heading', { name: 'A very long chat', level: 1 }).click();

    // Smoothness: scroll 200 px a frame for 150 frames and time the frames.
    const frames = await page.evaluate(async () => {
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 150; i++) {
        window.scrollBy(0, 200);
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      times.sort((a, b) => a - b);
      return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.floor(times.length * 0.95)]!, max: times[times.length - 1]! };
    });
    console.log(`scrolling 200 px a frame: median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms`);
    expect(await rows()).toBeLessThan(60);

    // End goes to the last message (the list grows as rows are measured: press again until it is there).
    await expect
      .poll(
        async () => {
          await page.keyboard.press('End');
          return inView(page, `.conversation > [data-index="${LONG - 1}"]`);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await page.locator(`.conversation > [data-index="${LONG - 1}"]`).textContent()).toContain(`Answer ${LONG - 1}`);
    expect(await rows()).toBeLessThan(60);
    await page.keyboard.press('k');
    await expect.poll(() => focusedIndex(page)).toBeGreaterThan(LONG - 40);
    // Home, again until the top is there: the scroll that k started may still be settling (the
    // virtualizer corrects a scroll to a row whose measured height differs from its estimate), and
    // it can carry the page back down once after the first Home (failed once in CI).
    await expect
      .poll(
        async () => {
          await page.keyboard.press('Home');
          return inView(page, '.conversation > [data-index="0"]');
        },
        { timeout: 15_000 },
      )
      .toBe(true);

    // A note on a message far off screen is listed above the conversation and leads to it.
    await page.getByRole('navigation', { name: 'Notes on messages' }).getByRole('button', { name: `Message ${NOTED + 1}` }).click();
    const noted = page.locator(`.conversation > [data-index="${NOTED}"]`);
    await expect.poll(() => inView(page, `.conversation > [data-index="${NOTED}"]`)).toBe(true);
    await expect.poll(() => focusedIndex(page)).toBe(NOTED);
    expect(await noted.locator('mark.annotation-mark').textContent()).toBe('Question');
    await noted.getByText('Far down, still reachable.', { exact: true }).waitFor();
  });

  it('opens ?m=4500&q= at that message with the word highlighted, and text there can be annotated', async () => {
    const page = await suite.newPage();
    const api = await signUp(page, 'farsearcher');
    const log = await api.chatlogs.create.mutate({ source: 'claude', title: 'Another long chat', content: { messages: longConversation() } });

    await page.goto(`/chats/${log.id}?m=${FAR}&q=${FAR_WORD}`);
    const target = page.locator('.message[data-search-target="true"]');
    await target.waitFor();
    expect(await target.getAttribute('data-index')).toBe(String(FAR));
    expect(await target.textContent()).toContain(`ferry to ${FAR_WORD}`);
    await expect
      .poll(() => target.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }))
      .toBe(true);
    await expect.poll(() => highlighted(page)).toEqual([FAR_WORD]);
    expect(await page.locator('.conversation > .message').count()).toBeLessThan(60);
    await screenshot(page, 'chat-long-search-target-light', { fullPage: false });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'chat-long-search-target-dark', { fullPage: false });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // Select "sunscreen" (bold in the Markdown) and annotate it: the offsets are the raw text's.
    await page.evaluate(() => {
      const root = document.querySelector('.conversation > [data-index="4500"] [data-message-index]')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.textContent === 'sunscreen') {
          const range = document.createRange();
          range.selectNodeContents(node);
          document.getSelection()!.removeAllRanges();
          document.getSelection()!.addRange(range);
          return;
        }
      }
    });
    await page.getByText(`“sunscreen” in message ${FAR + 1}`).waitFor();
    await page.getByRole('button', { name: 'Annotate selection' }).click();
    await page.getByLabel('Note on the selected text').fill('Bold in the Markdown.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('list', { name: `Notes on message ${FAR + 1}` }).getByText('Bold in the Markdown.', { exact: true }).waitFor();
    const [stored] = await api.annotations.list.query({ chatlogId: log.id });
    const raw = `The ferry to ${FAR_WORD} leaves at noon. Bring **sunscreen**.`;
    expect(stored).toMatchObject({ messageIndex: FAR, quote: 'sunscreen', start: raw.indexOf('sunscreen'), end: raw.indexOf('sunscreen') + 9 });
    expect(await target.locator('strong mark.annotation-mark').textContent()).toBe('sunscreen');
  });

  it('renders Markdown and highlighted code, copies code, shows hostile Markdown as text, and passes axe in light and dark', async () => {
    const page = await suite.newPage();
    const api = await signUp(page, 'markdowner');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    const log = await createMarkdownLog(api);
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Markdown and code', level: 1 }).waitFor();
    const messages = page.locator('.conversation > .message');
    await expect.poll(() => messages.count()).toBe(5);

    // What the person typed stays as typed; the answer is Markdown.
    expect(await messages.nth(0).textContent()).toContain('I tried `__init__` and *stars* as typed.');
    const answer = messages.nth(1);
    await answer.getByRole('heading', { name: 'Sorting in Python', level: 4 }).waitFor();
    expect(await answer.locator('strong').first().textContent()).toBe('new');
    expect(await answer.getByRole('link', { name: 'the docs' }).getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await answer.getByRole('checkbox', { name: 'Done' }).isChecked()).toBe(true);
    expect(await answer.getByRole('table').getByRole('columnheader').allTextContents()).toEqual(['Function', 'Returns']);
    expect(await answer.locator('blockquote').textContent()).toBe('Sorting is stable in Python.');
    expect(await answer.locator('code.language-python .hljs-keyword').first().textContent()).toBe('def');
    expect(await answer.locator('code.language-diff .hljs-addition').textContent()).toBe('+ new line');

    // Copy: the code (and only it) on the clipboard, and "Copied" on the button.
    const python = answer.locator('figure.code-block').first();
    await python.getByRole('button', { name: 'Copy code' }).click();
    await python.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('def top(items, n=3):\n    """The n largest."""\n    return sorted(items, reverse=True)[:n]  # a copy');
    // The code part gets the same block, inside its fold.
    const parts = messages.nth(4);
    await parts.getByText('Code · js').click();
    expect(await parts.locator('code.language-js .hljs-keyword').first().textContent()).toBe('const');
    await parts.getByText('Image · chart.png (image/png, 20.0 KB)').waitFor();

    // Hostile Markdown: shown as text, nothing runs, nothing loads.
    const hostile = messages.nth(3);
    const text = await hostile.textContent();
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('<script>alert(3)</script>');
    expect(text).toContain('<div onmouseover="alert(4)">a raw HTML block</div>');
    expect(await page.locator('.conversation img, .conversation script, .conversation div[onmouseover]').count()).toBe(0);
    expect(await page.locator('.conversation a[href^="javascript"], .conversation a[href*="tracker"]').count()).toBe(1);
    expect(await hostile.getByRole('link').allTextContents()).toEqual(['tracker']);
    expect(await hostile.locator('.md-link-blocked').textContent()).toBe('click me');
    await hostile.locator('.md-link-blocked').click();
    await hostile.getByText('a raw HTML block').hover();
    expect(dialogs).toEqual([]);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'chat-markdown-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'chat-markdown-dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'chat-markdown-dark-390');
    expect(dialogs).toEqual([]);
  });

  it('says so when the browser refuses the clipboard', async () => {
    const page = await suite.newPage();
    const api = await signUp(page, 'noclipboard');
    const log = await createMarkdownLog(api);
    await page.goto(`/chats/${log.id}`);
    await page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('Denied', 'NotAllowedError')) });
    });
    const block = page.locator('.conversation figure.code-block').first();
    await block.getByRole('button', { name: 'Copy code' }).click();
    await block.getByText('The browser refused the clipboard: select the code and copy it with Ctrl+C.').waitFor();
  });

  it('closes the selection offer, a note being written and the versions panel with Escape, one at a time', async () => {
    const page = await suite.newPage();
    const api = await signUp(page, 'escaper');
    const log = await createMarkdownLog(api);
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Markdown and code', level: 1 }).waitFor();

    const versions = page.getByRole('button', { name: /^Versions/ });
    await versions.click();
    expect(await versions.getAttribute('aria-expanded')).toBe('true');
    const message = page.locator('.conversation > [data-index="2"]');
    await message.getByRole('button', { name: 'Add note on message 3' }).click();
    const field = page.getByLabel('Note on this message');
    await field.waitFor();
    // Escape in the note's field cancels the note (the versions panel stays open)…
    await field.press('Escape');
    await field.waitFor({ state: 'detached' });
    expect(await versions.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => focusedIndex(page)).toBe(2);
    // …then the selection's offer…
    await page.evaluate(() => {
      const root = document.querySelector('.conversation > [data-index="2"] [data-message-index]')!;
      document.getSelection()!.selectAllChildren(root);
    });
    await page.getByRole('button', { name: 'Annotate selection' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Annotate selection' }).waitFor({ state: 'detached' });
    expect(await versions.getAttribute('aria-expanded')).toBe('true');
    // …then the versions panel, the focus back on its button.
    await page.keyboard.press('Escape');
    await expect.poll(() => versions.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => versions.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByText('next, previous message').waitFor();
  });
});
