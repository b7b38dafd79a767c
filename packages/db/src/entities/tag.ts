import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn } from './columns';
import { ChatLog } from './chat-log';

// Tag names are shared across users (unique); each user sees only the tags on their own logs.
export const Tag = defineEntity({
  name: 'Tag',
  tableName: 'tags',
  properties: {
    ...idColumn,
    // normaliseTagName's rules, held by the database too (its NFC step aside, which SQL cannot check).
    name: p
      .text()
      .unique('tags_name_unique')
      .check('char_length(name) >= 1 and char_length(name) <= 64 and name = lower(btrim(name))'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ITag = InferEntity<typeof Tag>;

export const ChatTag = defineEntity({
  name: 'ChatTag',
  tableName: 'chat_tags',
  properties: {
    chat: () => p.manyToOne(ChatLog).primary().deleteRule('cascade').updateRule('no action'),
    tag: () => p.manyToOne(Tag).primary().deleteRule('cascade').updateRule('no action').index('chat_tags_tag_id_index'),
  },
});
export type IChatTag = InferEntity<typeof ChatTag>;
