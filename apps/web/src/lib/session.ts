import { useEffect } from 'react';
import { hashKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { errorCode } from './errors';
import { useTRPC, type User } from './trpc';

/** `auth.me` decides whether someone is signed in: the user, or null. */
export function useCurrentUser() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 5 * 60_000 }));
}

/**
 * When any call answers UNAUTHORIZED (the session expired, or ended in another tab), asks `auth.me`
 * again; a null answer then sends the person to sign in.
 */
export function useSessionExpiryWatch() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    const meKey = trpc.auth.me.queryKey();
    const recheck = (error: unknown) => {
      if (errorCode(error) === 'UNAUTHORIZED') void queryClient.invalidateQueries({ queryKey: meKey, exact: true });
    };
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') recheck(event.action.error);
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') recheck(event.action.error);
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [trpc, queryClient]);
}

export function useSignOut() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation(
    trpc.auth.signOut.mutationOptions({
      // Signed out either way: an expired session answers UNAUTHORIZED, which means the same.
      onSettled: () => {
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
        void navigate('/signin', { replace: true });
      },
    }),
  );
}

/**
 * After signing in or up: drops whatever an earlier session left in the cache, and records the
 * user in the `auth.me` query that the layouts watch (kept, not removed, so its observers hear of it).
 */
export function useStartSession() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (user: User) => {
    const meHash = hashKey(trpc.auth.me.queryKey());
    queryClient.removeQueries({ predicate: (query) => query.queryHash !== meHash });
    queryClient.setQueryData(trpc.auth.me.queryKey(), user);
  };
}
