import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseChoice, parseCommand } from '../args';
import { connect, type Connection } from '../connection';
import { CliError } from '../errors';
import { apiFetch } from '../http';
import { DownloadProgress, formatBytes } from '../progress';
import { COMMANDS, EXPORT_FORMATS } from '../usage';

type ExportFormat = (typeof EXPORT_FORMATS)[number];

export async function exportCommand(args: string[]): Promise<number> {
  const parsed = parseCommand('export', args, { format: { type: 'string' }, output: { type: 'string', short: 'o' } }, { min: 0, max: 1 });
  if (!parsed) {
    process.stdout.write(`${COMMANDS.export}\n`);
    return 0;
  }
  const id = parsed.positionals[0];
  const format = parseChoice('export', 'format', parsed.values.format ?? (id ? 'markdown' : 'json'), EXPORT_FORMATS);
  const connection = await connect();
  if (id) await exportChatLog(connection, id, format, parsed.values.output);
  else await exportEverything(connection, format, parsed.values.output);
  return 0;
}

/** One log through chatlogs.export: to stdout, or to a file (in a folder, under the server's name). */
async function exportChatLog(connection: Connection, id: string, format: ExportFormat, output: string | undefined) {
  const file = await connection.api.chatlogs.export.query({ id, format });
  if (!output || output === '-') {
    process.stdout.write(file.body);
    return;
  }
  const target = await outputPath(output, file.filename);
  try {
    await writeFile(target, file.body);
  } catch (error) {
    throw new CliError(`Cannot write ${target}: ${(error as Error).message}`);
  }
  process.stderr.write(`Saved ${target} (${formatBytes(Buffer.byteLength(file.body))}).\n`);
}

/**
 * Everything as a zip from GET /api/exports, streamed to disk as it arrives: into `<target>.part`,
 * renamed when complete, so an export that breaks off never looks like a whole one.
 */
async function exportEverything(connection: Connection, format: string, output: string | undefined) {
  if (output === '-' && process.stdout.isTTY) throw new CliError('Not writing a zip to the terminal: name a file with -o, or pipe the output.');
  const response = await apiFetch(connection, `/api/exports?${new URLSearchParams({ format })}`);
  if (!response.body) throw new CliError('The server sent an empty export.');
  const serverName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const filename = basename(serverName ?? `chatsynth-${format}.zip`);
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  const progress = new DownloadProgress(`Exporting ${filename}`);
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      progress.received(bytes);
      callback(null, chunk);
    },
  });

  if (output === '-') {
    await pipeline(body, counted, process.stdout).catch((error: Error) => {
      throw new CliError(`The export broke off after ${formatBytes(bytes)}: ${error.message}`);
    });
    progress.clear();
    return;
  }
  const target = await outputPath(output ?? filename, filename);
  const partial = `${target}.part`;
  const file = createWriteStream(partial);
  try {
    await once(file, 'open');
  } catch (error) {
    body.destroy();
    throw new CliError(`Cannot write ${target}: ${(error as Error).message}`);
  }
  try {
    await pipeline(body, counted, file);
    await rename(partial, target);
  } catch (error) {
    progress.clear();
    await rm(partial, { force: true });
    throw new CliError(`The export broke off after ${formatBytes(bytes)}: ${(error as Error).message}`);
  }
  progress.clear();
  process.stderr.write(`Saved ${target} (${formatBytes(bytes)}).\n`);
}

/** `output` itself, or `filename` inside it when it is a folder. */
async function outputPath(output: string, filename: string): Promise<string> {
  const info = await stat(output).catch(() => null);
  return info?.isDirectory() ? join(output, basename(filename)) : output;
}
