// Works out what to read from an uploaded file: which format, and for a zip which entries (a
// ChatGPT or Claude export, ChatGPT shards named by a manifest, a Takeout archive, or a bundle of
// single-chat files). Only heads and the central directory are read here.
import { open as openFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DEFAULT_ZIP_LIMITS, ImportFormatError, type ImportFormat, type Problem, type ReadOptions } from './canonical';
import { plainFile, progressReporter, readAll, readHead, zipEntryFile, type InputFile, type ReadControl } from './io/input-file';
import { ZipArchive, type ZipEntry } from './io/zip-archive';
import { isFatal } from './io/json-values';
import { MAX_MARKDOWN_BYTES, markdownTooLarge } from './read-unit';
import { HEAD_BYTES, sniffBytes, unknownFormatMessage, type Layout, type Sniffed } from './sniff';
import { field, isRecord } from './values';

export type ReadUnit = { input: InputFile; format: ImportFormat; layout: Layout };

export type ExportPlan = {
  /** The export's format; for a bundle of single-chat files, that of the first. */
  format: ImportFormat;
  units: ReadUnit[];
  /** File-level problems found while planning, e.g. a shard the manifest names but the zip lacks. */
  problems: Problem[];
  /** Reports the whole file as read (a zip's directory and skipped entries are never streamed). */
  finish(): void;
  close(): void;
};

const ZIP_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];
const SHARD = /^conversations-\d+\.json$/i;
const CANDIDATE = /\.(json|jsonl|ndjson|md|markdown|txt)$/i;

async function readFileHead(path: string): Promise<Buffer> {
  const handle = await openFile(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function openExport(filePath: string, options: ReadOptions = {}): Promise<ExportPlan> {
  const control: ReadControl = { progress: progressReporter(options.onProgress) };
  if (options.signal !== undefined) control.signal = options.signal;
  const forced = options.format === undefined || options.format === 'auto' ? undefined : options.format;
  let size: number;
  let head: Buffer;
  try {
    const info = await stat(filePath);
    if (info.isDirectory()) throw new ImportFormatError(`${basename(filePath)} is a folder; choose the export's .zip file or a file inside the folder.`);
    size = info.size;
    head = await readFileHead(filePath);
  } catch (error) {
    if (error instanceof ImportFormatError) throw error;
    throw new ImportFormatError(`The file could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (ZIP_MAGIC.some((magic) => head.subarray(0, 4).equals(magic))) {
    const archive = await ZipArchive.open(filePath, { ...DEFAULT_ZIP_LIMITS, ...options.limits });
    try {
      const plan = await planZip(archive, control, forced);
      plan.finish = () => control.progress(size);
      return plan;
    } catch (error) {
      archive.close();
      throw error;
    }
  }
  const input = plainFile(filePath, basename(filePath), size, control);
  const sniffed = sniffBytes(head);
  // Inside a zip such a file is one problem among its neighbours; as the upload itself, it is all there is.
  if ((forced ?? sniffed.format) === 'markdown' && size > MAX_MARKDOWN_BYTES) throw new ImportFormatError(markdownTooLarge(input.name, size));
  if (forced !== undefined) {
    const layout: Layout = forced === 'markdown' ? 'text' : sniffed.format !== null ? sniffed.layout : 'json';
    return { format: forced, units: [{ input, format: forced, layout }], problems: [], finish: () => control.progress(size), close() {} };
  }
  if (sniffed.format === null) throw new ImportFormatError(unknownFormatMessage('This file', sniffed.why));
  return {
    format: sniffed.format,
    units: [{ input, format: sniffed.format, layout: sniffed.layout }],
    problems: [],
    finish: () => control.progress(size),
    close() {},
  };
}

async function planZip(archive: ZipArchive, control: ReadControl, forced: ImportFormat | undefined): Promise<ExportPlan> {
  const units: ReadUnit[] = [];
  const problems: Problem[] = [];
  const plan: ExportPlan = { format: forced ?? 'chatgpt', units, problems, finish() {}, close: () => archive.close() };
  const file = (entry: ZipEntry) => zipEntryFile(archive, entry, control);
  const sniffEntry = async (entry: ZipEntry): Promise<Sniffed> => {
    try {
      return sniffBytes(await readHead(file(entry), HEAD_BYTES));
    } catch (error) {
      if (isFatal(error)) throw error;
      return { format: null, why: `it could not be read (${error instanceof Error ? error.message : String(error)})` };
    }
  };

  const conversations = archive.find('conversations.json');
  const manifest = archive.find('export_manifest.json');
  const shards = archive.entries.filter((entry) => !entry.name.includes('/') && SHARD.test(entry.name));
  if (conversations !== undefined || manifest !== undefined || shards.length > 0) {
    const byName = conversations !== undefined ? [conversations] : shards.sort((a, b) => a.name.localeCompare(b.name));
    let entries = byName;
    const named = manifest === undefined ? undefined : await manifestShards(file(manifest), problems);
    if (named !== undefined) {
      entries = [];
      for (const name of named) {
        const entry = archive.find(name) ?? archive.find(basename(name));
        if (entry === undefined) problems.push({ reason: `export_manifest.json names ${name}, but the zip file has no such file; its conversations are missing` });
        else entries.push(entry);
      }
    }
    const format = forced ?? (await zipConversationsFormat(archive, entries, sniffEntry));
    plan.format = format;
    for (const entry of entries) units.push({ input: file(entry), format, layout: 'json' });
    return plan;
  }

  const takeout = archive.entries.find((entry) => /(^|\/)Gemini Apps\/MyActivity\.json$/i.test(entry.rawName));
  if (takeout !== undefined && (forced === undefined || forced === 'gemini')) {
    units.push({ input: file(takeout), format: 'gemini', layout: 'json' });
    plan.format = 'gemini';
    return plan;
  }
  if (archive.entries.some((entry) => /(^|\/)Gemini Apps\/MyActivity\.html$/i.test(entry.rawName))) {
    throw new ImportFormatError(
      'This Takeout archive holds Gemini activity as HTML only. Export it again from Google Takeout with the "JSON" format for My Activity.',
    );
  }

  // A bundle of single-chat files (Open WebUI, LibreChat, OpenAI, Markdown, ChatSynth exports zipped up).
  const candidates = archive.entries.filter((entry) => CANDIDATE.test(entry.name)).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of candidates) {
    const sniffed = await sniffEntry(entry);
    if (forced !== undefined) units.push({ input: file(entry), format: forced, layout: sniffed.format !== null ? sniffed.layout : forced === 'markdown' ? 'text' : 'json' });
    else if (sniffed.format !== null) units.push({ input: file(entry), format: sniffed.format, layout: sniffed.layout });
    else problems.push({ reason: `${entry.name} in the zip file was skipped: ${sniffed.why}` });
  }
  if (units.length === 0) {
    const names = archive.entries.slice(0, 10).map((entry) => entry.name).join(', ');
    throw new ImportFormatError(
      unknownFormatMessage('This zip file', names === '' ? 'it is empty' : `none of its files (${names}) is a conversation export`),
    );
  }
  plan.format = units[0]?.format ?? plan.format;
  return plan;
}

/** `conversations.json` is ChatGPT's or Claude's; its content decides, the neighbours break a tie (an empty list). */
async function zipConversationsFormat(
  archive: ZipArchive,
  entries: ZipEntry[],
  sniffEntry: (entry: ZipEntry) => Promise<Sniffed>,
): Promise<ImportFormat> {
  const first = entries[0];
  const sniffed = first === undefined ? undefined : await sniffEntry(first);
  if (sniffed !== undefined && sniffed.format !== null) return sniffed.format;
  const has = (name: string) => archive.find(name) !== undefined;
  if (has('users.json') || has('projects.json')) return 'claude';
  if (has('user.json') || has('chat.html') || has('message_feedback.json') || has('export_manifest.json')) return 'chatgpt';
  throw new ImportFormatError(unknownFormatMessage(`${first?.name ?? 'conversations.json'} in this zip file`, sniffed?.format === null ? sniffed.why : 'it is missing'));
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * The manifest's shape is not documented; this accepts a list of file names, or of objects naming
 * the file in `path`/`file`/`name`/`filename`, at the top level or under any top-level key.
 */
async function manifestShards(input: InputFile, problems: Problem[]): Promise<string[] | undefined> {
  let parsed: unknown;
  try {
    if (input.size > MAX_MANIFEST_BYTES) throw new Error('it is too large');
    parsed = JSON.parse((await readAll(input, MAX_MANIFEST_BYTES)).toString('utf8')) as unknown;
  } catch (error) {
    if (isFatal(error)) throw error;
    problems.push({ reason: `export_manifest.json could not be read (${error instanceof Error ? error.message : String(error)}); the conversation files were found by name instead` });
    return undefined;
  }
  const lists: unknown[][] = Array.isArray(parsed) ? [parsed] : isRecord(parsed) ? Object.values(parsed).filter(Array.isArray) : [];
  const names: string[] = [];
  for (const list of lists) {
    for (const item of list) {
      const name = typeof item === 'string' ? item : isRecord(item) ? ['path', 'file', 'name', 'filename'].map((k) => field(item, k)).find((v) => typeof v === 'string') : undefined;
      if (typeof name === 'string' && /\.json$/i.test(name)) names.push(name.replace(/^\.?\//, ''));
    }
  }
  if (names.length === 0) {
    problems.push({ reason: 'export_manifest.json names no conversation files; the conversation files were found by name instead' });
    return undefined;
  }
  return names;
}
