import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { ChatLog } from '@chatsynth/db';
import { createTestDatabase } from '@chatsynth/db/testing';
import { createApp } from '../src/app';

const ORIGIN = 'http://localhost:3000';

describe('HTTP through the Hono app', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let webDist: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    webDist = mkdtempSync(join(tmpdir(), 'chatsynth-web-'));
    mkdirSync(join(webDist, 'assets'));
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>ChatSynth</title><div id="root"></div>');
    writeFileSync(join(webDist, 'assets', 'app-abc123.js'), 'console.log(1)');
    app = createApp({ orm: db.orm, webDist, uploadDir: join(webDist, 'uploads') });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  const call = (path: string, input: unknown, headers: Record<string, string> = {}, origin = ORIGIN) =>
    app.request(`${origin}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(superjson.serialize(input)),
    });
  const query = (path: string, headers: Record<string, string> = {}, input?: unknown) =>
    app.request(
      `${ORIGIN}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`}`,
      { headers },
    );
  const result = async (res: Response) => superjson.deserialize<Record<string, unknown>>(((await res.json()) as { result: { data: never } }).result.data);

  it('answers /healthz and /readyz', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: 'up' });
  });

  it('answers invalid input with BAD_REQUEST, a readable message and the flattened field errors', async () => {
    const res = await call('auth.signUp', { username: 'ab', email: 'not an email', password: 'correct horse battery' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { json: { message: string; data: { code: string; zodError: { fieldErrors: Record<string, string[]> } } } } };
    expect(error.json.data.code).toBe('BAD_REQUEST');
    expect(error.json.message).toMatch(/^Invalid input: username: must be at least 3 characters; email: .+\.$/);
    expect(error.json.data.zodError.fieldErrors.username).toEqual(['must be at least 3 characters']);
  });

  it('signs up over HTTP, sets an HttpOnly SameSite=Lax cookie, and accepts it and the Bearer token', async () => {
    const res = await call('auth.signUp', { username: 'httpuser', email: 'http@example.com', password: 'correct horse battery' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^chatsynth_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(cookie).not.toContain('Secure');
    const { token, user } = (await result(res)) as { token: string; user: { username: string } };
    expect(user.username).toBe('httpuser');

    const viaCookie = await query('auth.me', { cookie: cookie.split(';')[0]! });
    expect(await result(viaCookie)).toMatchObject({ username: 'httpuser' });
    const viaBearer = await query('auth.me', { authorization: `Bearer ${token}` });
    expect(await result(viaBearer)).toMatchObject({ username: 'httpuser' });

    const created = await call('chatlogs.create', { source: 'api', content: { messages: [{ role: 'user', content: 'hi' }] } }, { authorization: `Bearer ${token}` });
    expect(created.status).toBe(200);
  });

  it('uses a __Host- Secure cookie when served over HTTPS on a real host name', async () => {
    const res = await call('auth.signUp', { username: 'secure', email: 'secure@example.com', password: 'correct horse battery' }, {}, 'https://chat.example.com');
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-chatsynth_session=.*; Secure$/);
  });

  it('gives BAD_REQUEST with flattened field errors, UNAUTHORIZED without a session', async () => {
    const bad = await call('auth.signUp', { username: 'x', email: 'nope', password: '1' });
    expect(bad.status).toBe(400);
    const body = superjson.deserialize<{ data: { code: string; zodError: { fieldErrors: Record<string, string[]> } } }>(
      ((await bad.json()) as { error: never }).error,
    );
    expect(body.data.code).toBe('BAD_REQUEST');
    expect(Object.keys(body.data.zodError.fieldErrors).sort()).toEqual(['email', 'password', 'username']);

    const unauthorised = await query('chatlogs.list');
    expect(unauthorised.status).toBe(401);
  });

  it('refuses batches of more than 20 calls', async () => {
    const paths = Array.from({ length: 21 }, () => 'health').join(',');
    const input = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [i, { json: null }]));
    const res = await app.request(`/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    const ok = await app.request(`/trpc/${Array.from({ length: 20 }, () => 'health').join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { json: null }]))))}`);
    expect(ok.status).toBe(200);
  });

  it('refuses bodies over 20 MB with 413, counted on the stream without a Content-Length', async () => {
    const before = await db.orm.em.fork().count(ChatLog);
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 25) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const res = await app.request(`${ORIGIN}/trpc/chatlogs.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(25);
    const declared = await app.request(`${ORIGIN}/trpc/chatlogs.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(21 * 1024 * 1024) },
      body: 'x',
    });
    expect(declared.status).toBe(413);
    expect(await db.orm.em.fork().count(ChatLog)).toBe(before);
  });

  it('refuses cross-origin writes that rely on the cookie', async () => {
    const res = await app.request(`${ORIGIN}/trpc/auth.signOut`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie: 'chatsynth_session=x', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('serves the web app with a fallback to index.html for client routes, and security headers', async () => {
    const page = await app.request('/chats/123');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await app.request('/assets/app-abc123.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await app.request('/api/nothing')).status).toBe(404);
  });
});
