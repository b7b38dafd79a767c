import type { TRPCRouterRecord } from '@trpc/server';
import { idInput, signInInput, signUpInput } from '../schemas/auth';
import * as auth from '../services/auth';
import { toUserDto } from '../services/dto';
import { protectedProcedure, publicProcedure } from '../trpc';
import { invalidateSession } from '@chatsynth/auth';
import { Session } from '@chatsynth/db';
import { notFound } from '../services/errors';

export const authRouter = {
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => auth.signUp(ctx, input)),
  signIn: publicProcedure.input(signInInput).mutation(({ ctx, input }) => auth.signIn(ctx, input)),
  signOut: protectedProcedure.mutation(({ ctx }) => auth.signOut(ctx)),
  me: publicProcedure.query(({ ctx }) => (ctx.user ? toUserDto(ctx.user) : null)),
  sessions: {
    list: protectedProcedure.query(({ ctx }) =>
      auth.sessionsOf({
        em: ctx.em,
        userId: ctx.user.id,
        currentSessionId: ctx.credential.kind === 'session' ? ctx.credential.sessionId : null,
      }),
    ),
    revoke: protectedProcedure.input(idInput).mutation(async ({ ctx, input }) => {
      const owned = await ctx.em.count(Session, { id: input.id, user: ctx.user.id });
      if (!owned) throw notFound('Session');
      await invalidateSession(ctx.em, input.id);
      if (ctx.credential.kind === 'session' && ctx.credential.sessionId === input.id) ctx.response.clearSessionCookie();
      return { ok: true as const };
    }),
  },
} satisfies TRPCRouterRecord;
