import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useChatLogActions } from '../lib/chat-log-actions';
import { describeError, type ErrorReport } from '../lib/errors';
import { useTRPC, type ChatLog } from '../lib/trpc';
import { TextField } from './field';
import { FormStatus } from './form-status';

/**
 * The log's title as its page heading, with a form to change it. A saved title shows at once; the
 * change names the version it was made on, and if the log moved on meanwhile (another tab, an import)
 * the server answers CONFLICT: the old title comes back, the form opens again with what was typed, and
 * the log is reloaded so saving again applies the change on top of the other one.
 */
export function TitleEditor({ log }: { log: ChatLog }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const actions = useChatLogActions();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  const [failure, setFailure] = useState<ErrorReport | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The version the edit started from: the log may refresh underneath an open form (live updates
  // from another tab), and saving must then answer CONFLICT rather than overwrite unseen changes.
  const [base, setBase] = useState<{ title: string; version: number } | null>(null);
  const editRef = useRef<HTMLButtonElement>(null);

  const close = () => {
    setEditing(false);
    setFailure(null);
    setConflict(null);
    setDraft(null);
    // The form replaced the button that opened it; focus goes back to it.
    requestAnimationFrame(() => editRef.current?.focus());
  };

  const startEditing = () => {
    setBase({ title: log.title, version: log.version });
    setEditing(true);
  };

  const onFailure = async (error: unknown, title: string) => {
    const report = describeError(error);
    setDraft(title);
    setFailure(report);
    setEditing(true);
    if (report.code !== 'CONFLICT') return;
    setConflict('Reloading the changed chat log…');
    try {
      const fresh = await queryClient.fetchQuery({ ...trpc.chatlogs.get.queryOptions({ id: log.id }), staleTime: 0 });
      setBase({ title: fresh.title, version: fresh.version });
      setConflict(
        `This chat log changed since you opened it (it is now version ${fresh.version}, titled “${fresh.title}”). ` +
          'It has been reloaded: check the title and save again.',
      );
    } catch (reloadError) {
      setConflict(`This chat log changed since you opened it, and reloading it failed: ${describeError(reloadError).message}`);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get('title') ?? '').trim();
    // The same title would make no new version; there is nothing to send.
    const from = base ?? { title: log.title, version: log.version };
    if (title === from.title && from.version === log.version) {
      close();
      return;
    }
    setSaving(true);
    close();
    actions
      .rename({ id: log.id, ...from }, title)
      .catch((error: unknown) => onFailure(error, title))
      .finally(() => setSaving(false));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };

  if (!editing) {
    return (
      <div className="title-row">
        <h1 className="chat-title" id="chat-title">
          {log.title}
        </h1>
        <span className="title-actions">
          {saving ? <span className="muted title-saving">Saving…</span> : null}
          <button ref={editRef} type="button" className="button small" onClick={startEditing}>
            Edit title
          </button>
        </span>
      </div>
    );
  }
  const message = failure?.code === 'CONFLICT' ? conflict : failure && !failure.fieldErrors.title ? failure.message : null;
  return (
    <form className="title-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <h1 className="visually-hidden" id="chat-title">
        {log.title}
      </h1>
      <TextField label="Title" name="title" defaultValue={draft ?? log.title} maxLength={500} autoFocus errors={failure?.fieldErrors.title} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save title'}
        </button>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
      </div>
      <FormStatus error={message} />
    </form>
  );
}
