import type { TRPCRouterRecord } from '@trpc/server';
import { changePasswordInput, updateProfileInput } from '../schemas/auth';
import { changePassword } from '../services/auth';
import { updateProfile } from '../services/users';
import { protectedProcedure } from '../trpc';

export const usersRouter = {
  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile({ em: ctx.em, userId: ctx.user.id }, input)),
  changePassword: protectedProcedure.input(changePasswordInput).mutation(({ ctx, input }) =>
    changePassword(
      {
        ...ctx,
        userId: ctx.user.id,
        currentSessionId: ctx.credential.kind === 'session' ? ctx.credential.sessionId : null,
      },
      input,
    ),
  ),
} satisfies TRPCRouterRecord;
