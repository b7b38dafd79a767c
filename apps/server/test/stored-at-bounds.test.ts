import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import superjson from 'superjson';
import { uuidv7 } from 'uuidv7';
import { appRouter, authenticate, createCallerFactory, createContextInner, LIMITS, MAX_TRPC_BODY_BYTES } from '@chatsynth/api';
import { createTestDatabase } from '@chatsynth/db/testing';
import { MAX_JSON_BYTES } from '@chatsynth/importers/canonical';
import { createApp } from '../src/app';

const ORIGIN = 'http://localhost:3000';
const MB = 1024 * 1024;

/** `n` characters of `unit`, a character of several UTF-8 bytes, so a bound in characters weighs the most. */
const heavy = (n: number, unit = '€') => unit.repeat(n);

/** Metadata of MAX_JSON_BYTES as JSON, in three-byte characters. */
function metadataAtBound(): Record<string, unknown> {
  const base = { note: '' };
  const room = MAX_JSON_BYTES - Buffer.byteLength(JSON.stringify(base));
  const metadata = { ...base, note: heavy(Math.floor(room / 3)) };
  expect(Buffer.byteLength(JSON.stringify(metadata))).toBeLessThanOrEqual(MAX_JSON_BYTES);
  expect(Buffer.byteLength(JSON.stringify(metadata))).toBeGreaterThan(MAX_JSON_BYTES - 3);
  return metadata;
}

/**
 * The heaviest content a log can hold: as much JSON as one API request may carry (the import writer's
 * bound too). One message of prose at its own bound, so search has the longest text to read and
 * highlight, and code parts (not searched) for the rest.
 */
function contentAtBound() {
  const sentence = 'The night ferry to the islands leaves from the harbour at eleven. ';
  const prose = sentence.repeat(Math.floor(LIMITS.messageContent / sentence.length));
  const row = 'island,departure,arrival,vessel\nCorvo,23:00,06:40,Ilha Azul\n';
  const csv = row.repeat(Math.floor(LIMITS.messageContent / row.length));
  const messages: Array<{ role: 'user' | 'assistant'; content: string; parts?: Array<{ type: 'code'; language: string; text: string }> }> = [
    { role: 'user', content: prose },
  ];
  const bytes = () => Buffer.byteLength(JSON.stringify({ messages }));
  while (bytes() + 2.1 * MB < MAX_TRPC_BODY_BYTES) messages.push({ role: 'assistant', content: 'The timetable:', parts: [{ type: 'code', language: 'csv', text: csv }] });
  expect(bytes()).toBeGreaterThan(MAX_TRPC_BODY_BYTES - 2.2 * MB);
  expect(bytes()).toBeLessThanOrEqual(MAX_TRPC_BODY_BYTES);
  return { messages };
}

describe('logs stored at every bound', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let uploadDir: string;
  let token: string;

  const query = (path: string, input: unknown) =>
    app.request(`${ORIGIN}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const data = async <T>(res: Response) => {
    const text = await res.text();
    expect(res.status, text.slice(0, 500)).toBe(200);
    return { bytes: Buffer.byteLength(text), value: superjson.deserialize<T>((JSON.parse(text) as { result: { data: never } }).result.data) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    uploadDir = mkdtempSync(join(tmpdir(), 'chatsynth-bounds-'));
    app = createApp({ orm: db.orm, uploadDir });
    const res = await app.request(`${ORIGIN}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ username: 'hoarder', email: 'hoarder@example.com', password: 'correct horse battery' })),
    });
    token = superjson.deserialize<{ token: string }>(((await res.json()) as { result: { data: never } }).result.data).token;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  // Reading 20 MB of content through PGlite takes a while on a busy machine: a limit, not a measurement.
  it('lists, searches and exports them; a list page of 100 weighs what the bounds allow', { timeout: 180_000 }, async () => {
    const em = db.orm.em.fork();
    const auth = await authenticate(em, new Headers({ authorization: `Bearer ${token}` }));
    const api = createCallerFactory(appRouter)(createContextInner({ em, user: auth!.user, credential: auth!.credential }));
    const at = {
      title: heavy(LIMITS.title, '😀'),
      summary: heavy(LIMITS.summary, '😀'),
      tags: Array.from({ length: LIMITS.tags }, (_, i) => `${String(i).padStart(2, '0')}-${'ferry'.repeat(12)}`.slice(0, LIMITS.tag)),
    };
    const small = { messages: [{ role: 'user' as const, content: 'When does the night ferry leave?' }] };
    // The biggest log: content, title, summary, metadata and tags all at their bounds.
    const biggest = await api.chatlogs.create({ source: 'x'.repeat(LIMITS.source), ...at, metadata: metadataAtBound(), content: contentAtBound() });
    // And 99 more like it with a short conversation, copied in SQL (one chatlogs.create at these bounds
    // takes ~0.3 s; what is measured here is reading them).
    const copies = Array.from({ length: 99 }, () => uuidv7());
    await em.execute(
      `insert into chatlogs (id, user_id, source, title, content, summary, metadata, version, content_hash, message_count, created_at, updated_at)
       select copy.id, c.user_id, c.source, c.title, ?::jsonb, c.summary, c.metadata, 1, 'copy', 1, now(), now()
       from chatlogs c cross join unnest(string_to_array(?, ',')::uuid[]) as copy(id) where c.id = ?`,
      [JSON.stringify(small), copies.join(','), biggest.id],
    );
    await em.execute(
      `insert into chat_tags (chat_id, tag_id) select copy.id, t.tag_id
       from chat_tags t cross join unnest(string_to_array(?, ',')::uuid[]) as copy(id) where t.chat_id = ?`,
      [copies.join(','), biggest.id],
    );

    const list = await data<{ items: Array<{ id: string }> }>(await query('chatlogs.list', { limit: 100 }));
    expect(list.value.items).toHaveLength(100);
    // 256 KB of metadata, a 40 KB summary and 2 KB of title a row: about 29 MB a page, never hundreds.
    expect(list.bytes).toBeGreaterThan(100 * (MAX_JSON_BYTES + 40_000));
    expect(list.bytes).toBeLessThan(32 * MB);
    console.log(`chatlogs.list, 100 logs at every bound: ${(list.bytes / MB).toFixed(1)} MB`);

    const search = await data<{ items: Array<{ chatlog: { id: string } }> }>(await query('chatlogs.search', { query: 'night ferry', limit: 100 }));
    expect(search.value.items).toHaveLength(100);
    expect(search.value.items.map((i) => i.chatlog.id)).toContain(biggest.id);
    expect(search.bytes).toBeLessThan(33 * MB);
    console.log(`chatlogs.search, 100 hits at every bound: ${(search.bytes / MB).toFixed(1)} MB`);

    const get = await data<{ content: { messages: unknown[] } }>(await query('chatlogs.get', { id: biggest.id }));
    expect(get.value.content.messages.length).toBeGreaterThan(5);
    for (const format of ['json', 'markdown', 'openai'] as const) {
      const file = await data<{ body: string }>(await query('chatlogs.export', { id: biggest.id, format }));
      expect(file.value.body.length, format).toBeGreaterThan(LIMITS.messageContent);
    }
    const zip = await app.request(`${ORIGIN}/api/exports?format=json`, { headers: { authorization: `Bearer ${token}` } });
    expect(zip.status).toBe(200);
    const files = Object.values(unzipSync(new Uint8Array(await zip.arrayBuffer())));
    expect(files).toHaveLength(100);
    expect(files.map((f) => (JSON.parse(strFromU8(f)) as { chatlog: { id: string } }).chatlog.id)).toContain(biggest.id);
  });
});
