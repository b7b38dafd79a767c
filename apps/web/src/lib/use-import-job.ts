import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC, type ImportJob } from './trpc';

export function isFinished(job: ImportJob | undefined): boolean {
  return job?.status === 'succeeded' || job?.status === 'failed';
}

/**
 * An import job, kept up to date while it runs: the `imports.onProgress` subscription writes each
 * state it hears into the `imports.get` query; should the event stream fail, the query polls
 * every 500 ms instead. When the job ends, the lists it changed are refreshed.
 */
export function useImportJob(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [polling, setPolling] = useState(false);
  const job = useQuery({
    ...trpc.imports.get.queryOptions({ id }),
    staleTime: 0,
    refetchInterval: (query) => (polling && !isFinished(query.state.data) ? 500 : false),
  });
  const finished = isFinished(job.data);

  useSubscription(
    trpc.imports.onProgress.subscriptionOptions(
      { id },
      {
        enabled: !polling && !finished,
        onData: (event) => queryClient.setQueryData(trpc.imports.get.queryKey({ id }), event.data),
        onError: () => setPolling(true),
      },
    ),
  );

  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
    void queryClient.invalidateQueries(trpc.chatlogs.pathFilter());
  }, [finished, queryClient, trpc]);

  return job;
}
