import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { refreshCollections } from './chat-log-actions';
import { useTRPC } from './trpc';

/** Events come in bursts (an import writes hundreds of logs); lists refresh once per burst. */
const LIST_REFRESH_DELAY_MS = 400;

/**
 * Keeps this tab in step with changes made anywhere else — another tab, another device, the CLI, an
 * import — through the `events.onChange` subscription: the open log, its notes and its versions refresh
 * when that log changes, and the lists (library, search, tags, stats, trash) once per burst. The
 * subscription resumes from the last event it saw after a dropped connection (tracked ids).
 */
export function useLiveUpdates() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [refreshLists] = useState(() => debounce(() => void refreshCollections(trpc, queryClient), LIST_REFRESH_DELAY_MS));
  useEffect(() => refreshLists.cancel, [refreshLists]);

  useSubscription(
    trpc.events.onChange.subscriptionOptions(undefined, {
      onData: ({ data: event }) => {
        const id = event.chatlogId;
        void queryClient.invalidateQueries(trpc.chatlogs.get.queryFilter({ id }));
        void queryClient.invalidateQueries(trpc.versions.pathFilter());
        if (event.type === 'annotation.changed') {
          void queryClient.invalidateQueries(trpc.annotations.list.queryFilter({ chatlogId: id }));
        }
        refreshLists();
      },
    }),
  );
}

function debounce(run: () => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Object.assign(
    () => {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    { cancel: () => clearTimeout(timer) },
  );
}
