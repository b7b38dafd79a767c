// The shape of a chat log's content, defined once: the importers produce it, the API validates it on
// the way in, the database stores it (`chatlogs.content`), and the web app renders it.
import { z } from 'zod';
import { isoDateTime, jsonObject, jsonValue, text } from './json-value';

export const ROLES = ['user', 'assistant', 'system', 'tool'] as const;
export const PART_TYPES = ['code', 'image', 'attachment', 'thinking', 'tool_call', 'tool_result', 'citation'] as const;

/** The bounds of a chat log's content and of the names around it, enforced wherever content comes in. */
export const CONTENT_LIMITS = {
  source: 64,
  title: 500,
  summary: 10_000,
  messages: 100_000,
  messageContent: 2_000_000,
  partsPerMessage: 1_000,
  /** A part's `input` or `output` (a tool call's arguments or result), as JSON in UTF-8. */
  partJsonBytes: 2 * 1024 * 1024,
} as const;

const partJson = jsonValue(CONTENT_LIMITS.partJsonBytes);

export const partSchema = z.strictObject({
  type: z.enum(PART_TYPES),
  text: text(CONTENT_LIMITS.messageContent).optional(),
  language: text(100).optional(),
  name: text(500).optional(),
  url: text(4_000).optional(),
  mimeType: text(200).optional(),
  size: z.number().int().min(0).optional(),
  id: text(500).optional(),
  title: text(CONTENT_LIMITS.title).optional(),
  input: partJson.optional(),
  output: partJson.optional(),
  metadata: jsonObject.optional(),
});

export const messageSchema = z.strictObject({
  role: z.enum(ROLES),
  /** The text as the user saw it (markdown allowed). */
  content: text(CONTENT_LIMITS.messageContent),
  /** The platform's message id. */
  id: text(500).optional(),
  /** ISO 8601 with a time zone, years 1 to 9999. */
  createdAt: isoDateTime.optional(),
  model: text(200).optional(),
  /** Tool or author name. */
  name: text(200).optional(),
  parts: z.array(partSchema).max(CONTENT_LIMITS.partsPerMessage).optional(),
  metadata: jsonObject.optional(),
});

export const contentSchema = z.strictObject({
  messages: z.array(messageSchema).max(CONTENT_LIMITS.messages, `at most ${CONTENT_LIMITS.messages} messages`),
});

export type Role = (typeof ROLES)[number];
export type PartType = (typeof PART_TYPES)[number];
export type Part = z.infer<typeof partSchema>;
export type Message = z.infer<typeof messageSchema>;
export type ChatContent = z.infer<typeof contentSchema>;
