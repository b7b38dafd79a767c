import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/**
 * The built web app: hashed assets cached for a year, and index.html for every other GET so that
 * client-side routes (/chats/…) survive a reload.
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
  app.use('/*', serveStatic({ root: distDir }));
  app.get('*', async (c) => {
    const html = await readFile(join(distDir, 'index.html'), 'utf8');
    c.header('Cache-Control', 'no-cache');
    return c.html(html);
  });
  return app;
}
