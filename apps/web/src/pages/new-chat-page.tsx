import { useDeferredValue, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { TextAreaField, TextField } from '../components/field';
import { FormStatus } from '../components/form-status';
import { PastePreview } from '../components/paste-preview';
import { describeError } from '../lib/errors';
import { splitTags } from '../lib/format';
import { parsePastedConversation } from '../lib/paste-parser';
import { useTRPC } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

const NOTHING_TO_SAVE = 'Paste a conversation first: there is nothing to save yet.';

export function NewChatPage() {
  useDocumentTitle('New chat');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [pasted, setPasted] = useState('');
  const [emptyTried, setEmptyTried] = useState(false);
  // Parsing a long paste on every keystroke would make typing lag; the preview may trail a little.
  const deferred = useDeferredValue(pasted);
  const parsed = useMemo(() => parsePastedConversation(deferred), [deferred]);

  const create = useMutation(
    trpc.chatlogs.create.mutationOptions({
      onSuccess: (log) => {
        queryClient.setQueryData(trpc.chatlogs.get.queryKey({ id: log.id }), log);
        void queryClient.invalidateQueries(trpc.chatlogs.list.pathFilter());
        void navigate(`/chats/${log.id}`);
      },
    }),
  );
  const failure = create.error ? describeError(create.error) : null;
  const contentErrors = emptyTried && !parsed.messages.length ? [NOTHING_TO_SAVE] : failure?.fieldErrors.content;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const messages = parsePastedConversation(pasted).messages;
    if (!messages.length) {
      setEmptyTried(true);
      return;
    }
    const form = new FormData(event.currentTarget);
    const title = String(form.get('title') ?? '').trim();
    const tags = splitTags(String(form.get('tags') ?? ''));
    create.mutate({
      source: String(form.get('source') ?? '').trim(),
      ...(title ? { title } : {}),
      ...(tags.length ? { tags } : {}),
      content: { messages: messages.map(({ role, content, name }) => (name ? { role, content, name } : { role, content })) },
    });
  };

  return (
    <section className="page" aria-labelledby="new-chat-heading">
      <div className="page-heading">
        <h1 id="new-chat-heading">New chat</h1>
      </div>
      <div className="new-chat">
        <form className="stack new-chat-form" onSubmit={submit} noValidate>
          <TextAreaField
            label="Conversation"
            name="conversation"
            rows={14}
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
            spellCheck={false}
            hint={
              <>
                Paste it as it is. A line starting with <kbd>User:</kbd>, <kbd>You:</kbd>, <kbd>Human:</kbd>,{' '}
                <kbd>Assistant:</kbd>, <kbd>ChatGPT:</kbd>, <kbd>Claude:</kbd> or <kbd>System:</kbd> starts a message;
                headings like <kbd>## User</kbd> and JSON (<kbd>{'[{ "role", "content" }]'}</kbd>) work too.
              </>
            }
            errors={contentErrors}
          />
          <TextField label="Title" optional name="title" hint="Left empty, the first line you wrote becomes the title." errors={failure?.fieldErrors.title} />
          <div className="field-row">
            <TextField label="Source" name="source" defaultValue="paste" required hint="Where the conversation came from." errors={failure?.fieldErrors.source} />
            <TextField label="Tags" optional name="tags" hint="Separated by commas." placeholder="work, python" errors={failure?.fieldErrors.tags} />
          </div>
          <FormStatus error={failure?.message} />
          <div className="actions">
            <button type="submit" className="button primary" disabled={create.isPending}>
              {create.isPending ? 'Saving…' : 'Save chat log'}
            </button>
          </div>
        </form>
        <PastePreview result={parsed} stale={deferred !== pasted} />
      </div>
    </section>
  );
}
