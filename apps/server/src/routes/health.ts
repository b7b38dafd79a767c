import { Hono } from 'hono';
import { pingDatabase, type MikroORM } from '@chatsynth/db';

export function healthRoutes(orm: MikroORM) {
  return new Hono()
    .get('/healthz', (c) => c.json({ ok: true }))
    .get('/readyz', async (c) =>
      (await pingDatabase(orm)) ? c.json({ ok: true, database: 'up' }) : c.json({ ok: false, database: 'down' }, 503),
    );
}
