import { TRPCClientError } from '@trpc/client';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { AppRouter, ExportFormat, ImportFormat } from '@chatsynth/api/contract';

export type { ExportFormat, ImportFormat };

/** A file to upload: a Blob or File, a web stream, a Node stream (any async iterable of bytes), or bytes. */
export type UploadBody = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array | ArrayBuffer;

export type UploadOptions = {
  /** The export's format; by default the server recognises it. */
  format?: ImportFormat | 'auto';
  /** The name the import shows (a File's own name by default). */
  filename?: string;
  signal?: AbortSignal;
};

/** The zip of every chat log, as it arrives, with the name the server gave it. */
export type ExportDownload = ReadableStream<Uint8Array> & { filename: string };

/** The routes that carry files, which tRPC's JSON does not: `POST /api/imports`, `GET /api/exports`. */
export type HttpRoutes = {
  imports: {
    /** Streams the file to the server (never whole in memory) and resolves to the id of its import job. */
    upload(file: UploadBody, options?: UploadOptions): Promise<string>;
  };
  exports: {
    /** Every chat log of the caller as a zip (JSON files import back; or Markdown, or OpenAI messages). */
    download(options?: { format?: ExportFormat; signal?: AbortSignal }): Promise<ExportDownload>;
  };
};

type Transport = { base: string; fetch: typeof globalThis.fetch; headers: () => Record<string, string> };

export function httpRoutes({ base, fetch, headers }: Transport): HttpRoutes {
  /** The route's answer, or its error as the same TRPCClientError a procedure throws (`error.data.code`). */
  async function send(path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { ...init, headers: { ...headers(), ...(init.headers as Record<string, string>) } });
    } catch (cause) {
      throw TRPCClientError.from<AppRouter>(cause instanceof Error ? cause : new Error(String(cause)));
    }
    if (response.ok) return response;
    throw await routeError(response);
  }

  return {
    imports: {
      async upload(file, options = {}) {
        const query = new URLSearchParams({ format: options.format ?? 'auto' });
        const filename = options.filename ?? (typeof File !== 'undefined' && file instanceof File ? file.name : undefined);
        if (filename) query.set('filename', filename);
        const response = await send(`/api/imports?${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: uploadBody(file),
          // A stream goes out as it is read (fetch needs to be told it may start before the body ends).
          duplex: 'half',
          signal: options.signal,
        });
        const { importId } = (await response.json()) as { importId: string };
        return importId;
      },
    },
    exports: {
      async download(options = {}) {
        const query = new URLSearchParams({ format: options.format ?? 'json' });
        const response = await send(`/api/exports?${query}`, { method: 'GET', signal: options.signal });
        const disposition = response.headers.get('content-disposition') ?? '';
        const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `chatsynth-${options.format ?? 'json'}.zip`;
        return Object.assign(response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }), { filename });
      },
    },
  };
}

function uploadBody(file: UploadBody): BodyInit {
  if (file instanceof Blob || file instanceof ReadableStream || file instanceof ArrayBuffer) return file;
  if (file instanceof Uint8Array) return file as Uint8Array<ArrayBuffer>;
  const chunks = file[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await chunks.return?.(reason);
    },
  });
}

/** A route's error body is `{ error, code }` (the codes are tRPC's); anything else is named by its status. */
async function routeError(response: Response): Promise<TRPCClientError<AppRouter>> {
  const text = await response.text().catch(() => '');
  let body: { error?: unknown; code?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not ours (a proxy's page, say): the status speaks.
  }
  const code = typeof body.code === 'string' && body.code in TRPC_ERROR_CODES_BY_KEY ? (body.code as TRPC_ERROR_CODE_KEY) : codeOfStatus(response.status);
  const message = typeof body.error === 'string' ? body.error : `HTTP ${response.status} ${response.statusText}`.trim();
  return new TRPCClientError<AppRouter>(message, {
    result: { error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: response.status, zodError: null } } },
  });
}

function codeOfStatus(status: number): TRPC_ERROR_CODE_KEY {
  const byStatus: Record<number, TRPC_ERROR_CODE_KEY> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    413: 'PAYLOAD_TOO_LARGE',
    429: 'TOO_MANY_REQUESTS',
  };
  return byStatus[status] ?? 'INTERNAL_SERVER_ERROR';
}
