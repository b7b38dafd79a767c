import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn, jsonObjectColumn, timestampColumns } from './columns';
import { ChatLog } from './chat-log';
import { User } from './user';

export const Annotation = defineEntity({
  name: 'Annotation',
  tableName: 'annotations',
  properties: {
    ...idColumn,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    chatlog: () => p.manyToOne(ChatLog).deleteRule('cascade').index('annotations_chatlog_id_index'),
    content: p.text(),
    messageIndex: p.integer().nullable().check('message_index >= 0'),
    quote: p.text().nullable(),
    start: p.integer().nullable().check('start >= 0'),
    end: p.integer().nullable().check('"end" >= 0'),
    version: p.integer(),
    metadata: jsonObjectColumn(),
    ...timestampColumns,
  },
});
export type IAnnotation = InferEntity<typeof Annotation>;
