import { z } from 'zod';
import { CONTENT_LIMITS, TAG_LIMITS, contentSchema, normaliseTagName } from '@chatsynth/importers/canonical';
import { dateSchema, jsonObject, limitSchema, cursorSchema, line, text, uuid } from './common';

// The content shape and its bounds are defined once, beside the importers that produce it.
export { contentSchema, messageSchema, partSchema, PART_TYPES, ROLES, type ChatContent, type Message, type Part } from '@chatsynth/importers/canonical';
export { normaliseTagName };

export const LIMITS = {
  ...CONTENT_LIMITS,
  ...TAG_LIMITS,
  annotation: 20_000,
  /** Notes one chat log holds, from the API and from imports alike. */
  notesPerLog: 1_000,
} as const;

export const tagNameSchema = text(256)
  .transform(normaliseTagName)
  .pipe(z.string().min(1, 'a tag must not be empty').max(LIMITS.tag, `a tag must be at most ${LIMITS.tag} characters`));

export const tagListSchema = z
  .array(tagNameSchema)
  .max(LIMITS.tags, `at most ${LIMITS.tags} tags`)
  .transform((tags) => [...new Set(tags)].sort());

export const sourceSchema = line(LIMITS.source);

export const createChatLogInput = z.strictObject({
  source: sourceSchema,
  title: line(LIMITS.title).optional(),
  content: contentSchema,
  summary: text(LIMITS.summary).nullish(),
  metadata: jsonObject.optional(),
  tags: tagListSchema.optional(),
});

export const sortFields = ['updatedAt', 'createdAt', 'startedAt'] as const;

export const listChatLogsInput = z
  .strictObject({
    limit: limitSchema.default(20),
    cursor: cursorSchema,
    source: sourceSchema.optional(),
    tags: tagListSchema.optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    sort: z
      .enum([...sortFields, 'updated', 'created', 'started'])
      .default('updatedAt')
      .transform((s) => (s.endsWith('At') ? s : `${s}At`) as (typeof sortFields)[number]),
    order: z.enum(['asc', 'desc']).default('desc'),
    // tRPC's infinite queries send the paging direction; pages here always go forward.
    direction: z.enum(['forward', 'backward']).optional(),
  })
  .default({ limit: 20, sort: 'updatedAt', order: 'desc' });

export const chatLogIdInput = z.strictObject({ id: uuid });

export const updateChatLogInput = z.strictObject({
  id: uuid,
  expectedVersion: z.number().int().min(1),
  title: line(LIMITS.title).optional(),
  content: contentSchema.optional(),
  summary: text(LIMITS.summary).nullish(),
  metadata: jsonObject.optional(),
});

export const setTagsInput = z.strictObject({ id: uuid, tags: tagListSchema });

export const trashInput = z
  .strictObject({ limit: limitSchema.default(20), cursor: cursorSchema, direction: z.enum(['forward', 'backward']).optional() })
  .default({ limit: 20 });
