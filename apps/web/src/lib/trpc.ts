import { QueryClient } from '@tanstack/react-query';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { createChatSynthClient, type AppRouter, type RouterInputs, type RouterOutputs } from '@chatsynth/client';
import { isClientMistake } from './errors';

export type { AppRouter, RouterInputs, RouterOutputs };
export type User = NonNullable<RouterOutputs['auth']['me']>;
export type ChatLog = RouterOutputs['chatlogs']['get'];
export type ChatLogSummary = RouterOutputs['chatlogs']['list']['items'][number];
export type Message = ChatLog['content']['messages'][number];
export type Part = NonNullable<Message['parts']>[number];

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * Same origin as the page: the session travels in the HttpOnly cookie the server set on sign-in,
 * so the app never sees or stores the token. In development Vite proxies /trpc to the server.
 */
export function createApiClient() {
  return createChatSynthClient({ url: window.location.origin });
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
