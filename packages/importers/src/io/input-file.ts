// One stream of bytes to parse: a plain file, or an entry of a zip. Reading reports progress as
// bytes of the uploaded file consumed, and stops when the import is cancelled.
import { createReadStream } from 'node:fs';
import type { ZipArchive, ZipEntry } from './zip-archive';

export type InputFile = {
  /** How problems name it: the path inside the zip, or the file's base name. */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  chunks(): AsyncGenerator<Uint8Array>;
};

export type ReadControl = {
  signal?: AbortSignal;
  /** Receives an absolute position in the uploaded file; only increases are passed on. */
  progress: (position: number) => void;
};

export function progressReporter(onProgress: ((bytesRead: number) => void) | undefined): (position: number) => void {
  let reported = -1;
  return (position) => {
    const rounded = Math.floor(position);
    if (onProgress === undefined || rounded <= reported) return;
    reported = rounded;
    onProgress(rounded);
  };
}

const CHUNK_BYTES = 256 * 1024;

export function plainFile(path: string, name: string, size: number, control: ReadControl): InputFile {
  return {
    name,
    size,
    async *chunks() {
      control.signal?.throwIfAborted();
      const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
      let read = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          control.signal?.throwIfAborted();
          read += chunk.length;
          control.progress(read);
          yield chunk;
        }
      } finally {
        stream.destroy();
      }
    },
  };
}

/** Progress inside an entry is its share of the compressed bytes, placed at the entry's offset. */
export function zipEntryFile(archive: ZipArchive, entry: ZipEntry, control: ReadControl): InputFile {
  return {
    name: entry.name,
    size: entry.uncompressedSize,
    async *chunks() {
      control.signal?.throwIfAborted();
      let inflated = 0;
      for await (const chunk of archive.read(entry)) {
        control.signal?.throwIfAborted();
        inflated += chunk.length;
        const share = entry.uncompressedSize > 0 ? Math.min(1, inflated / entry.uncompressedSize) : 1;
        control.progress(entry.localHeaderOffset + entry.compressedSize * share);
        yield chunk;
      }
    },
  };
}

/** The first `bytes` bytes (fewer for a shorter input); detection never reads further. */
export async function readHead(input: InputFile, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input.chunks()) {
    chunks.push(Buffer.from(chunk));
    length += chunk.length;
    if (length >= bytes) break;
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** The whole input, refused past `maxBytes` as it is read: a zip entry's size is only what its header says. */
export async function readAll(input: InputFile, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input.chunks()) {
    length += chunk.length;
    if (length > maxBytes) throw new Error(`it is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
