// Properties of the bounds an import holds a conversation to: whatever a file holds, what comes out is
// what the API's own schemas take, or the conversation is refused with a reason; and nothing changes
// without a sentence in the report. Pure functions: no database.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_BYTES, jsonObject, ROLES, PART_TYPES } from '@chatsynth/importers/canonical';
import { createAnnotationInput } from '../src/schemas/annotation';
import { contentSchema, type ChatContent } from '../src/schemas/chat-log';
import { placeAnnotation } from '../src/services/annotation-placement';
import { fitAnnotations, fitContent, fitMetadata, MAX_CONTENT_BYTES, Refused, utf8Bytes, type ImportedAnnotation } from '../src/services/chat-log-bounds';
import { storable } from '../src/services/sanitize';

const LOG_ID = '0190a000-0000-7000-8000-000000000001';

/** Text with what real exports hold: emoji, NUL, lone surrogates, long runs. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
    fc.tuple(fc.constantFrom('x', '😀', '€', '\u0000', '\ud800'), fc.nat(maxLength)).map(([c, n]) => c.repeat(n)),
  );

/** A value a file may put where the schema wants something else. */
const oddValue = fc.oneof(fc.string({ maxLength: 700 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 2 }), fc.array(fc.anything(), { maxLength: 3 }));

const metadataValue = fc.oneof(
  fc.object({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 40 }).map((value) => ({ deep: value })),
  fc.nat(300_000).map((n) => ({ blob: 'm'.repeat(n) })),
  fc.constant(JSON.parse('{"__proto__": {"isAdmin": true}, "ok": 1}') as Record<string, unknown>),
  oddValue,
);

const part = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...PART_TYPES), fc.string({ maxLength: 10 })),
    text: text(3_000),
    language: fc.oneof(text(150), oddValue),
    name: text(700),
    url: text(5_000),
    size: fc.oneof(fc.integer(), fc.double()),
    input: fc.oneof(fc.jsonValue({ maxDepth: 40 }), oddValue),
    metadata: metadataValue,
    stray: oddValue,
  },
  { requiredKeys: ['type'] },
);

const message = fc.record(
  {
    role: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ROLES) }, { weight: 1, arbitrary: fc.constantFrom('robot', 'User') }),
    content: fc.oneof({ weight: 9, arbitrary: text(2_000) }, { weight: 1, arbitrary: oddValue }),
    id: fc.oneof(text(700), oddValue),
    createdAt: fc.oneof(
      fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('0000-06-01T08:00:00.000Z', '2024-02-30T10:00:00Z', 'yesterday', '+010000-01-01T00:00:00.000Z'),
      oddValue,
    ),
    model: text(300),
    name: text(300),
    parts: fc.oneof(fc.array(part, { maxLength: 4 }), fc.nat(1_100).map((n) => Array.from({ length: n }, () => ({ type: 'citation', url: 'https://example.com' })))),
    metadata: metadataValue,
    stray: oddValue,
  },
  { requiredKeys: ['role', 'content'] },
);

const runs = { numRuns: 150 };

describe('the bounds an import holds a conversation to', () => {
  it('content: what comes out is what contentSchema takes, at most 20 MB, or the conversation is refused; no change without a note', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), (messages) => {
        const input = storable({ messages }) as ChatContent;
        const before = JSON.stringify(input);
        const notes: string[] = [];
        let fitted: { content: ChatContent; bytes: number };
        try {
          fitted = fitContent(structuredClone(input), (reason) => notes.push(reason));
        } catch (error) {
          expect(error).toBeInstanceOf(Refused);
          expect((error as Error).message).toMatch(/not imported/);
          return;
        }
        expect(contentSchema.safeParse(fitted.content).error?.issues).toBeUndefined();
        expect(fitted.bytes).toBe(utf8Bytes(JSON.stringify(fitted.content)));
        expect(fitted.bytes).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
        if (JSON.stringify(fitted.content) !== before) expect(notes.length).toBeGreaterThan(0);
        // No message is lost: only parts of one, said as above.
        expect(fitted.content.messages).toHaveLength(messages.length);
      }),
      runs,
    );
  });

  it('metadata: a JSON object of at most 256 KB that jsonObject takes, ChatSynth’s own keys kept, no platform key lost without a note', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 12 }), metadataValue, { maxKeys: 6 }), (platform) => {
        const own = { import: { importId: 'job', contentHash: 'abc' } };
        const notes: string[] = [];
        const metadata = fitMetadata(storable(platform), own, (reason) => notes.push(reason));
        expect(jsonObject.safeParse(metadata).success).toBe(true);
        expect(utf8Bytes(JSON.stringify(metadata))).toBeLessThanOrEqual(MAX_JSON_BYTES);
        expect(metadata.import).toEqual(own.import);
        const lost = Object.keys(platform).filter((key) => key !== 'import' && !Object.hasOwn(metadata, key));
        if (lost.length) expect(notes.length).toBeGreaterThan(0);
      }),
      runs,
    );
  });

  it('annotations: each kept one is what annotations.create takes on this log; none changed or lost without a note', () => {
    const annotation = fc.record({
      content: text(25_000),
      messageIndex: fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 8 }), fc.constant(999_999), fc.double()),
      quote: fc.oneof(fc.constant(null), text(40), fc.constantFrom('ferry', 'Ferries leave', '')),
      start: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 60 })),
      end: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 60 })),
    });
    const messages = fc.array(
      fc.record({ role: fc.constantFrom(...ROLES), content: fc.oneof(text(50), fc.constant('Ferries leave every 20 minutes. 😀 ferry')) }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(messages, fc.array(annotation, { maxLength: 6 }), (logMessages, annotations) => {
        const input = storable(annotations) as ImportedAnnotation[];
        const notes: string[] = [];
        const kept = fitAnnotations(input, { id: LOG_ID, messages: storable(logMessages) }, (reason) => notes.push(reason));
        for (const note of kept) {
          const target = {
            messageIndex: note.messageIndex ?? undefined,
            quote: note.quote ?? undefined,
            start: note.start ?? undefined,
            end: note.end ?? undefined,
          };
          expect(createAnnotationInput.safeParse({ chatlogId: LOG_ID, content: note.content, ...target }).success).toBe(true);
          const text = note.messageIndex === null ? undefined : logMessages[note.messageIndex]?.content;
          expect(placeAnnotation(target, { messageCount: logMessages.length, text: text === undefined ? undefined : storable(text) })).not.toHaveProperty('field');
        }
        // A quote left out beside offsets is filled in from the text between them, as annotations.create does: that is no change.
        const asGiven = (k: ImportedAnnotation, given: ImportedAnnotation) => ({
          ...given,
          content: given.content.trim(),
          quote: given.quote === null && k.start !== null && k.end !== null ? k.quote : given.quote,
        });
        const unchanged = kept.length === input.length && kept.every((k, i) => JSON.stringify(k) === JSON.stringify(asGiven(k, input[i]!)));
        if (!unchanged) expect(notes.length).toBeGreaterThan(0);
      }),
      runs,
    );
  });
});
