import { rm } from 'node:fs/promises';
import { Hono } from 'hono';
import { authenticate, createImportJob } from '@chatsynth/api';
import type { MikroORM } from '@chatsynth/db';
import { IMPORT_FORMATS, ImportFormatError, detectFormat, type ImportFormat } from '@chatsynth/importers';
import { UploadFormError, UploadTooLargeError, saveUpload } from '../uploads';

export type ImportRouteDeps = {
  orm: MikroORM;
  uploadDir: string;
  maxUploadBytes: number;
  /** Called once a job is queued, so a worker picks it up at once. */
  onQueued?: () => void;
};

const FORMATS = new Set<string>(['auto', ...IMPORT_FORMATS]);

export function importRoutes(deps: ImportRouteDeps) {
  return new Hono().post('/', async (c) => {
    const em = deps.orm.em.fork();
    const auth = await authenticate(em, c.req.raw.headers);
    if (!auth) return c.json({ error: 'Sign in to continue.', code: 'UNAUTHORIZED' }, 401);
    const requested = c.req.query('format') ?? 'auto';
    if (!FORMATS.has(requested)) {
      return c.json({ error: `Unknown format "${requested.slice(0, 50)}". Use one of: ${[...FORMATS].join(', ')}.`, code: 'BAD_REQUEST' }, 400);
    }

    let upload;
    try {
      upload = await saveUpload(c.req.raw, deps.uploadDir, deps.maxUploadBytes);
    } catch (error) {
      if (error instanceof UploadTooLargeError) {
        // Close the connection: the client may still be sending, and must not wait on a body we refuse.
        c.header('Connection', 'close');
        return c.json({ error: error.message, code: 'PAYLOAD_TOO_LARGE' }, 413);
      }
      if (error instanceof UploadFormError) return c.json({ error: error.message, code: 'BAD_REQUEST' }, 400);
      throw error;
    }
    if (upload.bytes === 0) {
      await rm(upload.path, { force: true });
      return c.json({ error: 'The file is empty.', code: 'BAD_REQUEST' }, 400);
    }

    let format: ImportFormat;
    try {
      // Detection reads only the head of the file (and a zip's directory): a file that is no export
      // is refused now, before any job exists.
      format = requested === 'auto' ? await detectFormat(upload.path) : (requested as ImportFormat);
    } catch (error) {
      await rm(upload.path, { force: true });
      if (error instanceof ImportFormatError) return c.json({ error: error.message, code: 'BAD_REQUEST' }, 400);
      throw error;
    }

    const importId = await createImportJob(em, {
      userId: auth.user.id,
      filename: upload.filename,
      format,
      requestedFormat: requested,
      bytes: upload.bytes,
      filePath: upload.path,
    });
    deps.onQueued?.();
    return c.json({ importId }, 202);
  });
}
