import { setTimeout as sleep } from 'node:timers/promises';
import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { EntityManager } from '@chatsynth/db';
import { changeFeed } from '../services/change-feed';
import {
  EVENT_PAGE_SIZE,
  eventPositionSchema,
  eventsAfter,
  formatEventPosition,
  startingPosition,
  type EventPosition,
} from '../services/events';
import { withSubscriptionSlot } from '../services/open-subscriptions';
import { protectedProcedure } from '../trpc';

/**
 * A change wakes a subscription at once (services/change-feed.ts); the poll only covers a wake-up that
 * cannot arrive, e.g. a purge by another instance on the embedded database. Events held back behind an
 * older open transaction (services/events.ts) are looked for again after `heldBackMs`, doubling up to
 * `heldBackMaxMs`: that transaction may be another user's, whose end wakes nobody here. Tests lengthen
 * the fallback to show that wake-ups alone deliver.
 */
export const eventPolling = { fallbackMs: 2_000, heldBackMs: 10, heldBackMaxMs: 160 };

/** The user's events from `from` on, for as long as the subscriber stays. */
async function* changesAfter(em: EntityManager, userId: string, from: EventPosition, signal: AbortSignal | undefined) {
  let position = from;
  let heldBackWait = eventPolling.heldBackMs;
  while (!signal?.aborted) {
    // Taken before reading, so a change committed while the read runs still wakes the wait below.
    const generation = changeFeed.generation(userId);
    const { events, heldBack } = await eventsAfter(em.fork(), userId, position);
    for (const { position: at, event } of events) {
      position = at;
      yield tracked(formatEventPosition(at), event);
    }
    if (events.length === EVENT_PAGE_SIZE) continue;
    if (heldBack) {
      await sleep(heldBackWait, undefined, { signal }).catch(() => {});
      heldBackWait = Math.min(heldBackWait * 2, eventPolling.heldBackMaxMs);
      continue;
    }
    heldBackWait = eventPolling.heldBackMs;
    await changeFeed.waitAfter(userId, generation, eventPolling.fallbackMs, signal);
  }
}

export const eventsRouter = {
  /**
   * Changes to the caller's chat logs, annotations and tags, from any tab, server instance or import.
   * Events come from an outbox the database writes in the same transaction as each change; a client
   * that reconnects with `lastEventId` gets exactly what it missed (within a day).
   */
  onChange: protectedProcedure
    .input(z.strictObject({ lastEventId: eventPositionSchema.nullish() }).optional())
    .subscription(({ ctx, input, signal }) =>
      withSubscriptionSlot(ctx, signal, async () => {
        // Placed before the stream is returned, so nothing that happens after subscribing is missed.
        const from = await startingPosition(ctx.em.fork(), input?.lastEventId ?? null);
        return changesAfter(ctx.em, ctx.user.id, from, signal);
      }),
    ),
} satisfies TRPCRouterRecord;
