import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter, RouterInputs, RouterOutputs } from '@chatsynth/api';
import { MAX_BATCH_SIZE } from '@chatsynth/api/limits';

export type { AppRouter, RouterInputs, RouterOutputs };
export { TRPCClientError } from '@trpc/client';

export type ChatSynthClientOptions = {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** A personal API token (`csk_…`) or a session token, sent as `Authorization: Bearer`. */
  token?: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * Calls made together go in one request (default). Batching waits a timer tick to collect them;
   * a service that makes one call at a time and counts milliseconds can turn it off.
   */
  batch?: boolean;
};

export type ChatSynthClient = TRPCClient<AppRouter>;

export { MAX_BATCH_SIZE };

/**
 * superjson both ways; each response is parsed fresh for its call, so Dates are restored in place
 * rather than after a deep copy of the whole response.
 */
const transformer = {
  serialize: (value: unknown) => superjson.serialize(value),
  deserialize: (value: unknown) => superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0], { inPlace: true }),
};

export function createChatSynthClient(options: ChatSynthClientOptions): ChatSynthClient {
  const base = options.url.replace(/\/+$/, '');
  const link = {
    url: `${base}/trpc`,
    transformer,
    fetch: options.fetch,
    headers: () => ({
      ...options.headers,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    }),
  };
  return createTRPCClient<AppRouter>({
    links: [options.batch === false ? httpLink(link) : httpBatchLink({ ...link, maxItems: MAX_BATCH_SIZE, maxURLLength: 2000 })],
  });
}
