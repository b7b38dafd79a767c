import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { CredentialCache } from '@chatsynth/api';
import { createTestDatabase } from '@chatsynth/db/testing';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { createApp } from '../src/app';
import { callerFor, signUpThrough } from './helpers';

const ORIGIN = 'http://localhost:3000';

describe('the plain HTTP routes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let dir: string;
  const credentialCache = new CredentialCache();
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'chatsynth-rest-'));
    app = createApp({ orm: db.orm, webDist: dir, uploadDir: join(dir, 'uploads'), credentialCache });
    const res = await app.request(`${ORIGIN}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ username: 'rest', email: 'rest@example.com', password: 'correct horse battery' })),
    });
    token = superjson.deserialize<{ token: string }>(((await res.json()) as { result: { data: never } }).result.data).token;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answer every error in one shape: a sentence and the code', async () => {
    const unknown = await app.request('/api/nothing');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'There is no such API route.', code: 'NOT_FOUND' });

    for (const request of [
      new Request(`${ORIGIN}/api/exports`),
      new Request(`${ORIGIN}/api/imports`, { method: 'POST', body: 'x' }),
      new Request(`${ORIGIN}/api/exports`, { headers: { authorization: 'Bearer not-a-token' } }),
    ]) {
      const res = await app.request(request);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'Sign in to continue.', code: 'UNAUTHORIZED' });
    }

    const badFormat = await app.request(`${ORIGIN}/api/exports?format=pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(badFormat.status).toBe(400);
    expect(await badFormat.json()).toMatchObject({ code: 'BAD_REQUEST', error: expect.stringMatching(/^Unknown format "pdf"/) });

    const crossOrigin = await app.request(`${ORIGIN}/api/imports`, { method: 'POST', headers: { origin: 'https://evil.example' }, body: 'x' });
    expect(crossOrigin.status).toBe(403);
    expect(await crossOrigin.json()).toEqual({ error: 'Cross-origin request refused.', code: 'FORBIDDEN' });
  });

  it('authenticate through the credential cache, as tRPC does', async () => {
    credentialCache.setEnabled(true);
    expect(credentialCache.size).toBe(0);
    const first = await app.request(`${ORIGIN}/api/exports`, { headers: { authorization: `Bearer ${token}` } });
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    expect(credentialCache.size).toBe(1);
    // Signing out (a mutation) forgets the caller at once: the REST route then refuses the token.
    await app.request(`${ORIGIN}/trpc/auth.signOut`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize(undefined)),
    });
    const after = await app.request(`${ORIGIN}/api/exports`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });

  it('take an upload only from an API token with import, and give an export only to one with read', async () => {
    const session = await signUpThrough(app, 'scoped');
    const owner = await callerFor(db.orm, session);
    const tokenWith = async (scopes: ('read' | 'write' | 'import')[]) => (await owner.apiTokens.create({ name: scopes.join('+'), scopes })).token;
    const [reader, writer, importer] = [await tokenWith(['read']), await tokenWith(['write']), await tokenWith(['import'])];
    const file = JSON.stringify([chatgptConversation({ id: 'conv-s', title: 'Scoped', turns: [{ user: 'Hi', assistant: 'Hello' }] })]);

    for (const token of [reader, writer]) {
      // The body is refused unread: the stream is never pulled.
      let pulled = false;
      const body = new ReadableStream({
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode(file));
          controller.close();
        },
      }, { highWaterMark: 0 });
      const refused = await app.request(`${ORIGIN}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body, duplex: 'half' } as RequestInit);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: 'This API token lacks the import scope.', code: 'FORBIDDEN' });
      expect(pulled).toBe(false);
    }
    const accepted = await app.request(`${ORIGIN}/api/imports?filename=conversations.json`, { method: 'POST', headers: { authorization: `Bearer ${importer}` }, body: file });
    expect(accepted.status).toBe(202);
    const { importId } = (await accepted.json()) as { importId: string };
    // The import-only token follows the import it started.
    expect(await (await callerFor(db.orm, importer)).imports.get({ id: importId })).toMatchObject({ id: importId, filename: 'conversations.json' });

    for (const token of [writer, importer]) {
      const refused = await app.request(`${ORIGIN}/api/exports`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: 'This API token lacks the read scope.', code: 'FORBIDDEN' });
    }
    const exported = await app.request(`${ORIGIN}/api/exports`, { headers: { authorization: `Bearer ${reader}` } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    await exported.arrayBuffer();
  });
});
