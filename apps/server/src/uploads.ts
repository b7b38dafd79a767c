import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { uuidv7 } from 'uuidv7';

export type SavedUpload = { path: string; bytes: number; filename: string };
export class UploadTooLargeError extends Error {}
export class UploadFormError extends Error {}

/** Counts bytes as they pass and fails the stream past the limit, so nothing over it is written. */
class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) callback(new UploadTooLargeError(`The file is larger than ${formatBytes(this.maxBytes)}.`));
    else callback(null, chunk);
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 ? 1 : 0)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/**
 * Streams an upload to a file in `dir` (never into memory): the multipart field `file`, or the raw
 * body. Throws UploadTooLargeError past `maxBytes` (counted on the stream, whatever Content-Length
 * says) and UploadFormError for a multipart body without a file; the partial file is removed.
 */
export async function saveUpload(request: Request, dir: string, maxBytes: number): Promise<SavedUpload> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes + 64 * 1024) throw new UploadTooLargeError(`The file is larger than ${formatBytes(maxBytes)}.`);
  if (!request.body) throw new UploadFormError('The request has no body: send the export file.');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${uuidv7()}.upload`);
  const contentType = request.headers.get('content-type') ?? '';
  const body = Readable.fromWeb(request.body as WebReadableStream);
  try {
    if (/^multipart\/form-data/i.test(contentType)) {
      return await saveMultipart(body, contentType, path, maxBytes);
    }
    const limit = new ByteLimit(maxBytes);
    await pipeline(body, limit, createWriteStream(path));
    // searchParams has already decoded it; decoding again would throw on a name like "100%.json".
    const filename = new URL(request.url).searchParams.get('filename')?.trim() || 'upload';
    return { path, bytes: limit.bytes, filename: filename.slice(0, 255) };
  } catch (error) {
    body.destroy();
    await rm(path, { force: true });
    throw error;
  }
}

function saveMultipart(body: Readable, contentType: string, path: string, maxBytes: number): Promise<SavedUpload> {
  return new Promise((resolve, reject) => {
    const form = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fileSize: maxBytes + 1, fields: 20 } });
    let saving: Promise<SavedUpload> | null = null;
    form.on('file', (field, file, info) => {
      if (field !== 'file' || saving) {
        file.resume();
        return;
      }
      const limit = new ByteLimit(maxBytes);
      saving = pipeline(file, limit, createWriteStream(path)).then(() => ({
        path,
        bytes: limit.bytes,
        filename: (info.filename || 'upload').slice(0, 255),
      }));
      saving.catch(() => {});
    });
    form.on('error', reject);
    form.on('close', () => {
      if (!saving) reject(new UploadFormError('The form has no field named "file": send the export as the multipart field "file".'));
      else saving.then(resolve, reject);
    });
    body.on('error', reject);
    body.pipe(form);
  });
}
