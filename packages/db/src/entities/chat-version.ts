import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn, jsonObjectColumn } from './columns';
import { ChatLog, type ChatContent } from './chat-log';

export const versionChanges = ['created', 'edited', 'imported', 'restored'] as const;
export type VersionChange = (typeof versionChanges)[number];

// One row per version of a chat log, the current one included: history is never rewritten.
export const ChatVersion = defineEntity({
  name: 'ChatVersion',
  tableName: 'chatversions',
  properties: {
    ...idColumn,
    chatlog: () => p.manyToOne(ChatLog).deleteRule('cascade'),
    version: p.integer(),
    title: p.text(),
    summary: p.text().nullable(),
    content: p.json<ChatContent>().lazy(),
    metadata: jsonObjectColumn(),
    change: p.enum([...versionChanges]),
    messageCount: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['chatlog', 'version'], name: 'chatversions_chatlog_id_version_unique' }],
});
export type IChatVersion = InferEntity<typeof ChatVersion>;
