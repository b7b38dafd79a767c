import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn, timestampColumns } from './columns';
import { ChatLog } from './chat-log';
import { User } from './user';

export const Annotation = defineEntity({
  name: 'Annotation',
  tableName: 'annotations',
  properties: {
    ...idColumn,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    chatlog: () => p.manyToOne(ChatLog).deleteRule('cascade').index(),
    content: p.text(),
    messageIndex: p.integer().nullable(),
    quote: p.text().nullable(),
    start: p.integer().nullable(),
    end: p.integer().nullable(),
    version: p.integer(),
    metadata: p.json<Record<string, unknown>>(),
    ...timestampColumns,
  },
});
export type IAnnotation = InferEntity<typeof Annotation>;
