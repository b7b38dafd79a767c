export type UploadProgress = { loaded: number; total: number };

export type UploadResult = { ok: true; importId: string } | { ok: false; message: string; code: string | null };

export class UploadAborted extends Error {}

/**
 * Sends an export file to `POST /api/imports` as the raw body. XMLHttpRequest, not fetch, because
 * only it reports how much of the body has gone out. The session cookie authenticates it.
 */
export function uploadImport(
  file: File,
  format: string,
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const params = new URLSearchParams({ format, filename: file.name });
    xhr.open('POST', `/api/imports?${params}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      let body: { importId?: string; error?: string; code?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not our JSON: a proxy's page, say. The status below still says what happened.
      }
      if (xhr.status === 202 && body.importId) return resolve({ ok: true, importId: body.importId });
      resolve({ ok: false, message: body.error ?? describeStatus(xhr.status), code: body.code ?? null });
    };
    xhr.onerror = () =>
      resolve({ ok: false, message: 'The upload did not reach the server. Check your connection and try again.', code: null });
    xhr.onabort = () => reject(new UploadAborted('Upload cancelled.'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function describeStatus(status: number): string {
  if (status === 401) return 'Your session ended. Sign in again to import.';
  if (status === 413) return 'The file is too large for this server.';
  return `The server could not take the file (HTTP ${status}). Try again in a moment.`;
}

const UNITS = ['bytes', 'KB', 'MB', 'GB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes.toLocaleString()} ${bytes === 1 ? 'byte' : 'bytes'}` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** A whole percentage in 0..100; an empty total counts as done. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}
