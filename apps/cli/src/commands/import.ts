import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseChoice, parseCommand } from '../args';
import { connect, type Connection } from '../connection';
import { CliError } from '../errors';
import { followImport } from '../follow-import';
import { exitCodeOf, formatImportReport } from '../import-report';
import { ImportProgress } from '../progress';
import { uploadFile } from '../upload';
import { COMMANDS, IMPORT_FORMAT_CHOICES } from '../usage';

export async function importCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'import',
    args,
    { format: { type: 'string', default: 'auto' }, 'no-wait': { type: 'boolean' }, json: { type: 'boolean' } },
    { min: 1, max: 1 },
  );
  if (!parsed) return help();
  const path = parsed.positionals[0]!;
  const format = parseChoice('import', 'format', parsed.values.format!, IMPORT_FORMAT_CHOICES);
  const size = await fileSize(path);
  const connection = await connect();
  const progress = new ImportProgress(basename(path));

  const importId = await upload(connection, path, size, format, progress);
  if (parsed.values['no-wait']) {
    progress.clear();
    process.stdout.write(parsed.values.json ? `${JSON.stringify({ importId })}\n` : `${importId}\n`);
    process.stderr.write(`Queued. \`chatsynth imports ${importId} --wait\` follows it.\n`);
    return 0;
  }
  const job = await followImport(connection, importId, progress);
  process.stdout.write(parsed.values.json ? `${JSON.stringify(job, null, 2)}\n` : `${formatImportReport(job)}\n`);
  return exitCodeOf(job);
}

function help() {
  process.stdout.write(`${COMMANDS.import}\n`);
  return 0;
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`${path} is not a file.`);
    return info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file.` : `Cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Uploads the file to POST /api/imports and returns the queued job's id. */
async function upload(connection: Connection, path: string, size: number, format: string, progress: ImportProgress): Promise<string> {
  const query = new URLSearchParams({ format, filename: basename(path) });
  progress.uploading(0, size);
  try {
    const onProgress = (sent: number) => progress.uploading(sent, size);
    const body = (await uploadFile(connection, `/api/imports?${query}`, path, size, onProgress)) as { importId?: unknown } | null;
    if (typeof body?.importId !== 'string') throw new CliError('The server took the file but sent no import id.');
    return body.importId;
  } catch (error) {
    progress.clear();
    throw error;
  }
}
