import { rm } from 'node:fs/promises';
import { Hono } from 'hono';
import { createImportJob, type CredentialCache } from '@chatsynth/api';
import type { MikroORM } from '@chatsynth/db';
import { IMPORT_FORMATS, ImportFormatError, detectFormat, isImportFormat, type ImportFormat } from '@chatsynth/importers';
import { apiError } from '../http-error';
import { requireCaller } from '../middleware/authenticate';
import { uploadSlots } from '../middleware/upload-slots';
import { UploadFormError, UploadTooLargeError, saveUpload } from '../uploads';

export type ImportRouteDeps = {
  orm: MikroORM;
  credentialCache?: CredentialCache;
  uploadDir: string;
  maxUploadBytes: number;
  /** Uploads one user may send at once; one more is TOO_MANY_REQUESTS. */
  maxConcurrentUploads: number;
  /** Called once a job is queued, so a worker picks it up at once. */
  onQueued?: () => void;
};

export function importRoutes(deps: ImportRouteDeps) {
  return new Hono().post('/', requireCaller(deps, 'import'), uploadSlots(deps.maxConcurrentUploads), async (c) => {
    const { em, auth } = c.var;
    const requested = c.req.query('format') ?? 'auto';
    if (requested !== 'auto' && !isImportFormat(requested)) {
      throw apiError(400, 'BAD_REQUEST', `Unknown format "${requested.slice(0, 50)}". Use one of: auto, ${IMPORT_FORMATS.join(', ')}.`);
    }

    let upload;
    try {
      upload = await saveUpload(c.req.raw, deps.uploadDir, deps.maxUploadBytes);
    } catch (error) {
      if (error instanceof UploadTooLargeError) {
        // Close the connection: the client may still be sending, and must not wait on a body we refuse.
        throw apiError(413, 'PAYLOAD_TOO_LARGE', error.message, { connection: 'close' });
      }
      if (error instanceof UploadFormError) throw apiError(400, 'BAD_REQUEST', error.message);
      throw error;
    }
    if (upload.bytes === 0) {
      await rm(upload.path, { force: true });
      throw apiError(400, 'BAD_REQUEST', 'The file is empty.');
    }

    let format: ImportFormat;
    try {
      // Detection reads only the head of the file (and a zip's directory): a file that is no export
      // is refused now, before any job exists.
      format = requested === 'auto' ? await detectFormat(upload.path) : requested;
    } catch (error) {
      await rm(upload.path, { force: true });
      if (error instanceof ImportFormatError) throw apiError(400, 'BAD_REQUEST', error.message);
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
