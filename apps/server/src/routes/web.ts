import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/** A path that names a file (a dot in its last segment) or lies under /assets/, where only files are. */
function namesAFile(path: string) {
  return path.startsWith('/assets/') || /\.[^/]*$/.test(path);
}

/**
 * The built web app: hashed assets cached for a year, and index.html (never cached, so a deploy's new
 * asset names reach the browser) for every client-side route (/chats/…) so that it survives a reload.
 * A file that is not there is a 404: index.html in its place would be cached for a year under an
 * asset's name, or run as a script that is HTML.
 */
export function webRoutes(distDir: string) {
  const app = new Hono();
  if (!existsSync(join(distDir, 'index.html'))) {
    return app.get('/', (c) =>
      c.text('The web app is not built. Run `pnpm build` (or `pnpm dev` for development).', 503),
    );
  }
  // Vite names assets by content hash, so they never change under the same name.
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // index.html names the current assets: the browser asks again every time (`/` included).
  app.use('/*', async (c, next) => {
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.header('Cache-Control', 'no-cache');
  });
  app.use('/*', serveStatic({ root: distDir }));
  app.get('*', async (c) => {
    if (namesAFile(c.req.path)) return c.text('Not found.', 404, { 'Cache-Control': 'no-cache' });
    return c.html(await readFile(join(distDir, 'index.html'), 'utf8'));
  });
  return app;
}
