import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { webDist } from './harness';

/** The JavaScript a first visit downloads before any page chunk: the entry and what it preloads. */
function initialScripts(html: string): string[] {
  const entry = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  return [...new Set([...entry, ...preloads])];
}

it('keeps the initial JavaScript under 250 KB gzipped', () => {
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');
  const scripts = initialScripts(html);
  expect(scripts.length).toBeGreaterThan(0);
  const sizes = scripts.map((src) => ({ src, gzip: gzipSync(readFileSync(join(webDist, src))).length }));
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
  console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzipped (${sizes.map((s) => `${s.src} ${(s.gzip / 1024).toFixed(1)}`).join(', ')})`);
  expect(total).toBeLessThan(250 * 1024);
  // Page code stays out of the first load.
  expect(scripts.some((src) => /page/.test(src))).toBe(false);
});
