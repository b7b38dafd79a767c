import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from '@chatsynth/api/contract';
import { MAX_BATCH_SIZE } from '@chatsynth/api/limits';
import { httpRoutes, type HttpRoutes } from './http-routes';

export { MAX_BATCH_SIZE };

export type ChatSynthClientOptions = {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** A personal API token (`csk_…`) or a session token, sent as `Authorization: Bearer`. */
  token?: string;
  /** A fetch implementation (defaults to the global one). Used for calls, subscriptions and files. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * Calls made together go in one request (default). Batching waits a timer tick to collect them;
   * a service that makes one call at a time and counts milliseconds can turn it off.
   */
  batch?: boolean;
};

/**
 * Every procedure of the API (`client.chatlogs.list.query(…)`, `client.events.onChange.subscribe(…)`),
 * plus the two HTTP routes that carry files: `client.imports.upload(…)` and `client.exports.download(…)`.
 */
export type ChatSynthClient = TRPCClient<AppRouter> & HttpRoutes;

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
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const headers = (): Record<string, string> => ({
    ...options.headers,
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  });
  const link = { url: `${base}/trpc`, transformer, fetch: options.fetch, headers };
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Server-sent events. Node has no EventSource of its own, and a browser's cannot send a
        // bearer token: the `eventsource` package sends it through fetch. tRPC reconnects with the
        // last event id, so a dropped connection resumes where it stopped.
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          transformer,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (url, init) => fetchImpl(url, { ...init, headers: { ...init.headers, ...headers() } }),
          }),
        }),
        false: options.batch === false ? httpLink(link) : httpBatchLink({ ...link, maxItems: MAX_BATCH_SIZE, maxURLLength: 2000 }),
      }),
    ],
  });
  const routes = httpRoutes({ base, fetch: fetchImpl, headers });
  // The tRPC client is a proxy that makes a procedure path of any property; the file routes sit
  // beside `imports`' procedures and under `exports`, which no procedure uses.
  return new Proxy(trpc, {
    get(target, property, receiver) {
      if (property === 'exports') return routes.exports;
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'imports') return value;
      return new Proxy(value as object, {
        get: (imports, name, inner) => (name === 'upload' ? routes.imports.upload : Reflect.get(imports, name, inner)),
      });
    },
  }) as ChatSynthClient;
}
