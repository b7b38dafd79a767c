import { z } from 'zod';
import { LIMITS } from './chat-log';
import { arrayPage, jsonObject, text, uuid } from './common';

const annotationContent = text(LIMITS.annotation).trim().min(1, 'must not be empty');
// Offsets are UTF-16 code units, as a browser's Selection and String.prototype.slice count them.
const offset = z.number().int().min(0).max(LIMITS.messageContent);
const messageIndexSchema = z.number().int().min(0).max(LIMITS.messages);

export const createAnnotationInput = z
  .strictObject({
    chatlogId: uuid,
    content: annotationContent,
    messageIndex: messageIndexSchema.optional(),
    quote: text(LIMITS.messageContent).min(1, 'must not be empty').optional(),
    start: offset.optional(),
    end: offset.optional(),
    metadata: jsonObject.optional(),
  })
  .superRefine((input, ctx) => {
    const onMessage = input.messageIndex !== undefined;
    for (const field of ['quote', 'start', 'end'] as const) {
      if (input[field] !== undefined && !onMessage) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'needs messageIndex: it points into one message' });
      }
    }
    if ((input.start === undefined) !== (input.end === undefined)) {
      const missing = input.start === undefined ? 'start' : 'end';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'start and end go together' });
    }
    if (input.start !== undefined && input.end !== undefined && input.start > input.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
    }
  });

export const updateAnnotationInput = z.strictObject({
  id: uuid,
  content: annotationContent,
  metadata: jsonObject.optional(),
});

export const annotationIdInput = z.strictObject({ id: uuid });

/** A log's notes in reading order; the cursor is the last note's place and id. */
export const listAnnotationsInput = z.strictObject({
  chatlogId: uuid,
  ...arrayPage(z.strictObject({ messageIndex: messageIndexSchema.nullable(), start: offset.nullable(), id: uuid })),
});
