import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn } from './columns';
import { User } from './user';

export const importStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export type ImportCounts = { conversations: number; created: number; updated: number; unchanged: number; failed: number };
export type ImportProblem = { conversation?: string; reason: string };

export const ImportJob = defineEntity({
  name: 'ImportJob',
  tableName: 'imports',
  properties: {
    ...idColumn,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    filename: p.text(),
    format: p.text().nullable(),
    requestedFormat: p.text().default('auto'),
    status: p.enum([...importStatuses]).default('queued'),
    counts: p.json<ImportCounts>(),
    problems: p.json<ImportProblem[]>(),
    bytes: p.bigint('number').default(0),
    bytesRead: p.bigint('number').default(0),
    processed: p.integer().default(0),
    filePath: p.text().nullable(),
    error: p.text().nullable(),
    attempts: p.integer().default(0),
    heartbeatAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});
export type IImportJob = InferEntity<typeof ImportJob>;
