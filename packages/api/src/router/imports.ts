import type { TRPCRouterRecord } from '@trpc/server';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { EntityManager } from '@chatsynth/db';
import { uuid } from '../schemas/common';
import { importIdInput, listImportsInput } from '../schemas/import';
import { getImport, listImports } from '../services/imports';
import { withSubscriptionSlot } from '../services/open-subscriptions';
import { protectedProcedure } from '../trpc';

const POLL_MS = 500;

async function* progressOf(em: EntityManager, userId: string, id: string, lastKey: string, signal: AbortSignal | undefined) {
  let last = lastKey;
  while (!signal?.aborted) {
    const job = await getImport({ em: em.fork(), userId }, id);
    const key = `${job.status}:${job.bytesRead}:${JSON.stringify(job.counts)}:${job.problems.length}`;
    if (key !== last) {
      last = key;
      yield tracked(key, job);
    }
    if (job.status === 'succeeded' || job.status === 'failed') return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// An import-only token (a script that uploads exports) follows the imports it started: reading
// imports takes `read` or `import`.
const importReader = protectedProcedure.meta({ scopes: ['read', 'import'] });

export const importsRouter = {
  list: importReader.input(listImportsInput).query(({ ctx, input }) => listImports({ em: ctx.em, userId: ctx.user.id }, input)),
  get: importReader
    .input(importIdInput)
    .query(({ ctx, input }) => getImport({ em: ctx.em, userId: ctx.user.id }, input.id)),
  /**
   * The job's state whenever it changes, until it ends. It reads the database (a fork per read), so
   * it follows a job run by any server instance.
   */
  onProgress: importReader
    .input(z.strictObject({ id: uuid, lastEventId: z.string().max(200).nullish() }))
    .subscription(({ ctx, input, signal }) =>
      // One of the caller's open subscriptions (services/open-subscriptions.ts), as events.onChange is.
      withSubscriptionSlot(ctx, signal, async () => progressOf(ctx.em, ctx.user.id, input.id, input.lastEventId ?? '', signal)),
    ),
} satisfies TRPCRouterRecord;
