// Streams the values at the given JSONPath-like paths out of a JSON document of any size. With
// `keepStack: false` each emitted value is dropped from its parent, so memory holds one value (one
// conversation), not the document.
import { JSONParser } from '@streamparser/json';
import { ImportFormatError } from '../canonical';

export type JsonPath = Array<string | number>;

export type JsonStreamEvent =
  | { kind: 'value'; path: JsonPath; value: unknown }
  /** The document broke off (truncated, corrupt, unreadable); everything before it was emitted. */
  | { kind: 'break'; reason: string; byteOffset: number };

/** Errors that must end the whole import rather than become a problem: limits and cancellation. */
export function isFatal(error: unknown): boolean {
  return error instanceof ImportFormatError || (error instanceof Error && error.name === 'AbortError');
}

export async function* streamJsonValues(chunks: AsyncIterable<Uint8Array>, paths: string[]): AsyncGenerator<JsonStreamEvent> {
  const parser = new JSONParser({ paths, keepStack: false });
  const queue: JsonStreamEvent[] = [];
  let failure: { reason: string; byteOffset: number } | undefined;
  let bytes = 0;
  parser.onValue = ({ value, key, stack }) => {
    const path: JsonPath = [];
    for (const element of stack.slice(1)) if (element.key !== undefined) path.push(element.key);
    if (key !== undefined) path.push(key);
    queue.push({ kind: 'value', path, value });
  };
  parser.onError = (error) => {
    if (failure !== undefined) return;
    const position = /absolute position "(\d+)"/.exec(error.message)?.[1];
    failure = { reason: error.message, byteOffset: position === undefined ? bytes : Number(position) };
  };
  try {
    for await (const chunk of chunks) {
      parser.write(chunk);
      bytes += chunk.length;
      while (queue.length > 0) yield queue.shift() as JsonStreamEvent;
      if (failure !== undefined) break;
    }
  } catch (error) {
    if (isFatal(error)) throw error;
    failure ??= { reason: `reading failed: ${error instanceof Error ? error.message : String(error)}`, byteOffset: bytes };
  }
  if (failure === undefined && !parser.isEnded) parser.end();
  while (queue.length > 0) yield queue.shift() as JsonStreamEvent;
  if (failure !== undefined) yield { kind: 'break', ...failure };
}
