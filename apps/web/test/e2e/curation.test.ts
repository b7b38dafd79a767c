import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, screenshot } from './harness';

const suite = browserSuite();
const newPage = suite.newPage;

const signUp = (page: Page, username: string) => suite.signUpWithApi(page, username);

type Api = Awaited<ReturnType<typeof signUp>>;

const MESSAGES = [
  { role: 'user' as const, content: 'How do I reverse a list in Python?' },
  { role: 'assistant' as const, content: 'Use slicing:\n\n```python\nprint(items[::-1])\n```\n\nOr call items.reverse() to do it in place.' },
];

function createLog(api: Api, title = 'Reversing lists', tags: string[] = []) {
  return api.chatlogs.create.mutate({ source: 'chatgpt', title, tags, content: { messages: MESSAGES } });
}

/**
 * Selects `text` inside message `index` as a person dragging over it would. The text may run over
 * several elements (highlighted code puts each token in its own span), so the range goes from the
 * text node where it starts to the one where it ends.
 */
async function selectInMessage(page: Page, index: number, text: string) {
  await page.evaluate(
    ([index, text]) => {
      const root = document.querySelector(`[data-message-index="${index}"]`)!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const nodes: { node: Node; from: number }[] = [];
      let all = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node, from: all.length });
        all += node.textContent;
      }
      const at = all.indexOf(text as string);
      if (at < 0) throw new Error(`"${text}" is not in message ${index}`);
      const end = at + (text as string).length;
      const start = nodes.findLast((n) => n.from <= at)!;
      const last = nodes.findLast((n) => n.from < end)!;
      const range = document.createRange();
      range.setStart(start.node, at - start.from);
      range.setEnd(last.node, end - last.from);
      const selection = document.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    [index, text] as const,
  );
}

describe('curating chat logs in Chromium', () => {
  it('annotates selected text, highlights it, edits and deletes the note, and notes the whole log', async () => {
    const page = await newPage();
    const api = await signUp(page, 'annotator');
    const log = await createLog(api);
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Reversing lists', level: 1 }).waitFor();

    // "items.reverse()" sits after the code block, so its offsets count the fence lines of the raw text.
    await selectInMessage(page, 1, 'items.reverse()');
    await page.getByText('“items.reverse()” in message 2').waitFor();
    await page.getByRole('button', { name: 'Annotate selection' }).click();
    await page.getByLabel('Note on the selected text').fill('Mutates the list, returns None.');
    await page.getByRole('button', { name: 'Save note' }).click();
    const notes = page.getByRole('list', { name: 'Notes on message 2' });
    await notes.locator('.note-text', { hasText: 'Mutates the list, returns None.' }).waitFor();
    expect(await page.locator('.message').nth(1).locator('mark.annotation-mark').textContent()).toBe('items.reverse()');

    const [stored] = await api.annotations.list.query({ chatlogId: log.id });
    const content = MESSAGES[1]!.content;
    expect(stored).toMatchObject({ messageIndex: 1, quote: 'items.reverse()', start: content.indexOf('items.reverse()'), end: content.indexOf('items.reverse()') + 15 });

    // A selection inside the code block maps to the raw offsets too.
    await selectInMessage(page, 1, 'items[::-1]');
    await page.getByRole('button', { name: 'Annotate selection' }).click();
    await page.getByLabel('Note on the selected text').fill('A reversed copy.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await notes.locator('.note-text', { hasText: 'A reversed copy.' }).waitFor();
    const all = await api.annotations.list.query({ chatlogId: log.id });
    const inCode = all.find((a) => a.content === 'A reversed copy.')!;
    expect(content.slice(inCode.start!, inCode.end!)).toBe('items[::-1]');
    expect(await page.locator('pre mark.annotation-mark').textContent()).toBe('items[::-1]');

    // A note on the whole log.
    await page.getByRole('button', { name: 'Add a note on this chat log' }).click();
    await page.getByLabel('Note on this chat log').fill('Good for the Python cheatsheet.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('list', { name: 'Notes on this chat log' }).locator('.note-text', { hasText: 'Good for the Python cheatsheet.' }).waitFor();
    await screenshot(page, 'chat-notes-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'chat-notes-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Edit.
    await notes.getByRole('button', { name: /^Edit note “Mutates/ }).click();
    await page.getByLabel('Edit note').fill('In place: returns None.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await notes.locator('.note-text', { hasText: 'In place: returns None.' }).waitFor();
    expect((await api.annotations.list.query({ chatlogId: log.id })).map((a) => a.content)).toContain('In place: returns None.');

    // Delete, after a confirmation that Cancel backs out of.
    await notes.getByRole('button', { name: /^Delete note “In place/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this note?' });
    await dialog.waitFor();
    await screenshot(page, 'chat-note-delete-dialog-light', { fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await notes.getByRole('button', { name: /^Delete note “In place/ }).click();
    await dialog.getByRole('button', { name: 'Delete note' }).click();
    await notes.locator('.note-text', { hasText: 'In place: returns None.' }).waitFor({ state: 'detached' });
    expect(await page.locator('.message').nth(1).locator('mark.annotation-mark').allTextContents()).toEqual(['items[::-1]']);
    expect(await api.annotations.list.query({ chatlogId: log.id })).toHaveLength(2);
  });

  it('tags a log with suggestions from the other tags, and removes a tag', async () => {
    const page = await newPage();
    const api = await signUp(page, 'tagger');
    await createLog(api, 'Older', ['python', 'snippets', 'pytest']);
    const log = await createLog(api, 'Newer');
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Newer', level: 1 }).waitFor();

    const input = page.getByRole('combobox', { name: 'Add a tag' });
    await input.fill('py');
    const suggestions = page.getByRole('listbox', { name: 'Suggested tags' });
    await suggestions.waitFor();
    expect(await suggestions.getByRole('option').allTextContents()).toEqual(['pytest · 1', 'python · 1']);
    await screenshot(page, 'chat-tag-suggestions-light', { fullPage: false });
    await suggestions.getByRole('option', { name: /python/ }).click();
    await page.locator('.chat-header .tag-chip', { hasText: 'python' }).waitFor();

    // Keyboard: arrow to the suggestion, Enter to add.
    await input.fill('snip');
    await input.press('ArrowDown');
    expect(await input.getAttribute('aria-activedescendant')).toBeTruthy();
    await input.press('Enter');
    await page.locator('.chat-header .tag-chip', { hasText: 'snippets' }).waitFor();
    // A new tag, typed and normalised.
    await input.fill('  Data   Science ');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('.chat-header .tag-chip', { hasText: 'data science' }).waitFor();
    // The chip changes before the server answers (optimistic): wait for the save itself.
    await expect.poll(async () => (await api.chatlogs.get.query({ id: log.id })).tags).toEqual(['data science', 'python', 'snippets']);

    await page.getByRole('button', { name: 'Remove tag snippets' }).click();
    await page.locator('.chat-header .tag-chip', { hasText: 'snippets' }).waitFor({ state: 'detached' });
    // The chip changes before the server answers (optimistic): wait for the save itself.
    await expect.poll(async () => (await api.chatlogs.get.query({ id: log.id })).tags).toEqual(['data science', 'python']);
    await page.emulateMedia({ colorScheme: 'dark' });
    await input.fill('p');
    await suggestions.waitFor();
    await screenshot(page, 'chat-tag-suggestions-dark', { fullPage: false });
  });

  it('shows every note and every version of a log, past the 100 the API gives at a time', async () => {
    const page = await newPage();
    const api = await signUp(page, 'keeper');
    const log = await createLog(api, 'Kept long 1');
    for (let i = 1; i <= 104; i++) await api.annotations.create.mutate({ chatlogId: log.id, content: `Thought ${i}` });
    let version = log.version;
    for (let i = 2; i <= 102; i++) version = (await api.chatlogs.update.mutate({ id: log.id, expectedVersion: version, title: `Kept long ${i}` })).version;

    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Kept long 102', level: 1 }).waitFor();
    const notes = page.getByRole('list', { name: 'Notes on this chat log' });
    await notes.locator('.note-text', { hasText: 'Thought 104' }).waitFor();
    expect(await notes.locator('.note-text').count()).toBe(104);

    await page.getByRole('button', { name: /^Versions/ }).click();
    const table = page.locator('.versions-table');
    await table.locator('tbody tr', { hasText: 'Created' }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(102);
  });

  it('compares two versions and restores one after confirmation, and says so on a conflict', async () => {
    const page = await newPage();
    const api = await signUp(page, 'historian');
    const log = await createLog(api, 'First title');
    await api.chatlogs.update.mutate({
      id: log.id,
      expectedVersion: 1,
      title: 'Second title',
      content: { messages: [MESSAGES[0]!, { role: 'assistant', content: 'Use **reversed**(items).' }, { role: 'user', content: 'Thanks! **not bold**' }] },
    });
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Second title', level: 1 }).waitFor();
    await page.getByRole('button', { name: /^Versions/ }).click();
    const table = page.locator('.versions-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator('tbody tr').first().textContent()).toContain('Edited');

    // The default comparison is the previous version against the current one.
    const diff = page.locator('.version-diff');
    await diff.waitFor();
    expect(await diff.locator('.diff-text-before').first().textContent()).toContain('First title');
    expect(await diff.locator('.diff-text-after').first().textContent()).toContain('Second title');
    expect(await diff.locator('.diff-change').count()).toBe(2);
    expect(await diff.locator('.diff-changed .diff-before').textContent()).toContain('Or call items.reverse()');
    expect(await diff.locator('.diff-changed .diff-after').textContent()).toContain('Use reversed(items).');
    // Each side renders as the chat page does: the assistant's Markdown, the person's text as typed.
    expect(await diff.locator('.diff-changed .diff-after strong').textContent()).toBe('reversed');
    const typed = diff.locator('.diff-added .diff-after');
    expect(await typed.textContent()).toContain('Thanks! **not bold**');
    expect(await typed.locator('strong').count()).toBe(0);
    await screenshot(page, 'chat-versions-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'chat-versions-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Restore version 1: a confirmation, then version 3 equal to version 1.
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore version 1?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('new version 3');
    await screenshot(page, 'chat-restore-dialog-light', { fullPage: false });
    await dialog.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByText('Restored version 1 as version 3.').waitFor();
    await page.getByRole('heading', { name: 'First title', level: 1 }).waitFor();
    expect(await page.locator('.chat-meta').textContent()).toMatch(/Version\s*3/);
    // The history reloads after the restore: wait for its new row rather than count mid-reload.
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('Restored');
    expect((await api.chatlogs.get.query({ id: log.id })).content.messages).toHaveLength(2);

    // Another client moves the log on while the dialog is open; restoring what the person saw is refused
    // and the panel reloads.
    await page.getByRole('button', { name: 'Restore version 2' }).click();
    const second = page.getByRole('dialog', { name: 'Restore version 2?' });
    await second.waitFor();
    await api.chatlogs.update.mutate({ id: log.id, expectedVersion: 3, title: 'Elsewhere' });
    await second.getByRole('button', { name: 'Restore version 2' }).click();
    await page.getByText(/This chat log changed since you opened it \(it is now version 4\)/).waitFor();
    await page.getByRole('heading', { name: 'Elsewhere', level: 1 }).waitFor();
    await table.locator('tbody tr').nth(3).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
  });

  it('moves a log to the trash, restores it, and purges it for good', async () => {
    const page = await newPage();
    const api = await signUp(page, 'binner');
    await page.goto('/trash');
    await page.getByText('The trash is empty').waitFor();
    await screenshot(page, 'trash-empty-light');

    const keep = await createLog(api, 'Keep me');
    const gone = await createLog(api, 'Gone for good');
    await api.chatlogs.delete.mutate({ id: keep.id });
    await api.chatlogs.delete.mutate({ id: gone.id });
    await page.reload();
    const rows = page.locator('.trash-row');
    await rows.nth(1).waitFor();
    expect(await rows.first().textContent()).toMatch(/Deleted .*Deleted for good on/);
    await screenshot(page, 'trash-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'trash-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Restore “Keep me”' }).click();
    await page.getByText('Restored “Keep me” to the library.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.trash-row').length === 1);
    expect((await api.chatlogs.get.query({ id: keep.id })).title).toBe('Keep me');

    await page.getByRole('button', { name: 'Delete forever “Gone for good”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Gone for good” forever?' });
    await dialog.waitFor();
    // Focus starts on Cancel, and Escape closes it without deleting.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await screenshot(page, 'trash-purge-dialog-light', { fullPage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Delete forever “Gone for good”' }).click();
    await dialog.getByRole('button', { name: 'Delete forever' }).click();
    await page.getByText('Deleted “Gone for good” for good.').waitFor();
    await page.getByText('The trash is empty').waitFor();
    expect((await api.chatlogs.trash.query({})).items).toEqual([]);
  });

  it('renames, merges and deletes tags on the tags page', async () => {
    const page = await newPage();
    const api = await signUp(page, 'gardener');
    await page.goto('/tags');
    await page.getByText('No tags yet').waitFor();
    await createLog(api, 'One', ['py', 'code']);
    await createLog(api, 'Two', ['python']);
    await createLog(api, 'Three', ['python', 'old']);
    await page.reload();
    const table = page.locator('.tags-table');
    await table.waitFor();
    const rowsText = async () => (await table.locator('tbody tr').allTextContents()).map((t) => t.replace(/Rename.*$/, '').replace('Library filtered by tag ', ''));
    expect(await rowsText()).toEqual(['python2', 'code1', 'old1', 'py1']);
    await screenshot(page, 'tags-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'tags-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Rename to a new name.
    await page.getByRole('button', { name: 'Rename code', exact: true }).click();
    await page.getByLabel('New name for code').fill('Snippets');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByText('Renamed code to snippets.').waitFor();

    // Rename onto an existing tag: a merge, confirmed.
    await page.getByRole('button', { name: 'Rename py', exact: true }).click();
    await page.getByLabel('New name for py').fill('python');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const merge = page.getByRole('dialog', { name: 'Merge py into python?' });
    await merge.waitFor();
    await screenshot(page, 'tags-merge-dialog-light', { fullPage: false });
    await merge.getByRole('button', { name: 'Merge tags' }).click();
    await page.getByText('Merged py into python (3 chat logs).').waitFor();
    expect(await rowsText()).toEqual(['python3', 'old1', 'snippets1']);

    // Delete, confirmed.
    await page.getByRole('button', { name: 'Delete old', exact: true }).click();
    const remove = page.getByRole('dialog', { name: 'Delete the tag old?' });
    await remove.getByRole('button', { name: 'Delete tag' }).click();
    await page.getByText('Deleted the tag old.', { exact: false }).waitFor();
    expect(await api.tags.list.query()).toEqual([
      { name: 'python', count: 3 },
      { name: 'snippets', count: 1 },
    ]);

    // A tag opens the library filtered by it.
    await page.getByRole('link', { name: 'Library filtered by tag snippets' }).click();
    await page.waitForURL('**/?tag=snippets');
    await page.waitForFunction(() => document.querySelectorAll('.chat-row').length === 1);
  });

  it('shows totals, sources and a chart of chat logs per month by source', async () => {
    const page = await newPage();
    const api = await signUp(page, 'counter');
    await page.goto('/stats');
    await page.getByText('Nothing to count yet').waitFor();
    const at = (month: string) => [{ role: 'user' as const, content: `in ${month}`, createdAt: `${month}-10T10:00:00Z` }];
    for (const [month, source] of [
      ['2025-01', 'chatgpt'],
      ['2025-01', 'claude'],
      ['2025-01', 'chatgpt'],
      ['2025-03', 'claude'],
      ['2025-04', 'gemini'],
      ['2025-04', 'chatgpt'],
    ] as const) {
      await api.chatlogs.create.mutate({ source, title: `${source} ${month}`, tags: ['work'], content: { messages: at(month) } });
    }
    await page.reload();
    const chart = page.getByRole('img', { name: /Chat logs per month by source/ });
    await chart.waitFor();
    expect(await page.locator('.stat-totals').textContent()).toMatch(/Chat logs6.*Messages6.*Notes0/);
    // Four months, February empty, one bar segment per month and source.
    expect(await page.locator('.chart-bar').count()).toBe(4);
    expect(await page.locator('.chart-bar rect').count()).toBe(5);
    expect(await page.locator('.chart-legend li').allTextContents()).toEqual(['chatgpt', 'claude', 'gemini']);
    await page.getByText('Show the numbers as a table').click();
    const rows = await page.locator('.chart-table tbody tr').allTextContents();
    expect(rows).toEqual(['Jan 252103', 'Feb 250000', 'Mar 250101', 'Apr 251012']);
    await screenshot(page, 'stats-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'stats-dark');
  });

  it('downloads a log as Markdown, JSON and OpenAI messages, and links the full export', async () => {
    const page = await newPage();
    const api = await signUp(page, 'exporter');
    const log = await createLog(api, 'Export me', ['keep']);
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Export me', level: 1 }).waitFor();
    const files: Record<string, string> = {};
    for (const label of ['Markdown', 'JSON', 'OpenAI']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `${label} export` }).click()]);
      files[label] = readFileSync((await download.path())!, 'utf8');
      expect(download.suggestedFilename()).toMatch(/^export-me-[0-9a-f]{8}\.(md|json|openai\.json)$/);
    }
    expect(files.Markdown).toContain('How do I reverse a list in Python?');
    expect(JSON.parse(files.JSON!)).toBeTruthy();
    expect(JSON.stringify(JSON.parse(files.OpenAI!))).toContain('"role":"assistant"');
    await page.getByText(/Downloaded export-me-/).waitFor();
    await screenshot(page, 'chat-export-light', { fullPage: false });

    await page.goto('/');
    const zip = page.getByRole('link', { name: 'JSON (zip)' });
    expect(await zip.getAttribute('href')).toBe('/api/exports?format=json');
    expect(await page.getByRole('link', { name: 'Markdown (zip)' }).getAttribute('href')).toBe('/api/exports?format=markdown');
    const [download] = await Promise.all([page.waitForEvent('download'), zip.click()]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });
});
