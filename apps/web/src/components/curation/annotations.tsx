import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useChatLogActions } from '../../lib/chat-log-actions';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useTRPC, type RouterOutputs } from '../../lib/trpc';
import { TextAreaField } from '../field';
import { FormStatus } from '../form-status';
import { ConfirmDialog } from './confirm-dialog';

export type Annotation = RouterOutputs['annotations']['list'][number];

/** What a new note points at: the whole log, one message, or a span of one message's text. */
export type NoteTarget = { messageIndex?: number; start?: number; end?: number; quote?: string };

const MAX_NOTE = 20_000;

/** Escape leaves a note form as Cancel does. */
function isEscape(event: KeyboardEvent): boolean {
  if (event.key !== 'Escape') return false;
  event.preventDefault();
  return true;
}

function useInvalidateNotes(chatlogId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.annotations.list.queryFilter({ chatlogId }));
}

/** A form for a new note on `target`; the quote it annotates is shown above the field. */
export function NewNoteForm({ chatlogId, target, onDone }: { chatlogId: string; target: NoteTarget; onDone: (message: string | null) => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateNotes(chatlogId);
  const create = useMutation(
    trpc.annotations.create.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onDone(target.quote ? 'Note added to the selected text.' : 'Note added.');
      },
    }),
  );
  const failure = create.error ? describeError(create.error) : null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const content = String(new FormData(event.currentTarget).get('content') ?? '').trim();
    create.mutate({ chatlogId, content, ...target });
  };
  const label = target.quote ? 'Note on the selected text' : target.messageIndex === undefined ? 'Note on this chat log' : 'Note on this message';
  return (
    <form className="note-form" onSubmit={submit} onKeyDown={(event) => isEscape(event) && onDone(null)} noValidate>
      {target.quote ? <blockquote className="note-quote">{target.quote}</blockquote> : null}
      <TextAreaField label={label} name="content" rows={3} maxLength={MAX_NOTE} required autoFocus errors={failure?.fieldErrors.content} />
      <div className="actions">
        <button type="submit" className="button primary small" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Save note'}
        </button>
        <button type="button" className="button small" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
      <FormStatus error={failure && !failure.fieldErrors.content ? failure.message : null} />
    </form>
  );
}

/** One note: its quote, its text and, for its author, edit and delete. */
export function NoteItem({ chatlogId, note, located, onAnnounce }: { chatlogId: string; note: Annotation; located: boolean; onAnnounce: (message: string) => void }) {
  const trpc = useTRPC();
  const actions = useChatLogActions();
  const invalidate = useInvalidateNotes(chatlogId);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const update = useMutation(
    trpc.annotations.update.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        setEditing(false);
        onAnnounce('Note saved.');
      },
    }),
  );
  const remove = useMutation(
    trpc.annotations.delete.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        await invalidate();
        // Announced by the notification, whose Undo writes the note again.
        actions.noteDeleted(note);
      },
    }),
  );
  const failure = update.error ? describeError(update.error) : null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const content = String(new FormData(event.currentTarget).get('content') ?? '').trim();
    update.mutate({ id: note.id, content });
  };
  const edited = note.updatedAt.getTime() - note.createdAt.getTime() > 1000;
  const editRef = useRef<HTMLButtonElement>(null);
  const cancelEdit = () => {
    setEditing(false);
    update.reset();
    // The form replaced the Edit button; focus goes back to it.
    requestAnimationFrame(() => editRef.current?.focus());
  };

  return (
    <li className="note" data-annotation-id={note.id}>
      {note.quote ? (
        <blockquote className="note-quote">
          {note.quote}
          {located ? null : <span className="note-moved"> (no longer in this message’s text)</span>}
        </blockquote>
      ) : null}
      {editing ? (
        <form className="note-form" onSubmit={submit} onKeyDown={(event) => isEscape(event) && cancelEdit()} noValidate>
          <TextAreaField label="Edit note" name="content" rows={3} maxLength={MAX_NOTE} defaultValue={note.content} autoFocus errors={failure?.fieldErrors.content} />
          <div className="actions">
            <button type="submit" className="button primary small" disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save note'}
            </button>
            <button type="button" className="button small" onClick={cancelEdit}>
              Cancel
            </button>
          </div>
          <FormStatus error={failure && !failure.fieldErrors.content ? failure.message : null} />
        </form>
      ) : (
        <>
          <p className="note-text">{note.content}</p>
          <p className="note-meta">
            <time dateTime={note.createdAt.toISOString()}>{formatDateTime(note.createdAt)}</time>
            {edited ? ' · edited' : ''} · on version {note.version}
            <span className="note-actions">
              <button ref={editRef} type="button" className="button small" onClick={() => setEditing(true)}>
                Edit<span className="visually-hidden"> note “{note.content.slice(0, 40)}”</span>
              </button>
              <button type="button" className="button small danger-outline" onClick={() => setConfirming(true)}>
                Delete<span className="visually-hidden"> note “{note.content.slice(0, 40)}”</span>
              </button>
            </span>
          </p>
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title="Delete this note?"
        confirmLabel="Delete note"
        pendingLabel="Deleting…"
        pending={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onConfirm={() => remove.mutate({ id: note.id })}
        onClose={() => {
          setConfirming(false);
          remove.reset();
        }}
      >
        <p>“{note.content.length > 120 ? `${note.content.slice(0, 120)}…` : note.content}” will be deleted. You can undo it from the notification that follows.</p>
      </ConfirmDialog>
    </li>
  );
}
