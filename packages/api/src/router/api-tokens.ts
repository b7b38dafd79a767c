import type { TRPCRouterRecord } from '@trpc/server';
import { createApiTokenInput, idInput, listApiTokensInput } from '../schemas/auth';
import * as apiTokens from '../services/api-tokens';
import { scopesOf } from '../services/token-scopes';
import { protectedProcedure } from '../trpc';

export const apiTokensRouter = {
  create: protectedProcedure
    .input(createApiTokenInput)
    .mutation(({ ctx, input }) => apiTokens.create({ em: ctx.em, userId: ctx.user.id, grantable: scopesOf(ctx.credential) }, input)),
  list: protectedProcedure.input(listApiTokensInput).query(({ ctx, input }) => apiTokens.list({ em: ctx.em, userId: ctx.user.id }, input)),
  // A token without `write` may still revoke itself, so `chatsynth logout` works with a read-only one.
  revoke: protectedProcedure
    .meta({ ownTokenAlways: true })
    .input(idInput)
    .mutation(({ ctx, input }) => apiTokens.revoke({ em: ctx.em, userId: ctx.user.id }, input.id)),
} satisfies TRPCRouterRecord;
