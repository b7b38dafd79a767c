import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { uuid } from '../schemas/common';
import type { EntityManager } from '@chatsynth/db';
import {
  chatLogIdInput,
  createChatLogInput,
  listChatLogsInput,
  setTagsInput,
  trashInput,
  updateChatLogInput,
} from '../schemas/chat-log';
import {
  createChatLog,
  getChatLog,
  listChatLogs,
  setChatLogTags,
  updateChatLog,
} from '../services/chat-logs';
import { chatLogStats } from '../services/stats';
import { exportChatLog, exportFormats } from '../services/exports';
import { listTrash, purgeChatLog, restoreChatLog, trashChatLog } from '../services/trash';
import { searchInput } from '../schemas/search';
import { searchChatLogs } from '../services/search';
import { protectedProcedure } from '../trpc';

const exportChatLogInput = z.strictObject({ id: uuid, format: z.enum(exportFormats) });

const owner = (ctx: { em: EntityManager; user: { id: string } }) => ({
  em: ctx.em,
  userId: ctx.user.id,
});

export const chatlogsRouter = {
  create: protectedProcedure.input(createChatLogInput).mutation(({ ctx, input }) => createChatLog(owner(ctx), input)),
  list: protectedProcedure.input(listChatLogsInput).query(({ ctx, input }) => listChatLogs(owner(ctx), input)),
  get: protectedProcedure.input(chatLogIdInput).query(({ ctx, input }) => getChatLog(owner(ctx), input.id)),
  update: protectedProcedure.input(updateChatLogInput).mutation(({ ctx, input }) => updateChatLog(owner(ctx), input)),
  delete: protectedProcedure.input(chatLogIdInput).mutation(({ ctx, input }) => trashChatLog(owner(ctx), input.id)),
  trash: protectedProcedure.input(trashInput).query(({ ctx, input }) => listTrash(owner(ctx), input)),
  restore: protectedProcedure.input(chatLogIdInput).mutation(({ ctx, input }) => restoreChatLog(owner(ctx), input.id)),
  purge: protectedProcedure.input(chatLogIdInput).mutation(({ ctx, input }) => purgeChatLog(owner(ctx), input.id)),
  setTags: protectedProcedure
    .input(setTagsInput)
    .mutation(({ ctx, input }) => setChatLogTags(owner(ctx), input.id, input.tags)),
  stats: protectedProcedure.query(({ ctx }) => chatLogStats(owner(ctx))),
  export: protectedProcedure
    .input(exportChatLogInput)
    .query(({ ctx, input }) => exportChatLog(owner(ctx), input.id, input.format)),
  search: protectedProcedure.input(searchInput).query(({ ctx, input }) => searchChatLogs(owner(ctx), input)),
} satisfies TRPCRouterRecord;
