import { apiTokensRouter } from './router/api-tokens';
import { authRouter } from './router/auth';
import { annotationsRouter } from './router/annotations';
import { chatlogsRouter } from './router/chatlogs';
import { eventsRouter } from './router/events';
import { importsRouter } from './router/imports';
import { tagsRouter } from './router/tags';
import { usersRouter } from './router/users';
import { versionsRouter } from './router/versions';
import { createTRPCRouter, publicProcedure } from './trpc';

export const appRouter = createTRPCRouter({
  health: publicProcedure.query(() => ({ ok: true as const })),
  auth: authRouter,
  users: usersRouter,
  apiTokens: apiTokensRouter,
  chatlogs: chatlogsRouter,
  versions: versionsRouter,
  annotations: annotationsRouter,
  tags: tagsRouter,
  imports: importsRouter,
  events: eventsRouter,
});

export type AppRouter = typeof appRouter;
