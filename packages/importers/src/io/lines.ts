// Splits a byte stream into lines without holding more than one line, and refuses absurd lines
// instead of building a string V8 cannot hold.

export type Line = { number: number; text: string } | { number: number; tooLong: true };

export async function* streamLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let number = 0;
  const finish = (): Line => {
    number += 1;
    if (overflow) return { number, tooLong: true };
    const text = decoder.decode(Buffer.concat(pending, pendingBytes)).replace(/\r$/, '');
    return { number, text };
  };
  for await (const chunk of chunks) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let newline = buffer.indexOf(10, start); newline !== -1; newline = buffer.indexOf(10, start)) {
      if (!overflow) pending.push(buffer.subarray(start, newline));
      pendingBytes += newline - start;
      overflow ||= pendingBytes > maxLineBytes;
      yield finish();
      pending = [];
      pendingBytes = 0;
      overflow = false;
      start = newline + 1;
    }
    if (start < buffer.length) {
      pendingBytes += buffer.length - start;
      overflow ||= pendingBytes > maxLineBytes;
      // Copy: the stream may reuse its buffer, and a long tail must not pin a whole chunk.
      if (!overflow) pending.push(Buffer.from(buffer.subarray(start)));
      else pending = [];
    }
  }
  if (pendingBytes > 0) yield finish();
}
