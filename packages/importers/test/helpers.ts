// Shared by the tests: fixture paths, temp files, a zip writer, and draining readExport.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import type { CanonicalConversation, ExportItem, Problem, ReadOptions } from '../src/index';
import { readExport } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));

export function fixturePath(...segments: string[]): string {
  return join(here, 'fixtures', ...segments);
}

export function fixtureJson(...segments: string[]): unknown {
  return JSON.parse(readFileSync(fixturePath(...segments), 'utf8')) as unknown;
}

export function fixtureText(...segments: string[]): string {
  return readFileSync(fixturePath(...segments), 'utf8');
}

/** A temp directory removed by the returned cleanup (call it in afterAll). */
export function tempDir(): { dir: string; file: (name: string, content?: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'chatsynth-importers-'));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      if (content !== undefined) writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type ZipSpec = {
  name: string;
  data: string | Buffer;
  /** Store instead of deflate. */
  store?: boolean;
  /** Write a different uncompressed size into the headers than the real one (a lying zip). */
  declaredSize?: number;
};

/** A minimal zip writer: local headers, deflate-raw data, central directory, end record. */
export function buildZip(entries: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const spec of entries) {
    const name = Buffer.from(spec.name, 'utf8');
    const raw = typeof spec.data === 'string' ? Buffer.from(spec.data, 'utf8') : spec.data;
    const data = spec.store === true ? raw : deflateRawSync(raw);
    const method = spec.store === true ? 0 : 8;
    const crc = crc32(raw);
    const size = spec.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5821, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5821, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export async function collect(filePath: string, options?: ReadOptions): Promise<ExportItem[]> {
  const items: ExportItem[] = [];
  for await (const item of readExport(filePath, options)) items.push(item);
  return items;
}

export function conversationsOf(items: ExportItem[]): CanonicalConversation[] {
  return items.flatMap((item) => (item.kind === 'conversation' ? [item.conversation] : []));
}

export function problemsOf(items: ExportItem[]): Problem[] {
  return items.flatMap((item) => (item.kind === 'problem' ? [item.problem] : []));
}
