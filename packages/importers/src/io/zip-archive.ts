// Reads a zip lazily with yauzl and enforces the zip-bomb limits while inflating: the entry count
// from the central directory, and per-entry ratio plus a running total measured on the inflated
// bytes themselves (headers can lie).
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Readable } from 'node:stream';
import { ImportFormatError, type ZipLimits } from '../canonical';

export type ZipEntry = {
  /** Path inside the archive with a single wrapping folder removed. */
  name: string;
  rawName: string;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  encrypted: boolean;
  entry: Entry;
};

/** Below this many inflated bytes an entry may compress as well as it likes: small files of
 * repetitive JSON legitimately reach high ratios, and they cannot hurt. */
export const RATIO_CHECK_FLOOR = 1024 * 1024;

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error !== null) reject(new ImportFormatError(`The zip file could not be opened (${error.message}); it may be damaged or incomplete.`));
      else resolve(zip);
    });
  });
}

function readCentralDirectory(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => reject(new ImportFormatError(`The zip file is damaged: ${error.message}.`)));
    zip.readEntry();
  });
}

/** Mac Finder and some tools add these; they are never part of an export. */
function isNoise(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').some((segment) => segment === '.DS_Store');
}

function stripSingleFolder(names: string[]): string {
  const first = names[0]?.split('/')[0];
  if (first === undefined || names.length === 0) return '';
  const prefix = `${first}/`;
  return names.every((name) => name.startsWith(prefix)) ? prefix : '';
}

export class ZipArchive {
  private inflatedTotal = 0;

  private constructor(
    private readonly zip: ZipFile,
    readonly entries: ZipEntry[],
    private readonly limits: ZipLimits,
  ) {}

  static async open(path: string, limits: ZipLimits): Promise<ZipArchive> {
    const zip = await openZip(path);
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new ImportFormatError(
          `The zip file has ${zip.entryCount} entries, more than the ${limits.maxEntries} an export can have; it is not accepted (zip-bomb protection).`,
        );
      }
      const raw = (await readCentralDirectory(zip)).filter((entry) => !entry.fileName.endsWith('/') && !isNoise(entry.fileName));
      const prefix = stripSingleFolder(raw.map((entry) => entry.fileName));
      const entries = raw.map((entry) => ({
        name: entry.fileName.slice(prefix.length),
        rawName: entry.fileName,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        encrypted: entry.isEncrypted(),
        entry,
      }));
      return new ZipArchive(zip, entries, limits);
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  find(name: string): ZipEntry | undefined {
    return this.entries.find((entry) => entry.name === name);
  }

  /** The inflated bytes of one entry, checked against the limits as they arrive. */
  async *read(entry: ZipEntry): AsyncGenerator<Buffer> {
    const { maxCompressionRatio, maxTotalUncompressedBytes } = this.limits;
    if (entry.encrypted) throw new ImportFormatError(`${entry.name} in the zip file is encrypted; export it again without a password.`);
    const declaredRatio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > RATIO_CHECK_FLOOR && declaredRatio > maxCompressionRatio) throw this.ratioError(entry);
    if (this.inflatedTotal + entry.uncompressedSize > maxTotalUncompressedBytes) throw this.totalError();
    const stream = await this.openStream(entry);
    let inflated = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        this.inflatedTotal += chunk.length;
        if (inflated > RATIO_CHECK_FLOOR && inflated > Math.max(entry.compressedSize, 1) * maxCompressionRatio) throw this.ratioError(entry);
        if (this.inflatedTotal > maxTotalUncompressedBytes) throw this.totalError();
        yield chunk;
      }
    } finally {
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }

  private openStream(entry: ZipEntry): Promise<Readable> {
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry.entry, (error, stream) => {
        if (error !== null) reject(error);
        else resolve(stream);
      });
    });
  }

  private ratioError(entry: ZipEntry): ImportFormatError {
    return new ImportFormatError(
      `${entry.name} in the zip file inflates more than ${this.limits.maxCompressionRatio} times its compressed size; it is not accepted (zip-bomb protection).`,
    );
  }

  private totalError(): ImportFormatError {
    const gib = (this.limits.maxTotalUncompressedBytes / 1024 ** 3).toFixed(2).replace(/\.?0+$/, '');
    return new ImportFormatError(
      `The zip file inflates to more than ${gib} GiB (${this.limits.maxTotalUncompressedBytes} bytes); it is not accepted (zip-bomb protection).`,
    );
  }
}
