import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import { Hono } from 'hono';
import { Zip, ZipDeflate } from 'fflate';
import { exportAll, exportFormats, reportInternal, type CredentialCache, type ExportFormat } from '@chatsynth/api';
import type { MikroORM } from '@chatsynth/db';
import { apiError } from '../http-error';
import { requireCaller } from '../middleware/authenticate';

/**
 * GET /api/exports?format=json|markdown|openai: a zip of every chat log of the caller, with tags and
 * annotations. Logs are read a page at a time and deflated into the response as it is read (waiting
 * whenever the client is slower), so a large library never sits in memory. The JSON files import back.
 */
export function exportRoutes(deps: { orm: MikroORM; credentialCache?: CredentialCache }) {
  return new Hono().get('/', requireCaller(deps, 'read'), async (c) => {
    const { em, auth } = c.var;
    const format = c.req.query('format') ?? 'json';
    if (!(exportFormats as readonly string[]).includes(format)) {
      throw apiError(400, 'BAD_REQUEST', `Unknown format "${format.slice(0, 50)}". Use one of: ${exportFormats.join(', ')}.`);
    }
    const out = new PassThrough({ highWaterMark: 1024 * 1024 });
    let writable = true;
    const zip = new Zip((error, chunk, final) => {
      if (error) return out.destroy(error);
      writable = out.write(chunk) && writable;
      if (final) out.end();
    });
    void (async () => {
      try {
        for await (const file of exportAll({ em, userId: auth.user.id }, format as ExportFormat)) {
          const entry = new ZipDeflate(`chatsynth/${file.filename}`, { level: 6 });
          zip.add(entry);
          entry.push(new TextEncoder().encode(file.body), true);
          if (!writable) {
            await Promise.race([once(out, 'drain'), once(out, 'close')]);
            if (out.destroyed) return; // the client went away
            writable = true;
          }
        }
        zip.end();
      } catch (error) {
        // The zip has begun, so no status can tell the client: the download breaks off, and the
        // operator's log has the error under a reference.
        reportInternal(error, { route: 'GET /api/exports', userId: auth.user.id, format });
        out.destroy(error as Error);
      }
    })();
    const date = new Date().toISOString().slice(0, 10);
    return new Response(Readable.toWeb(out) as ReadableStream, {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="chatsynth-${format}-${date}.zip"`,
        'cache-control': 'no-store',
      },
    });
  });
}
