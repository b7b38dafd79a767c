import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { changeFeed } from '../services/change-feed';
import { eventsAfter, latestEventId } from '../services/events';
import { protectedProcedure } from '../trpc';

/**
 * A change wakes a subscription at once (services/change-feed.ts); the poll only covers a wake-up that
 * cannot arrive, e.g. a purge by another instance on the embedded database. Tests lengthen it to show
 * that wake-ups alone deliver.
 */
export const eventPolling = { fallbackMs: 2_000 };

export const eventsRouter = {
  /**
   * Changes to the caller's chat logs, annotations and tags, from any tab, server instance or import.
   * Events come from an outbox the database writes in the same transaction as each change; a client
   * that reconnects with `lastEventId` gets exactly what it missed (within a day).
   */
  onChange: protectedProcedure
    .input(
      z
        .strictObject({
          // An event id is a PostgreSQL bigint: digits, at most its maximum.
          lastEventId: z
            .string()
            .regex(/^\d{1,19}$/, 'must be an event id')
            .refine((id) => BigInt(id) <= 9_223_372_036_854_775_807n, 'must be an event id')
            .nullish(),
        })
        .optional(),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const userId = ctx.user.id;
      // Start from "now" before waiting, so nothing that happens after subscribing is missed.
      let last = input?.lastEventId ?? (await latestEventId(ctx.em.fork(), userId));
      while (!signal?.aborted) {
        // Taken before reading, so a change committed while the read runs still wakes the wait below.
        const generation = changeFeed.generation(userId);
        const events = await eventsAfter(ctx.em.fork(), userId, last);
        for (const { id, event } of events) {
          last = id;
          yield tracked(id, event);
        }
        if (events.length < 500) await changeFeed.waitAfter(userId, generation, eventPolling.fallbackMs, signal);
      }
    }),
} satisfies TRPCRouterRecord;
