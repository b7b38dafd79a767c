import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { seriousViolations } from './axe';
import { PASSWORD, browserSuite } from './harness';

// A new user's whole first session, through the UI only: every step is something a person does with
// the mouse or keyboard, so this test breaks when the journey does, whatever the unit tests say.
// Locators are roles, labels and visible text: the pages' markup is being reworked under this test.

const suite = browserSuite();

const USER = 'newcomer';
const LISBON = 'Planning a week in Lisbon';
const LISBON_EDITED = 'Lisbon, May 2025';
const SEARCHED = 'funicular';
const FOUND_SENTENCE = 'Ride the Bica funicular up from Cais do Sodré before nine to skip the queue';
const QUOTE = 'the Bica funicular';
const NOTE = 'Closed on Mondays in 2025: check before going.';
const ABANDONED_DRAFT = 'Porto is the better choice for a week, honestly.';
const CODE_LINE = 'print(items[::-1])';

const LISBON_TURNS = [
  ['I have a week in Lisbon in May. Where should I stay?', 'Alfama or Graça for charm, Baixa for being central, Príncipe Real for quiet streets and good cafés.'],
  ['Which day trips are worth it?', 'Sintra for the palaces, Cascais for the coast, and Setúbal if you like seafood and dolphins in the Sado estuary.'],
  ['How do I get around the city?', 'Walk where you can; the metro is simple, and tram 28 crosses the old town if you board early at Martim Moniz.'],
  ['What should I eat first?', 'Pastéis de nata at Manteigaria, bifana at O Trevo, and grilled sardines anywhere with a charcoal grill outside.'],
  ['Any museums for a rainy afternoon?', 'The Gulbenkian and its garden, the tile museum in Madre de Deus, and MAAT by the river.'],
  ['Where is the best sunset?', 'Miradouro da Senhora do Monte is higher and calmer than Santa Luzia; bring something to sit on.'],
  ['Is Belém worth half a day?', 'Yes: the monastery, the tower from outside, and the custard tarts at the original bakery, queue and all.'],
  ['How do I get up to Bairro Alto without climbing?', `${FOUND_SENTENCE}, or take the Glória lift from Restauradores.`],
  ['Anything for the evenings?', 'Fado in Mouraria rather than the tourist houses, then a drink on a rooftop in Chiado.'],
  ['Thanks, that is plenty.', 'Enjoy Lisbon! Comfortable shoes matter more than anything on this list.'],
] as const;

/** ChatGPT's export of the trip chat: the first answer was regenerated, so its mapping branches there. */
function lisbonConversation() {
  const conversation = chatgptConversation({
    id: 'conv-lisbon',
    title: LISBON,
    createTime: 1_746_000_000,
    turns: LISBON_TURNS.map(([user, assistant]) => ({ user, assistant })),
  });
  type Node = { id: string; message: { id: string; content: { parts: string[] } } | null; parent: string | null; children: string[] };
  const mapping = conversation.mapping as Record<string, Node>;
  const kept = mapping['conv-lisbon-assistant-0']!;
  const abandoned = structuredClone(kept);
  abandoned.id = abandoned.message!.id = 'conv-lisbon-assistant-0-first-draft';
  abandoned.message!.content.parts = [ABANDONED_DRAFT];
  abandoned.children = [];
  mapping[abandoned.id] = abandoned;
  // The draft came first; current_node follows the regenerated answer the person kept.
  mapping['conv-lisbon-user-0']!.children.unshift(abandoned.id);
  return conversation;
}

/** A conversations.json like ChatGPT's, with several conversations, code blocks and the branched one. */
function chatgptExport(): Buffer {
  const conversations = [
    chatgptConversation({
      id: 'conv-python',
      title: 'Reversing a list in Python',
      createTime: 1_745_000_000,
      turns: [
        {
          user: 'How do I reverse a list in Python?',
          assistant: `Use slicing for a reversed copy:\n\n\`\`\`python\nitems = [1, 2, 3]\n${CODE_LINE}\n\`\`\`\n\nor \`items.reverse()\` to reverse it in place.`,
        },
      ],
    }),
    chatgptConversation({
      id: 'conv-sourdough',
      title: 'Sourdough starter schedule',
      createTime: 1_744_000_000,
      turns: [
        { user: 'How often should I feed my sourdough starter?', assistant: 'Once a day at room temperature, once a week if it lives in the fridge.' },
        { user: 'And before baking?', assistant: 'Feed it 4 to 8 hours before, and use it when it has doubled and smells sweet.' },
      ],
    }),
    chatgptConversation({
      id: 'conv-photos',
      title: 'Renaming photos by date',
      createTime: 1_743_000_000,
      model: 'o3',
      turns: [
        {
          user: 'Rename my JPEGs to the date they were taken.',
          assistant: 'With exiftool:\n\n```bash\nexiftool "-FileName<DateTimeOriginal" -d "%Y-%m-%d_%H%M%S%%-c.%%e" *.jpg\n```',
        },
      ],
    }),
    chatgptConversation({
      id: 'conv-gift',
      title: 'Birthday present for a cyclist',
      createTime: 1_742_000_000,
      turns: [{ user: 'Ideas for a friend who cycles to work?', assistant: 'Good lights, a rain cape, or a service at their local bike shop.' }],
    }),
    lisbonConversation(),
  ];
  return Buffer.from(JSON.stringify(conversations));
}

async function expectAccessible(page: Page, where: string) {
  expect(await seriousViolations(page), `axe on ${where}`).toEqual([]);
}

function sidebarLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** Selects `text` as a person dragging over it would: the selection's start and end in the text node that holds it. */
async function selectText(page: Page, text: string) {
  await page.evaluate((text) => {
    const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      return;
    }
    throw new Error(`"${text}" is not on the page`);
  }, text);
}

async function downloadText(download: Download): Promise<Buffer> {
  return readFileSync((await download.path())!);
}

/** The files of a zip, read from its central directory (the export streams, so sizes sit there, not in the local headers). */
function unzip(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const files = new Map<string, string>();
  let at = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i -= 1) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

describe('a new user’s first session in Chromium', () => {
  it('signs up, imports a ChatGPT export, finds, annotates, tags, edits, restores and exports a chat, signs out and back in', async () => {
    const page = await suite.newPage();

    // Sign up.
    await page.goto('/signup');
    await page.getByRole('heading', { name: 'Create an account', level: 1 }).waitFor();
    await expectAccessible(page, 'the sign-up page');
    await page.getByLabel('Username', { exact: true }).fill(USER);
    await page.getByLabel('Email', { exact: true }).fill(`${USER}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    await page.getByText('No chat logs yet').waitFor();
    await expectAccessible(page, 'the empty library');

    // Import a ChatGPT export through the file picker, and wait for its report.
    await sidebarLink(page, 'Imports').click();
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    await page.getByLabel('Choose a file…').setInputFiles({ name: 'conversations.json', mimeType: 'application/json', buffer: chatgptExport() });
    const report = page.getByRole('region', { name: 'conversations.json' });
    await report.getByText('Finished', { exact: true }).waitFor({ timeout: 30_000 });
    await report.getByText('No problems: every conversation was taken.').waitFor();
    const counts = (await report.textContent())!;
    expect(counts).toMatch(/Conversations\s*5(?!\d)/);
    expect(counts).toMatch(/Created\s*5(?!\d)/);
    expect(counts).toMatch(/Failed\s*0(?!\d)/);
    await expectAccessible(page, 'the imports page with a report');

    // The library lists them; the branched chat holds only the branch the person kept (20 messages).
    await sidebarLink(page, 'Library').click();
    const library = page.getByRole('list', { name: 'Chat logs' });
    for (const title of [LISBON, 'Reversing a list in Python', 'Sourdough starter schedule', 'Renaming photos by date', 'Birthday present for a cyclist']) {
      await library.getByRole('link', { name: title }).waitFor();
    }
    await library.getByRole('listitem').filter({ has: page.getByRole('link', { name: LISBON }) }).getByText('20 messages').waitFor();
    await expectAccessible(page, 'the library');

    // The code block of an imported answer shows as code.
    await library.getByRole('link', { name: 'Reversing a list in Python' }).click();
    await page.getByRole('heading', { name: 'Reversing a list in Python', level: 1 }).waitFor();
    const code = page.getByText(CODE_LINE);
    await code.waitFor();
    expect(await code.evaluate((el) => el.closest('pre') !== null)).toBe(true);
    await expectAccessible(page, 'a chat with a code block');

    // `/` focuses the sidebar search; typing searches as you go.
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('/');
    const searchBox = page.getByRole('searchbox', { name: 'Search chat logs' });
    expect(await searchBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(SEARCHED, { delay: 30 });
    await page.waitForURL(/\/search\?q=funicular/);
    const results = page.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('link', { name: LISBON });
    await hit.waitFor();
    await expect.poll(async () => (await results.getByRole('heading').allTextContents()).length).toBe(1);
    // The snippet names the message and marks the word.
    await results.getByText('Message 16').waitFor();
    expect(await results.locator('mark').allTextContents()).toEqual([SEARCHED]);
    await expectAccessible(page, 'the search results');

    // The hit opens the chat at the matching message, in view, the searched word highlighted.
    await hit.click();
    await page.waitForURL(/\/chats\/[^?]+\?m=15&q=funicular$/);
    const lisbonUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: LISBON, level: 1 }).waitFor();
    // Sixteenth of twenty messages, under the chat's header and notes: in view only if the page scrolled to it.
    const found = page.getByText(FOUND_SENTENCE);
    await expect
      .poll(() => found.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }))
      .toBe(true);
    const highlighted = () => page.evaluate(() => [...(CSS.highlights.get('search-terms') ?? [])].map((range) => (range as Range).toString()));
    await expect.poll(highlighted).toEqual([SEARCHED]);
    expect(await page.getByText(ABANDONED_DRAFT).count()).toBe(0);
    await expectAccessible(page, 'the chat opened from a search hit');

    // Annotate selected text in that message, and see the note under it with the text marked.
    await selectText(page, QUOTE);
    await page.getByText(`“${QUOTE}” in message 16`).waitFor();
    await page.getByRole('button', { name: 'Annotate selection' }).click();
    await page.getByLabel('Note on the selected text').fill(NOTE);
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('list', { name: 'Notes on message 16' }).getByText(NOTE, { exact: true }).waitFor();
    expect(await page.locator('mark', { hasText: QUOTE }).count()).toBe(1);

    // Tag it, and find it under that tag on the tags page and in the filtered library.
    await page.getByRole('combobox', { name: 'Add a tag' }).fill('Travel');
    await page.getByRole('combobox', { name: 'Add a tag' }).press('Enter');
    await page.getByRole('link', { name: 'Library filtered by tag travel' }).waitFor();
    await sidebarLink(page, 'Tags').click();
    await page.getByRole('heading', { name: 'Tags', level: 1 }).waitFor();
    const tagRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Library filtered by tag travel' }) });
    expect((await tagRow.textContent())!).toMatch(/travel\s*1(?!\d)/);
    await expectAccessible(page, 'the tags page');
    await tagRow.getByRole('link', { name: 'Library filtered by tag travel' }).click();
    await page.waitForURL('**/?tag=travel');
    await expect.poll(async () => (await library.getByRole('heading').allTextContents()).map((t) => t.trim())).toEqual([LISBON]);
    await expectAccessible(page, 'the library filtered by a tag');

    // Edit the title: a new version.
    await library.getByRole('link', { name: LISBON }).click();
    await page.getByRole('heading', { name: LISBON, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit title' }).click();
    await page.getByLabel('Title', { exact: true }).fill(LISBON_EDITED);
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByRole('heading', { name: LISBON_EDITED, level: 1 }).waitFor();

    // The versions: the edit against the import, then version 1 restored after a confirmation.
    await page.getByRole('button', { name: /^Versions/ }).click();
    const versions = page.getByRole('table', { name: /Versions of this chat log/ });
    await versions.waitFor();
    await expect.poll(() => versions.getByRole('row').count()).toBe(3);
    const compare = page.getByRole('region', { name: 'Compare two versions' });
    await compare.getByText(LISBON, { exact: false }).first().waitFor();
    await compare.getByText(LISBON_EDITED, { exact: false }).first().waitFor();
    await expectAccessible(page, 'the chat with its versions and diff');
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    const confirm = page.getByRole('dialog', { name: 'Restore version 1?' });
    await confirm.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('heading', { name: LISBON, level: 1 }).waitFor();
    await page.getByText('Restored version 1 as version 3.').waitFor();
    await expect.poll(() => versions.getByRole('row').count()).toBe(4);
    // The note and the tag belong to the log, not to a version: both are still there.
    await page.getByRole('list', { name: 'Notes on message 16' }).getByText(NOTE, { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Library filtered by tag travel' }).waitFor();

    // Export the chat as Markdown: the messages, the note and the tag are in the file.
    const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Markdown export' }).click()]);
    expect(markdown.suggestedFilename()).toMatch(/^planning-a-week-in-lisbon-[0-9a-f]{8}\.md$/);
    const text = (await downloadText(markdown)).toString('utf8');
    expect(text).toContain(`# ${LISBON}`);
    expect(text).toContain('- Tags: travel');
    for (const [user, assistant] of LISBON_TURNS) {
      expect(text).toContain(user);
      expect(text).toContain(assistant);
    }
    expect(text).toContain(`“${QUOTE}” — ${NOTE}`);
    expect(text).not.toContain(ABANDONED_DRAFT);

    // Export the whole library as a zip: one JSON file per chat, the branch kept in the trip's metadata.
    await sidebarLink(page, 'Library').click();
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'JSON (zip)' }).click()]);
    const files = unzip(await downloadText(zip));
    expect(files.size).toBe(5);
    const exported = [...files.values()].map((body) => (JSON.parse(body) as { chatlog: { title: string; tags: string[]; annotations: { content: string }[]; content: { messages: unknown[] }; metadata: Record<string, unknown> } }).chatlog);
    const trip = exported.find((log) => log.title === LISBON)!;
    expect(trip).toMatchObject({ tags: ['travel'], annotations: [{ content: NOTE }] });
    expect(trip.content.messages).toHaveLength(20);
    expect(JSON.stringify(trip.metadata)).toContain(ABANDONED_DRAFT);
    expect(exported.map((log) => log.title).sort()).toEqual(['Birthday present for a cyclist', LISBON, 'Renaming photos by date', 'Reversing a list in Python', 'Sourdough starter schedule']);

    // Sign out: the sign-in page, and the app's pages send back to it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await expectAccessible(page, 'the sign-in page');
    await page.goto(lisbonUrl);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

    // Signing in again brings the library back, with the chat as it was left.
    await page.goto('/signin');
    await page.getByLabel('Username or email').fill(USER);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    const row = library.getByRole('listitem').filter({ has: page.getByRole('link', { name: LISBON }) });
    await row.getByRole('list', { name: 'Tags' }).getByText('travel').waitFor();
    expect(await library.getByRole('link', { name: LISBON_EDITED }).count()).toBe(0);
    await expectAccessible(page, 'the library after signing in again');
  });
});
