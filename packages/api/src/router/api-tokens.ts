import type { TRPCRouterRecord } from '@trpc/server';
import { createApiTokenInput, idInput, listApiTokensInput } from '../schemas/auth';
import * as apiTokens from '../services/api-tokens';
import { protectedProcedure } from '../trpc';

export const apiTokensRouter = {
  create: protectedProcedure
    .input(createApiTokenInput)
    .mutation(({ ctx, input }) => apiTokens.create({ em: ctx.em, userId: ctx.user.id }, input)),
  list: protectedProcedure.input(listApiTokensInput).query(({ ctx, input }) => apiTokens.list({ em: ctx.em, userId: ctx.user.id }, input)),
  revoke: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => apiTokens.revoke({ em: ctx.em, userId: ctx.user.id }, input.id)),
} satisfies TRPCRouterRecord;
