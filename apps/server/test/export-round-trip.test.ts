import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { runImportJob } from '@chatsynth/api';
import { createTestDatabase } from '@chatsynth/db/testing';
import type { ChatSynthSingleExport } from '@chatsynth/importers';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { createApp } from '../src/app';
import { callerFor as callerForToken, ORIGIN, signUpThrough } from './helpers';


describe('importing ChatSynth’s own export back', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let uploadDir: string;

  const signUp = (username: string) => signUpThrough(app, username);
  const callerFor = (token: string) => callerForToken(db.orm, token);
  const importAs = async (token: string, body: Uint8Array | string) => {
    const res = await app.request(`${ORIGIN}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    expect(res.status, await res.clone().text()).toBe(202);
    const { importId } = (await res.json()) as { importId: string };
    await runImportJob(db.orm, importId);
    return (await callerFor(token)).imports.get({ id: importId });
  };
  const exportZip = async (token: string) => {
    const res = await app.request(`${ORIGIN}/api/exports?format=json`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  };
  /** Everything a user sees of their library, to compare before and after. */
  const library = async (token: string) => {
    const api = await callerFor(token);
    const { items } = await api.chatlogs.list({ limit: 100, sort: 'createdAt', order: 'asc' });
    return Promise.all(
      items.map(async (item) => ({
        ...(await api.chatlogs.get({ id: item.id })),
        annotations: (await api.annotations.list({ chatlogId: item.id })).map((a) => [a.content, a.messageIndex, a.quote, a.start, a.end]),
        versions: (await api.versions.list({ chatlogId: item.id })).map((v) => [v.version, v.change]),
      })),
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    uploadDir = mkdtempSync(join(tmpdir(), 'chatsynth-round-trip-'));
    app = createApp({ orm: db.orm, uploadDir });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  it('changes nothing for logs created by hand, pasted or imported; a log edited in the file becomes a new version', async () => {
    const alice = await signUp('alice');
    const api = await callerFor(alice);
    // By hand: the web app's "New chat log" form.
    const byHand = await api.chatlogs.create({
      source: 'manual',
      title: 'Packing list for Lisbon',
      summary: 'What to bring for a week in May.',
      content: {
        messages: [
          { role: 'user', content: 'What should I pack for Lisbon in May?' },
          { role: 'assistant', content: 'Light layers, a rain jacket and comfortable shoes for the hills.' },
        ],
      },
      tags: ['travel'],
    });
    await api.annotations.create({ chatlogId: byHand.id, content: 'Buy the jacket', messageIndex: 1, start: 14, end: 27 });
    await api.annotations.create({ chatlogId: byHand.id, content: 'Ask Ana about shoes' });
    // Pasted: a transcript copied from Claude, stored under its platform with no conversation id.
    await api.chatlogs.create({
      source: 'claude',
      content: {
        messages: [
          { role: 'user', content: 'Explain the difference between a tram and a funicular.' },
          { role: 'assistant', content: 'A tram runs on streets; a funicular is pulled up a steep slope by a cable.' },
        ],
      },
    });
    // Imported: a ChatGPT export, one of its logs retitled and tagged in the app afterwards.
    const chatgpt = [
      chatgptConversation({ id: '6650c2a1-8f3e-8001-b1d2-0000000000a1', title: 'Sintra day trip', turns: [{ user: 'Is Sintra worth a day?', assistant: 'Yes: Pena Palace and the Moorish castle.' }] }),
      chatgptConversation({ id: '6650c2a1-8f3e-8001-b1d2-0000000000a2', title: 'Pastel de nata', turns: [{ user: 'Where is the best pastel de nata?', assistant: 'Try Manteigaria or Pastéis de Belém.' }] }),
    ];
    expect((await importAs(alice, JSON.stringify(chatgpt))).counts).toMatchObject({ created: 2 });
    const sintra = (await api.chatlogs.list()).items.find((i) => i.title === 'Sintra day trip')!;
    await api.chatlogs.update({ id: sintra.id, expectedVersion: 1, title: 'Sintra, by train' });
    await api.chatlogs.setTags({ id: sintra.id, tags: ['day trips'] });

    const before = await library(alice);
    const zip = await exportZip(alice);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toHaveLength(4);
    for (const [name, bytes] of Object.entries(files)) {
      const { chatlog } = JSON.parse(strFromU8(bytes)) as ChatSynthSingleExport;
      const log = before.find((l) => l.id === chatlog.id);
      expect(log, name).toBeDefined();
      expect(chatlog.version).toBe(log!.version);
    }

    const back = await importAs(alice, zip);
    expect(back).toMatchObject({ status: 'succeeded', problems: [] });
    expect(back.counts).toEqual({ conversations: 4, created: 0, updated: 0, unchanged: 4, failed: 0 });
    expect(await library(alice)).toEqual(before);

    // Edited in the file (a message added), the log takes the file's state as a new version.
    const [name, bytes] = Object.entries(files).find(([, b]) => strFromU8(b).includes('Packing list for Lisbon'))!;
    const edited = JSON.parse(strFromU8(bytes)) as ChatSynthSingleExport;
    edited.chatlog.content.messages.push({ role: 'user', content: 'And for June?' });
    const editedZip = zipSync({ ...files, [name]: strToU8(JSON.stringify(edited)) });
    const again = await importAs(alice, editedZip);
    expect(again.counts).toEqual({ conversations: 4, created: 0, updated: 1, unchanged: 3, failed: 0 });
    const after = await library(alice);
    const packing = after.find((l) => l.id === byHand.id)!;
    expect(packing).toMatchObject({ version: 2, messageCount: 3, title: 'Packing list for Lisbon', tags: ['travel'] });
    expect(packing.versions).toEqual([
      [2, 'imported'],
      [1, 'created'],
    ]);
    expect(packing.annotations).toEqual(before.find((l) => l.id === byHand.id)!.annotations);
    expect(after.filter((l) => l.id !== byHand.id)).toEqual(before.filter((l) => l.id !== byHand.id));

    // The first export again: that log has changed since it was made, so the older file does not overwrite it.
    const stale = await importAs(alice, zip);
    expect(stale.counts).toEqual({ conversations: 4, created: 0, updated: 0, unchanged: 4, failed: 0 });
    expect(stale.problems).toEqual([
      { conversation: 'Packing list for Lisbon', reason: expect.stringMatching(/changed after this export was made \(it is at version 2, the file holds version 1\)/) },
    ]);
    expect(await library(alice)).toEqual(after);
  });

  it("creates new logs from someone else's export and never touches theirs", async () => {
    const carol = await signUp('carol');
    const dave = await signUp('dave');
    const carolApi = await callerFor(carol);
    await carolApi.chatlogs.create({ source: 'manual', title: 'Recipe ideas', content: { messages: [{ role: 'user', content: 'Ideas for dinner with leeks?' }] } });
    const carolsBefore = await library(carol);
    const zip = await exportZip(carol);

    expect((await importAs(dave, zip)).counts).toEqual({ conversations: 1, created: 1, updated: 0, unchanged: 0, failed: 0 });
    const [copy] = await library(dave);
    expect(copy).toMatchObject({ title: 'Recipe ideas', source: 'manual', version: 1 });
    expect(copy!.id).not.toBe(carolsBefore[0]!.id);
    expect(await library(carol)).toEqual(carolsBefore);
    // Again: Dave's copy is found by the id it came from, unchanged; Carol's log still untouched.
    expect((await importAs(dave, zip)).counts).toEqual({ conversations: 1, created: 0, updated: 0, unchanged: 1, failed: 0 });
    expect(await library(carol)).toEqual(carolsBefore);
    // And Dave's own export of the copy comes back to the copy.
    expect((await importAs(dave, await exportZip(dave))).counts).toEqual({ conversations: 1, created: 0, updated: 0, unchanged: 1, failed: 0 });
    expect(await library(dave)).toEqual([copy]);
  });
  it('reads an export made before exports carried versions by its updatedAt', async () => {
    const erin = await signUp('erin');
    const api = await callerFor(erin);
    const log = await api.chatlogs.create({ source: 'manual', title: 'Tiles', content: { messages: [{ role: 'user', content: 'What are azulejos?' }] } });
    const files = unzipSync(await exportZip(erin));
    const withoutVersions = Object.fromEntries(
      Object.entries(files).map(([name, bytes]) => {
        const file = JSON.parse(strFromU8(bytes)) as ChatSynthSingleExport;
        delete file.chatlog.version;
        return [name, strToU8(JSON.stringify(file))];
      }),
    );
    expect((await importAs(erin, zipSync(withoutVersions))).counts).toMatchObject({ created: 0, unchanged: 1 });
    await api.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Azulejos' });
    const stale = await importAs(erin, zipSync(withoutVersions));
    expect(stale.counts).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(stale.problems).toEqual([{ conversation: 'Tiles', reason: expect.stringMatching(/^It changed after this export was made, so the file did not overwrite it/) }]);
    expect(await api.chatlogs.get({ id: log.id })).toMatchObject({ title: 'Azulejos', version: 2 });
  });
});
