import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { describeError } from '../lib/errors';
import { useTRPC, type ChatLog } from '../lib/trpc';
import { FormStatus } from './form-status';

/** "Delete" moves the log to the trash, after the person confirms it. */
export function DeleteChatLog({ log }: { log: ChatLog }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.chatlogs.delete.mutationOptions({
      onSuccess: () => {
        queryClient.removeQueries({ queryKey: trpc.chatlogs.get.queryKey({ id: log.id }) });
        void queryClient.invalidateQueries(trpc.chatlogs.list.pathFilter());
        void navigate('/', { state: { notice: `Moved “${log.title}” to the trash.` } });
      },
    }),
  );

  if (!confirming) {
    return (
      <button type="button" className="button danger-outline" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-labelledby="confirm-delete-text">
      <p id="confirm-delete-text">Move this chat log to the trash? You can restore it from the trash later.</p>
      <div className="actions">
        <button type="button" className="button danger" onClick={() => remove.mutate({ id: log.id })} disabled={remove.isPending} autoFocus>
          {remove.isPending ? 'Moving…' : 'Move to trash'}
        </button>
        <button type="button" className="button" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
      <FormStatus error={remove.error ? describeError(remove.error).message : null} />
    </div>
  );
}
