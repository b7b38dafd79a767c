import { z } from 'zod';
import { dateSchema, jsonObject, limitSchema, cursorSchema, line, text, uuid } from './common';

export const roles = ['user', 'assistant', 'system', 'tool'] as const;
export const partTypes = ['code', 'image', 'attachment', 'thinking', 'tool_call', 'tool_result', 'citation'] as const;

export const LIMITS = {
  source: 64,
  title: 500,
  summary: 10_000,
  messages: 100_000,
  messageContent: 2_000_000,
  partsPerMessage: 1_000,
  tags: 32,
  tag: 64,
  annotation: 20_000,
} as const;

export const partSchema = z.strictObject({
  type: z.enum(partTypes),
  text: text(LIMITS.messageContent).optional(),
  language: text(100).optional(),
  name: text(500).optional(),
  url: text(4_000).optional(),
  mimeType: text(200).optional(),
  size: z.number().int().min(0).optional(),
  id: text(500).optional(),
  title: text(LIMITS.title).optional(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  metadata: jsonObject.optional(),
});

export const messageSchema = z.strictObject({
  role: z.enum(roles),
  content: text(LIMITS.messageContent),
  id: text(500).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  model: text(200).optional(),
  name: text(200).optional(),
  parts: z.array(partSchema).max(LIMITS.partsPerMessage).optional(),
  metadata: jsonObject.optional(),
});

export const contentSchema = z.strictObject({
  messages: z.array(messageSchema).max(LIMITS.messages, `at most ${LIMITS.messages} messages`),
});

export type Message = z.infer<typeof messageSchema>;
export type Part = z.infer<typeof partSchema>;
export type ChatContent = z.infer<typeof contentSchema>;

/** Tag names: trimmed, lower-case, inner white space collapsed, 1-64 characters. */
export function normaliseTagName(name: string): string {
  return name.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
}

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
