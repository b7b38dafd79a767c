import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import superjson from 'superjson';
import { MAX_BATCH_SIZE, type AppRouter, type RouterInputs, type RouterOutputs } from '@chatsynth/client';
import { isClientMistake } from './errors';

export type { AppRouter, RouterInputs, RouterOutputs };
export type User = NonNullable<RouterOutputs['auth']['me']>;
export type ChatLog = RouterOutputs['chatlogs']['get'];
export type ChatLogSummary = RouterOutputs['chatlogs']['list']['items'][number];
export type Message = ChatLog['content']['messages'][number];
export type Part = NonNullable<Message['parts']>[number];
export type ImportJob = RouterOutputs['imports']['get'];
export type UserSession = RouterOutputs['auth']['sessions']['list'][number];
export type ApiToken = RouterOutputs['apiTokens']['list'][number];

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * Same origin as the page: the session travels in the HttpOnly cookie the server set on sign-in,
 * so the app never sees or stores the token. In development Vite proxies /trpc to the server.
 * Subscriptions go over server-sent events (an EventSource sends the cookie too); everything else
 * is batched like the published client does.
 */
export function createApiClient() {
  const url = `${window.location.origin}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, transformer: superjson }),
        false: httpBatchLink({ url, transformer: superjson, maxItems: MAX_BATCH_SIZE, maxURLLength: 2000 }),
      }),
    ],
  });
}

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx answer will not change by asking again; a network hiccup may.
        retry: (failures, error) => !isClientMistake(error) && failures < 2,
      },
    },
  });
}
