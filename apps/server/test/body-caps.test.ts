import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { createTestDatabase } from '@chatsynth/db/testing';
import { createApp } from '../src/app';

const ORIGIN = 'http://localhost:3000';
const MiB = 1024 * 1024;

/**
 * A request body that arrives in 256 KiB chunks up to `head`, then waits until `finish()` to send
 * `tail`. `arrived` resolves once the server has read all of `head` and asked for more (the stream
 * pulls only on demand), so the test knows those bytes are held by the server.
 */
function heldBody(head: Uint8Array, tail: Uint8Array = new Uint8Array()) {
  let offset = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (offset < head.length) {
          const chunk = head.subarray(offset, offset + 256 * 1024);
          offset += chunk.length;
          controller.enqueue(chunk);
          return;
        }
        arrive();
        await finished;
        if (tail.length) controller.enqueue(tail);
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, arrived, finish, read: () => offset };
}

const spaces = (bytes: number) => new Uint8Array(bytes).fill(0x20);
const encode = (text: string) => new TextEncoder().encode(text);

describe('caps on large bodies and concurrent uploads', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let uploadDir: string;
  let app: ReturnType<typeof createApp>;
  const tokens: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    uploadDir = mkdtempSync(join(tmpdir(), 'chatsynth-uploads-'));
    // A small budget so the test holds a few MB, not the default's 40 and 120 MB.
    app = createApp({ orm: db.orm, uploadDir, trustProxy: true, bodyBudget: { perAddress: 3 * MiB, total: 5 * MiB } });
    for (const name of ['uploader', 'neighbour']) {
      const res = await app.request(`${ORIGIN}/trpc/auth.signUp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.20.0.1' },
        body: JSON.stringify(superjson.serialize({ username: name, email: `${name}@example.com`, password: 'correct horse battery' })),
      });
      tokens.push(superjson.deserialize<{ token: string }>(((await res.json()) as { result: { data: never } }).result.data).token);
    }
  });
  afterAll(async () => {
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  const trpcPost = (ip: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
    app.request(`${ORIGIN}/trpc/chatlogs.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  async function expectBusy(res: Response, whose: RegExp) {
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
    const { error } = (await res.json()) as { error: { json: { message: string; data: { code: string; httpStatus: number } } } };
    expect(error.json.data).toEqual({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
    expect(error.json.message).toMatch(whose);
  }

  it('bounds the tRPC body bytes held at once per client address and in all, and lets small calls through', async () => {
    const call = encode(JSON.stringify(superjson.serialize({ source: 'x', content: { messages: [] } })));
    const first = heldBody(spaces(2 * MiB), call);
    const firstResponse = trpcPost('10.20.0.1', first.stream);
    await first.arrived;

    // The same address: a second large body is refused, read to its end but not kept (the client,
    // still sending, gets the answer), while the first is held...
    const second = heldBody(spaces(2 * MiB));
    second.finish();
    await expectBusy(await trpcPost('10.20.0.1', second.stream), /from your address/);
    // ...and one that declares its length is refused without keeping a byte.
    await expectBusy(await trpcPost('10.20.0.1', 'x', { 'content-length': String(2 * MiB) }), /from your address/);
    // A small call from that address is not held up, with or without a declared length.
    expect((await trpcPost('10.20.0.1', call)).status).toBe(401);
    expect((await trpcPost('10.20.0.1', call, { 'content-length': String(call.byteLength) })).status).toBe(401);

    // Another address fits within the total; a third does not.
    const other = heldBody(spaces(2 * MiB), call);
    const otherResponse = trpcPost('10.20.0.2', other.stream);
    await other.arrived;
    await expectBusy(await trpcPost('10.20.0.3', spaces(2 * MiB + 1)), /from everyone/);

    // The held bodies finish (their calls answer as usual) and give their bytes back.
    first.finish();
    other.finish();
    expect((await firstResponse).status).toBe(401);
    expect((await otherResponse).status).toBe(401);
    const again = new Uint8Array([...spaces(2 * MiB), ...call]);
    expect((await trpcPost('10.20.0.3', again)).status).toBe(401);
    expect((await trpcPost('10.20.0.1', again, { 'content-length': String(again.byteLength) })).status).toBe(401);
  });

  it('takes at most 3 uploads at once from one account', async () => {
    const file = encode(
      JSON.stringify([chatgptConversation({ id: 'held-1', title: 'Held', turns: [{ user: 'Still there?', assistant: 'Yes.' }] })]),
    );
    const upload = (token: string, body: RequestInit['body']) =>
      app.request(`${ORIGIN}/api/imports?filename=conversations.json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body,
        duplex: 'half',
      } as RequestInit);
    const held = [1, 2, 3].map(() => heldBody(file.subarray(0, 100), file.subarray(100)));
    const responses = held.map((h) => upload(tokens[0]!, h.stream));
    await Promise.all(held.map((h) => h.arrived));

    const fourth = heldBody(file.subarray(0, 100), file.subarray(100));
    const refused = await upload(tokens[0]!, fourth.stream);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await refused.json()).toEqual({
      code: 'TOO_MANY_REQUESTS',
      error: 'You are already uploading 3 files, as many as one account may at once. Try again when one has finished.',
    });
    expect(fourth.read()).toBe(0);
    // Another account is not affected.
    expect((await upload(tokens[1]!, file)).status).toBe(202);

    held.forEach((h) => h.finish());
    for (const res of await Promise.all(responses)) expect(res.status).toBe(202);
    // The slots are free again.
    expect((await upload(tokens[0]!, file)).status).toBe(202);
  });
});
