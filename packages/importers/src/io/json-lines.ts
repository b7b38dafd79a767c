// Reads JSON Lines one value per line, each line on its own, so a bad line costs only itself. A line
// up to WHOLE_LINE_BYTES is parsed whole by JSON.parse, several times faster than streaming; a longer
// one streams through JsonValueReader with the bounds of a JSON document (strings cut, a value too
// heavy left out), so no line is ever held whole, whatever its length.
import { JSON_READ_LIMITS, JsonValueReader, type JsonReadLimits, type JsonStreamEvent, type ValueNote } from './json-values';
import { linePieces } from './lines';

export type JsonLineEvent =
  | { line: number; kind: 'value'; value: unknown; notes: ValueNote[] }
  | { line: number; kind: 'too-large'; bytes: number; head: Record<string, unknown> }
  | { line: number; kind: 'invalid'; reason: string };

/** JSON.parse of this much builds at most some tens of MB, however the line is made. */
export const WHOLE_LINE_BYTES = 4 * 1024 * 1024;

export async function* streamJsonLines(chunks: AsyncIterable<Uint8Array>, limits: JsonReadLimits = JSON_READ_LIMITS): AsyncGenerator<JsonLineEvent> {
  const decoder = new TextDecoder('utf-8');
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let reader: JsonValueReader | undefined;
  for await (const piece of linePieces(chunks)) {
    if (reader !== undefined) {
      reader.write(piece.bytes);
    } else {
      head.push(piece.bytes);
      headBytes += piece.bytes.length;
      if (headBytes > WHOLE_LINE_BYTES) {
        reader = new JsonValueReader(['$'], limits);
        for (const bytes of head) reader.write(bytes);
        head = [];
        headBytes = 0;
      }
    }
    if (!piece.end) continue;
    if (reader !== undefined) {
      reader.end();
      const event = streamedLine(piece.number, reader.events);
      reader = undefined;
      if (event !== undefined) yield event;
    } else {
      const text = decoder.decode(Buffer.concat(head, headBytes)).replace(/^\uFEFF/, '');
      head = [];
      headBytes = 0;
      if (text.trim() === '') continue;
      try {
        yield { line: piece.number, kind: 'value', value: JSON.parse(text) as unknown, notes: [] };
      } catch (error) {
        yield { line: piece.number, kind: 'invalid', reason: error instanceof Error ? error.message : String(error) };
      }
    }
  }
}

/** One line's outcome from its stream: a line with anything wrong in its syntax is invalid as a whole, as for JSON.parse. */
function streamedLine(line: number, events: JsonStreamEvent[]): JsonLineEvent | undefined {
  const broken = events.find((event) => event.kind === 'break');
  if (broken !== undefined) return { line, kind: 'invalid', reason: broken.reason };
  const [event] = events;
  if (event === undefined) return undefined;
  if (event.kind === 'too-large') return { line, kind: 'too-large', bytes: event.bytes, head: event.head };
  if (event.kind === 'value') return { line, kind: 'value', value: event.value, notes: event.notes };
  return undefined;
}
