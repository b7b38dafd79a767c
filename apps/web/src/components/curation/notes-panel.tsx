import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { describeError } from '../../lib/errors';
import { plural } from '../../lib/format';
import { useEscapeToClose } from '../../lib/use-escape-to-close';
import { useMediaQuery } from '../../lib/use-media-query';
import { NoteItem, type Annotation } from './annotations';

/**
 * From this width the notes stand in a column beside the conversation (the `.chat-body` grid in
 * styles.css uses the same query). Narrower, they sit above it, folded to one row until opened, so
 * the conversation still starts on the first screen.
 */
export const NOTES_BESIDE_CONVERSATION = '(min-width: 75rem)';

const EXCERPT = 80;

/**
 * The chat log's notes panel: the notes on the whole log, a form for a new one (`form`, while it is
 * being written) and an index of the messages that have notes, each leading to its message (only
 * the messages near the screen are rendered, so their own notes may not be in the page yet).
 */
export function NotesPanel(props: {
  chatlogId: string;
  notes: UseQueryResult<Annotation[], unknown>;
  logNotes: Annotation[];
  messageNotes: [number, { note: Annotation }[]][];
  form: ReactNode;
  onAddLogNote: () => void;
  onGoTo: (messageIndex: number) => void;
  announcement: string;
  onAnnounce: (message: string) => void;
}) {
  const { chatlogId, notes, logNotes, messageNotes, form, onAddLogNote, onGoTo, announcement, onAnnounce } = props;
  const beside = useMediaQuery(NOTES_BESIDE_CONVERSATION);
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const shown = beside || open;
  // A note on the log saved or cancelled: its form, and the focus in it, are gone. The focus goes
  // back to the button that opened it rather than to the page's start.
  const writing = Boolean(form);
  const wasWriting = useRef(writing);
  useEffect(() => {
    if (wasWriting.current && !writing && (!document.activeElement || document.activeElement === document.body)) addButton.current?.focus();
    wasWriting.current = writing;
  }, [writing]);
  useEscapeToClose(!beside && open, () => {
    setOpen(false);
    toggle.current?.focus();
  });
  // "No notes yet" is said in the panel; the heading counts only what there is.
  const count = notes.data?.length ? <span className="muted"> ({plural(notes.data.length, 'note')})</span> : null;

  return (
    <section className="panel notes-panel" aria-labelledby="notes-heading">
      <div className="section-heading">
        <h2 id="notes-heading">
          {beside ? (
            <>Notes{count}</>
          ) : (
            <button ref={toggle} type="button" className="disclosure" aria-expanded={open} aria-controls="notes-body" onClick={() => setOpen((o) => !o)}>
              <span className="disclosure-arrow" aria-hidden="true">
                ▸
              </span>
              Notes{count}
            </button>
          )}
        </h2>
        <button
          ref={addButton}
          type="button"
          className="button small"
          onClick={() => {
            // The form opens in the panel's body: a folded panel unfolds for it.
            setOpen(true);
            onAddLogNote();
          }}
        >
          Add a note on this chat log
        </button>
      </div>
      <div role="status" className="visually-hidden">
        {announcement}
      </div>
      <div id="notes-body" className="notes-body" hidden={!shown}>
        <p className="muted notes-hint">Select text in a message to annotate it, or use a message’s “Add note”.</p>
        {notes.isPending ? (
          <p className="muted">Loading notes…</p>
        ) : notes.isError ? (
          <div role="alert" className="form-error">
            Could not load the notes. {describeError(notes.error).message}{' '}
            <button type="button" className="button small" onClick={() => void notes.refetch()}>
              Try again
            </button>
          </div>
        ) : (
          <>
            {form}
            {logNotes.length ? (
              <ul className="note-list" aria-label="Notes on this chat log">
                {logNotes.map((note) => (
                  <NoteItem key={note.id} chatlogId={chatlogId} note={note} located onAnnounce={onAnnounce} />
                ))}
              </ul>
            ) : !form ? (
              <p className="muted notes-empty">
                {notes.data.length ? `No notes on the whole log; ${plural(notes.data.length, 'note')} on its messages.` : 'No notes yet.'}
              </p>
            ) : null}
            {messageNotes.length ? (
              <nav aria-label="Notes on messages" className="message-note-index">
                <ul>
                  {messageNotes.map(([index, own]) => {
                    const first = own[0]!.note.content;
                    return (
                      <li key={index}>
                        <button type="button" className="link-button" onClick={() => onGoTo(index)}>
                          Message {index + 1}
                        </button>
                        <span className="message-note-count"> · {plural(own.length, 'note')}</span>
                        <span className="message-note-excerpt">{first.length > EXCERPT ? `${first.slice(0, EXCERPT)}…` : first}</span>
                      </li>
                    );
                  })}
                </ul>
              </nav>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
