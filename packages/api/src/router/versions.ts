import type { TRPCRouterRecord } from '@trpc/server';
import { diffVersionsInput, getVersionInput, listVersionsInput, restoreVersionInput } from '../schemas/version';
import { diffVersions, getVersion, listVersions, restoreVersion } from '../services/versions';
import { protectedProcedure } from '../trpc';

export const versionsRouter = {
  list: protectedProcedure
    .input(listVersionsInput)
    .query(({ ctx, input }) => listVersions({ em: ctx.em, userId: ctx.user.id }, input)),
  get: protectedProcedure
    .input(getVersionInput)
    .query(({ ctx, input }) => getVersion({ em: ctx.em, userId: ctx.user.id }, input)),
  diff: protectedProcedure
    .input(diffVersionsInput)
    .query(({ ctx, input }) => diffVersions({ em: ctx.em, userId: ctx.user.id }, input)),
  restore: protectedProcedure
    .input(restoreVersionInput)
    .mutation(({ ctx, input }) => restoreVersion({ em: ctx.em, userId: ctx.user.id }, input)),
} satisfies TRPCRouterRecord;
