import { describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { seriousViolations } from './axe';
import { browserSuite, screenshot } from './harness';

const suite = browserSuite();
const newPage = suite.newPage;

const signUp = (page: Page, username: string) => suite.signUpWithApi(page, username);

type Api = Awaited<ReturnType<typeof signUp>>;

const MESSAGES = [
  { role: 'user' as const, content: 'Which ferry goes to Cacilhas?' },
  { role: 'assistant' as const, content: 'The one from Cais do Sodré, every 20 minutes or so.' },
];

function createLog(api: Api, title: string, tags: string[] = []) {
  return api.chatlogs.create.mutate({ source: 'chatgpt', title, tags, content: { messages: MESSAGES } });
}

/** Screenshots show notifications as they stay, not half-way through their entrance. */
async function settled(page: Page) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
}

function toast(page: Page, text: string) {
  return page.getByRole('region', { name: /^Notifications/ }).locator('.toast', { hasText: text });
}

/** The titles the library lists, in order. */
function libraryTitles(page: Page) {
  return page.locator('.chat-list .chat-row-title').allTextContents();
}

/**
 * Holds back the browser's tRPC requests to `procedure` until the returned `release` is called, so a
 * test can look at the page while the server has not answered yet.
 */
async function holdRequests(page: Page, procedure: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let seen!: () => void;
  const arrived = new Promise<void>((resolve) => (seen = resolve));
  const matches = (url: URL) => url.pathname.startsWith('/trpc/') && url.pathname.includes(procedure);
  await page.route(
    matches,
    async (route: Route) => {
      seen();
      await released;
      await route.continue();
    },
    { times: 1 },
  );
  return { arrived, release };
}

/** Answers the browser's next tRPC call to `procedure` with a server error, as tRPC's batch link would receive it. */
async function failNext(page: Page, procedure: string) {
  const matches = (url: URL) => url.pathname.startsWith('/trpc/') && url.pathname.includes(procedure);
  await page.route(
    matches,
    (route: Route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify([
          { error: { json: { message: 'The database is not answering.', code: -32603, data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path: procedure } } } },
        ]),
      }),
    { times: 1 },
  );
}

describe('feedback, undo and optimistic updates in Chromium', () => {
  it('moves a log to the trash from its page, says so in the library, and Undo brings it back', async () => {
    const page = await newPage();
    const api = await signUp(page, 'binner');
    await createLog(api, 'Keep this one');
    const log = await createLog(api, 'Ferry to Cacilhas');

    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Ferry to Cacilhas', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    // Escape backs out of the confirmation and gives the focus back to Delete.
    await page.getByText('Move this chat log to the trash?').waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('Move this chat log to the trash?').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Delete');

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.waitForURL(`${suite.server.url}/`);
    const moved = toast(page, 'Moved “Ferry to Cacilhas” to the trash.');
    await moved.waitFor();
    await expect.poll(() => libraryTitles(page)).toEqual(['Keep this one']);
    expect((await api.chatlogs.trash.query({})).items.map((item) => item.id)).toEqual([log.id]);

    await moved.getByRole('button', { name: 'Undo' }).click();
    await moved.waitFor({ state: 'detached' });
    const restored = toast(page, 'Restored “Ferry to Cacilhas” to the library.');
    await restored.waitFor();
    await expect.poll(() => libraryTitles(page)).toEqual(['Ferry to Cacilhas', 'Keep this one']);
    expect((await api.chatlogs.trash.query({})).items).toEqual([]);

    // Its "Open it" goes to the log.
    await restored.getByRole('button', { name: 'Open it' }).click();
    await page.getByRole('heading', { name: 'Ferry to Cacilhas', level: 1 }).waitFor();
  });

  it('takes a log out of the library list before the server answers, and Undo puts it back', async () => {
    const page = await newPage();
    const api = await signUp(page, 'tidier');
    await createLog(api, 'Older');
    await createLog(api, 'Newer');
    await page.reload();
    await expect.poll(() => libraryTitles(page)).toEqual(['Newer', 'Older']);

    const held = await holdRequests(page, 'chatlogs.delete');
    await page.getByRole('button', { name: 'Move to trash “Newer”' }).click();
    await held.arrived;
    // The server has not answered yet, and the row is already gone; focus moved to the next row's button.
    await expect.poll(() => libraryTitles(page)).toEqual(['Older']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Move to trash “Older”');
    expect((await api.chatlogs.trash.query({})).items).toEqual([]);
    held.release();

    const moved = toast(page, 'Moved “Newer” to the trash.');
    await moved.getByRole('button', { name: 'Undo' }).click();
    await toast(page, 'Restored “Newer” to the library.').waitFor();
    await expect.poll(() => libraryTitles(page)).toEqual(['Newer', 'Older']);
  });

  it('restores from the trash at once, and Undo moves the log back to the trash', async () => {
    const page = await newPage();
    const api = await signUp(page, 'restorer');
    const log = await createLog(api, 'Sourdough schedule');
    await api.chatlogs.delete.mutate({ id: log.id });
    await page.goto('/trash');
    await page.locator('.trash-row').first().waitFor();

    await page.getByRole('button', { name: 'Restore “Sourdough schedule”' }).click();
    const restored = toast(page, 'Restored “Sourdough schedule” to the library.');
    await restored.waitFor();
    await page.getByText('The trash is empty').waitFor();
    expect((await api.chatlogs.get.query({ id: log.id })).title).toBe('Sourdough schedule');

    await restored.getByRole('button', { name: 'Undo' }).click();
    await toast(page, 'Moved “Sourdough schedule” to the trash.').waitFor();
    await page.locator('.trash-row', { hasText: 'Sourdough schedule' }).waitFor();
    expect((await api.chatlogs.trash.query({})).items.map((item) => item.id)).toEqual([log.id]);
  });

  it('removes a tag at once, and Undo adds it back', async () => {
    const page = await newPage();
    const api = await signUp(page, 'untagger');
    const log = await createLog(api, 'Lisbon trip', ['ferries', 'travel']);
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Lisbon trip', level: 1 }).waitFor();
    const chip = page.locator('.chat-header .tag-chip', { hasText: 'ferries' });
    await chip.waitFor();

    const held = await holdRequests(page, 'chatlogs.setTags');
    await page.getByRole('button', { name: 'Remove tag ferries' }).click();
    await held.arrived;
    await chip.waitFor({ state: 'detached' });
    held.release();
    const removed = toast(page, 'Removed the tag ferries from “Lisbon trip”.');
    await removed.waitFor();
    expect((await api.chatlogs.get.query({ id: log.id })).tags).toEqual(['travel']);

    await removed.getByRole('button', { name: 'Undo' }).click();
    await chip.waitFor();
    await toast(page, 'Put the tag ferries back on “Lisbon trip”.').waitFor();
    expect((await api.chatlogs.get.query({ id: log.id })).tags).toEqual(['ferries', 'travel']);

    // A failed change puts the tags back and says why.
    await failNext(page, 'chatlogs.setTags');
    await page.getByRole('button', { name: 'Remove tag travel' }).click();
    await toast(page, 'Could not remove the tag travel. Something went wrong on the server.').waitFor();
    await page.locator('.chat-header .tag-chip', { hasText: 'travel' }).waitFor();
    expect((await api.chatlogs.get.query({ id: log.id })).tags).toEqual(['ferries', 'travel']);
  });

  it('shows an edited title before the server answers, and rolls it back when the server fails or the log changed elsewhere', async () => {
    const page = await newPage();
    const api = await signUp(page, 'retitler');
    const log = await createLog(api, 'Draft title');
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Draft title', level: 1 }).waitFor();

    // Optimistic: the heading and version change while the request is held back.
    const held = await holdRequests(page, 'chatlogs.update');
    await page.getByRole('button', { name: 'Edit title' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Ferry times');
    await page.getByRole('button', { name: 'Save title' }).click();
    await held.arrived;
    await page.getByRole('heading', { name: 'Ferry times', level: 1 }).waitFor();
    expect(await page.locator('.chat-meta').textContent()).toMatch(/Version\s*2/);
    expect((await api.chatlogs.get.query({ id: log.id })).title).toBe('Draft title');
    held.release();
    const renamed = toast(page, 'Renamed “Draft title” to “Ferry times”.');
    await renamed.waitFor();
    expect((await api.chatlogs.get.query({ id: log.id })).title).toBe('Ferry times');

    // Undo renames it back (a new version).
    await renamed.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('heading', { name: 'Draft title', level: 1 }).waitFor();
    await toast(page, 'Renamed “Ferry times” to “Draft title”.').waitFor();
    await expect.poll(async () => (await api.chatlogs.get.query({ id: log.id })).version).toBe(3);

    // The server fails: the old title comes back, the form opens again with what was typed.
    await failNext(page, 'chatlogs.update');
    await page.getByRole('button', { name: 'Edit title' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Broken save');
    await page.getByRole('button', { name: 'Save title' }).click();
    const failed = toast(page, 'Could not rename “Draft title”. Something went wrong on the server.');
    await failed.waitFor();
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Broken save');
    expect(await page.locator('#chat-title').textContent()).toBe('Draft title');
    expect(await page.locator('.chat-meta').textContent()).toMatch(/Version\s*3/);
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Changed elsewhere while the form is open: CONFLICT rolls back, says so, and offers Reload.
    await page.getByRole('button', { name: 'Edit title' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Mine');
    await api.chatlogs.update.mutate({ id: log.id, expectedVersion: 3, summary: 'Changed in another tab.' });
    await page.getByRole('button', { name: 'Save title' }).click();
    const conflict = toast(page, '“Mine” was not saved: this chat log changed elsewhere');
    await conflict.waitFor();
    await page.getByText(/This chat log changed since you opened it \(it is now version 4/).waitFor();
    expect(await page.locator('#chat-title').textContent()).toBe('Draft title');
    await settled(page);
    await screenshot(page, 'toast-conflict-light', { fullPage: false });
    await Promise.all([
      page.waitForRequest((request) => request.url().includes('chatlogs.get')),
      conflict.getByRole('button', { name: 'Reload' }).click(),
    ]);
    await page.getByText('Changed in another tab.').waitFor();
    expect(await page.locator('.chat-meta').textContent()).toMatch(/Version\s*4/);
  });

  it('undoes a version restore and a deleted note', async () => {
    const page = await newPage();
    const api = await signUp(page, 'undoer');
    const log = await createLog(api, 'First title');
    await api.chatlogs.update.mutate({ id: log.id, expectedVersion: 1, title: 'Second title' });
    const quote = 'Cais do Sodré';
    const start = MESSAGES[1]!.content.indexOf(quote);
    await api.annotations.create.mutate({ chatlogId: log.id, content: 'Buy a Viva Viagem card first.', messageIndex: 1, start, end: start + quote.length });
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Second title', level: 1 }).waitFor();

    await page.getByRole('button', { name: /^Versions/ }).click();
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('dialog', { name: 'Restore version 1?' }).getByRole('button', { name: 'Restore version 1' }).click();
    const restored = toast(page, 'Restored version 1 as version 3.');
    await page.getByRole('heading', { name: 'First title', level: 1 }).waitFor();
    await restored.getByRole('button', { name: 'Undo' }).click();
    await toast(page, 'Restored version 2 as version 4.').waitFor();
    await page.getByRole('heading', { name: 'Second title', level: 1 }).waitFor();
    expect((await api.versions.list.query({ chatlogId: log.id })).map((v) => v.version)).toEqual([4, 3, 2, 1]);

    const notes = page.getByRole('list', { name: 'Notes on message 2' });
    await notes.getByRole('button', { name: /^Delete note “Buy a Viva/ }).click();
    await page.getByRole('dialog', { name: 'Delete this note?' }).getByRole('button', { name: 'Delete note' }).click();
    const deleted = toast(page, 'Note deleted.');
    await deleted.waitFor();
    await notes.waitFor({ state: 'detached' });
    await deleted.getByRole('button', { name: 'Undo' }).click();
    await toast(page, 'Note restored.').waitFor();
    await notes.locator('.note-text', { hasText: 'Buy a Viva Viagem card first.' }).waitFor();
    const [note] = await api.annotations.list.query({ chatlogId: log.id });
    expect(note).toMatchObject({ content: 'Buy a Viva Viagem card first.', messageIndex: 1, quote, start, end: start + quote.length });
    expect(await page.locator('mark.annotation-mark').textContent()).toBe(quote);
  });

  it('dismisses notifications with Escape (after an open panel), with the close button and by itself, and passes axe', async () => {
    const page = await newPage();
    const api = await signUp(page, 'escaper');
    const log = await createLog(api, 'Tram 28', ['trams', 'travel']);
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('heading', { name: 'Tram 28', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Remove tag trams' }).click();
    const removed = toast(page, 'Removed the tag trams from “Tram 28”.');
    await removed.waitFor();
    // The notification is in a polite live region (announced without interrupting), inside a landmark.
    const live = page.getByRole('region', { name: /^Notifications/ }).getByRole('status');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    expect(await live.textContent()).toContain('Removed the tag trams from “Tram 28”.');

    expect(await seriousViolations(page)).toEqual([]);
    await page.mouse.move(0, 0);
    await settled(page);
    await screenshot(page, 'toast-light', { fullPage: false });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'toast-dark', { fullPage: false });
    await page.emulateMedia({ colorScheme: 'light' });

    // An open panel takes the first Escape; the notification the second.
    await page.getByRole('button', { name: 'Edit title' }).click();
    await page.getByRole('textbox', { name: 'Title' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: 'Title' }).waitFor({ state: 'detached' });
    expect(await removed.isVisible()).toBe(true);
    // Focus goes back to the button that opened the form, on the next frame.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Edit title');
    await page.keyboard.press('Escape');
    await removed.waitFor({ state: 'detached' });

    // F8 reaches the newest notification's Undo from the keyboard; Enter undoes.
    await page.getByRole('button', { name: 'Remove tag travel' }).click();
    const second = toast(page, 'Removed the tag travel from “Tram 28”.');
    await second.waitFor();
    await page.keyboard.press('F8');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Undo');
    await page.keyboard.press('Enter');
    await page.locator('.chat-header .tag-chip', { hasText: 'travel' }).waitFor();
    await toast(page, 'Put the tag travel back on “Tram 28”.').getByRole('button', { name: 'Dismiss notification' }).click();
    await toast(page, 'Put the tag travel back').waitFor({ state: 'detached' });

    // Left alone, a notification goes by itself; hovering holds it.
    await page.getByRole('button', { name: 'Remove tag travel' }).click();
    const third = toast(page, 'Removed the tag travel from “Tram 28”.');
    await third.hover();
    await page.waitForTimeout(8_000);
    expect(await third.isVisible()).toBe(true);
    await page.mouse.move(0, 0);
    await third.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('lays notifications out across the bottom of a phone screen', async () => {
    const page = await newPage('dark');
    const api = await signUp(page, 'phoner');
    const log = await createLog(api, 'A title long enough to need two lines on a narrow phone screen', ['ferries']);
    await page.setViewportSize({ width: 390, height: 780 });
    await page.goto(`/chats/${log.id}`);
    await page.getByRole('button', { name: 'Remove tag ferries' }).click();
    const removed = toast(page, 'Removed the tag ferries');
    await removed.waitFor();
    await page.mouse.move(0, 0);
    const box = (await removed.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await settled(page);
    await screenshot(page, 'toast-phone-dark', { fullPage: false });
  });
});
