// Splits a byte stream into lines without holding any of them: each line arrives as one or more
// pieces, the last one marked `end`, so the reader decides how much of a line it keeps. A piece may
// view the stream's own chunk: copy it to keep it past the next piece.

export type LinePiece = { number: number; bytes: Uint8Array; end: boolean };

export async function* linePieces(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<LinePiece> {
  let number = 1;
  let open = false;
  for await (const chunk of chunks) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let newline = buffer.indexOf(10, start); newline !== -1; newline = buffer.indexOf(10, start)) {
      yield { number, bytes: buffer.subarray(start, newline), end: true };
      number += 1;
      open = false;
      start = newline + 1;
    }
    if (start < buffer.length) {
      // A line's unfinished tail is the piece a reader keeps: copied, so it pins no whole chunk.
      yield { number, bytes: Buffer.from(buffer.subarray(start)), end: false };
      open = true;
    }
  }
  if (open) yield { number, bytes: new Uint8Array(0), end: true };
}
