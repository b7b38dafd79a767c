import type { TRPCRouterRecord } from '@trpc/server';
import { deleteTagInput, renameTagInput } from '../schemas/tag';
import { deleteTag, listTags, renameTag } from '../services/tag-admin';
import { protectedProcedure } from '../trpc';

export const tagsRouter = {
  list: protectedProcedure.query(({ ctx }) => listTags({ em: ctx.em, userId: ctx.user.id })),
  rename: protectedProcedure
    .input(renameTagInput)
    .mutation(({ ctx, input }) => renameTag({ em: ctx.em, userId: ctx.user.id }, input)),
  delete: protectedProcedure
    .input(deleteTagInput)
    .mutation(({ ctx, input }) => deleteTag({ em: ctx.em, userId: ctx.user.id }, input.name)),
} satisfies TRPCRouterRecord;
