import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn } from './columns';
import { ChatLog } from './chat-log';

// Tag names are shared across users (unique); each user sees only the tags on their own logs.
export const Tag = defineEntity({
  name: 'Tag',
  tableName: 'tags',
  properties: {
    ...idColumn,
    name: p.text().unique('tags_name_unique'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ITag = InferEntity<typeof Tag>;

export const ChatTag = defineEntity({
  name: 'ChatTag',
  tableName: 'chat_tags',
  properties: {
    chat: () => p.manyToOne(ChatLog).primary().deleteRule('cascade'),
    tag: () => p.manyToOne(Tag).primary().deleteRule('cascade').index(),
  },
});
export type IChatTag = InferEntity<typeof ChatTag>;
