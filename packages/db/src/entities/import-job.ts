import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn } from './columns';
import { User } from './user';

export const importStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export type ImportCounts = { conversations: number; created: number; updated: number; unchanged: number; failed: number };
export type ImportProblem = { conversation?: string; reason: string };

// Import jobs live in the database so that any server instance can claim one (FOR UPDATE SKIP LOCKED)
// and an interrupted one is found again after a restart.
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
    counts: p
      .json<ImportCounts>()
      .defaultRaw(`'{"conversations":0,"created":0,"updated":0,"unchanged":0,"failed":0}'`),
    problems: p.json<ImportProblem[]>().defaultRaw(`'[]'`),
    bytes: p.bigint('number').defaultRaw('0'),
    bytesRead: p.bigint('number').defaultRaw('0'),
    processed: p.integer().default(0),
    filePath: p.text().nullable(),
    error: p.text().nullable(),
    attempts: p.integer().default(0),
    heartbeatAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'imports_user_created_index', properties: ['user', 'createdAt'], columns: [{ name: 'user' }, { name: 'createdAt', sort: 'DESC' }] },
    // The queue: only jobs still to run or running, oldest first.
    { name: 'imports_queued_index', properties: ['createdAt'], where: `status in ('queued', 'running')` },
  ],
});
export type IImportJob = InferEntity<typeof ImportJob>;
