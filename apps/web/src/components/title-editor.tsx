import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../lib/errors';
import { useTRPC, type ChatLog } from '../lib/trpc';
import { TextField } from './field';
import { FormStatus } from './form-status';

/**
 * The log's title as its page heading, with a form to change it. The change names the version it
 * was made on; if the log moved on meanwhile (another tab, an import) the server answers CONFLICT,
 * and the page reloads the log and says so instead of overwriting the other change.
 */
export function TitleEditor({ log }: { log: ChatLog }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);

  const update = useMutation(
    trpc.chatlogs.update.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.chatlogs.get.queryKey({ id: updated.id }), updated);
        void queryClient.invalidateQueries(trpc.chatlogs.list.pathFilter());
        setConflict(null);
        setEditing(false);
      },
      onError: async (error) => {
        if (describeError(error).code !== 'CONFLICT') return;
        try {
          const fresh = await queryClient.fetchQuery({ ...trpc.chatlogs.get.queryOptions({ id: log.id }), staleTime: 0 });
          setConflict(
            `This chat log changed since you opened it (it is now version ${fresh.version}, titled “${fresh.title}”). ` +
              'It has been reloaded: check the title and save again.',
          );
        } catch (reloadError) {
          setConflict(`This chat log changed since you opened it, and reloading it failed: ${describeError(reloadError).message}`);
        }
      },
    }),
  );
  const failure = update.error ? describeError(update.error) : null;
  const message = failure?.code === 'CONFLICT' ? (conflict ?? 'Reloading the changed chat log…') : failure?.message;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get('title') ?? '').trim();
    update.mutate({ id: log.id, expectedVersion: log.version, title });
  };

  if (!editing) {
    return (
      <div className="title-row">
        <h1 className="chat-title" id="chat-title">{log.title}</h1>
        <button type="button" className="button small" onClick={() => setEditing(true)}>
          Edit title
        </button>
      </div>
    );
  }
  return (
    <form className="title-form" onSubmit={submit} noValidate>
      <h1 className="visually-hidden" id="chat-title">{log.title}</h1>
      <TextField label="Title" name="title" defaultValue={log.title} maxLength={500} autoFocus errors={failure?.fieldErrors.title} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save title'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setEditing(false);
            setConflict(null);
            update.reset();
          }}
        >
          Cancel
        </button>
      </div>
      <FormStatus error={message} />
    </form>
  );
}
