import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoutes } from '../src/routes/web';

describe('the built web app', () => {
  let dist: string;
  let app: ReturnType<typeof webRoutes>;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'chatsynth-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>ChatSynth</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-3f9a1c.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = webRoutes(dist);
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves hashed assets for a year and other files as they are', async () => {
    const asset = await app.request('/assets/index-3f9a1c.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log(1)');
    const icon = await app.request('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('answers index.html, never cached, for client routes', async () => {
    for (const path of ['/', '/chats/0193b5c4-7d1e-7c9a-9a1b-2f3c4d5e6f70', '/settings', '/search?q=ferry.schedule']) {
      const page = await app.request(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('cache-control'), path).toBe('no-cache');
      expect(await page.text(), path).toContain('<div id="root">');
    }
  });

  it('answers 404 for a file that does not exist, never index.html cached for a year', async () => {
    for (const path of ['/assets/nope-123.js', '/assets/index-3f9a1c.css', '/assets/nothing', '/favicon-missing.png', '/chats/robots.txt']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control') ?? '', path).not.toContain('immutable');
      expect(await res.text(), path).not.toContain('<div id="root">');
    }
  });
});
