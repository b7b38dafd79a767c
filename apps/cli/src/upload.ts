import { createReadStream } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import type { Connection } from './connection';
import { USER_AGENT } from './connection';
import { CliError, networkErrorCode, unreachable } from './errors';
import { httpError } from './http';
import { formatBytes } from './progress';

/**
 * POSTs a file to `path` on the server as the raw body, streamed from disk (never read whole) with its
 * Content-Length, calling `onProgress` with the bytes read so far. Resolves with the JSON of a 2xx
 * answer; any other answer is a CliError carrying the server's message.
 *
 * node:http rather than fetch: a server refusing a file (too large, say) answers before the body is
 * all sent and closes the connection, and Node 20's fetch then often fails with EPIPE instead of
 * returning that answer. Here the answer counts whenever it comes, and the upload just stops.
 */
export function uploadFile(connection: Connection, path: string, file: string, size: number, onProgress: (sent: number) => void): Promise<unknown> {
  const url = new URL(`${connection.url}${path}`);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let answered = false;
    let settled = false;
    const fail = (error: CliError) => {
      if (!settled) reject(error);
      settled = true;
    };
    const source = createReadStream(file);
    let sent = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        onProgress(sent);
        callback(null, chunk);
      },
    });
    const request = send(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${connection.token}`,
        'user-agent': USER_AGENT,
        'content-type': 'application/octet-stream',
        'content-length': String(size),
      },
    });
    request.on('response', (response) => {
      answered = true;
      // Whatever of the file the server has not read by now, it never will.
      source.unpipe(counted);
      source.destroy();
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => fail(new CliError(`The server's answer broke off: ${error.message}`)));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) return fail(httpError(status, response.statusMessage ?? '', text));
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return fail(new CliError(`The server took the file but answered with something that is not JSON (HTTP ${status}).`));
        }
        settled = true;
        resolve(body);
      });
    });
    request.on('error', (error) => {
      // Writing the rest of a refused file fails (EPIPE) after the server has answered: the answer counts.
      if (answered) return;
      source.destroy();
      const code = networkErrorCode(error);
      if (sent > 0 && (code === 'EPIPE' || code === 'ECONNRESET')) {
        // The server closed the connection mid-upload, and its answer, if it sent one, was lost with it.
        return fail(
          new CliError(`The server stopped the upload after ${formatBytes(sent)} of ${formatBytes(size)} (${code}): it may not take files this large.`, 2, { cause: error }),
        );
      }
      fail(code ? unreachable(connection.url, code, error) : new CliError(`The upload to ${connection.url} failed: ${error.message}`));
    });
    source.on('error', (error) => {
      request.destroy();
      fail(new CliError(`Cannot read ${file}: ${error.message}`));
    });
    source.pipe(counted).pipe(request);
  });
}
