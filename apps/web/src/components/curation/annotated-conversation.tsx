import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { MessageView } from '../message-view';
import { describeError } from '../../lib/errors';
import { plural } from '../../lib/format';
import { locateQuote, type Mark } from '../../lib/message-segments';
import { readMessageSelection, type MessageSelection } from '../../lib/selection-offsets';
import { useTRPC, type ChatLog } from '../../lib/trpc';
import { AnnotatedText } from './annotated-text';
import { NewNoteForm, NoteItem, type Annotation, type NoteTarget } from './annotations';

type Draft = { target: NoteTarget; messageIndex: number | undefined; key: number };

/**
 * The conversation with its notes: notes on the whole log above it, each message's notes under the
 * message with the quoted text marked in it. Selecting text inside a message offers to annotate it.
 */
export function AnnotatedConversation({ log, shown }: { log: ChatLog; shown: number }) {
  const trpc = useTRPC();
  const notes = useQuery(trpc.annotations.list.queryOptions({ chatlogId: log.id }));
  const messages = log.content.messages;
  const [selection, setSelection] = useState<MessageSelection | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    const onChange = () => setSelection(readMessageSelection(document.getSelection(), (i) => messages[i]?.content));
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [messages]);

  // Notes by message, each with where its quote sits in today's text.
  const { logNotes, byMessage } = useMemo(() => {
    const byMessage = new Map<number, { note: Annotation; at: { start: number; end: number } | null }[]>();
    const logNotes: Annotation[] = [];
    for (const note of notes.data ?? []) {
      if (note.messageIndex === null) {
        logNotes.push(note);
        continue;
      }
      const text = messages[note.messageIndex]?.content ?? '';
      const list = byMessage.get(note.messageIndex) ?? [];
      list.push({ note, at: note.quote || note.start !== null ? locateQuote(text, note) : null });
      byMessage.set(note.messageIndex, list);
    }
    return { logNotes, byMessage };
  }, [notes.data, messages]);

  const startDraft = (target: NoteTarget) => setDraft({ target, messageIndex: target.messageIndex, key: Date.now() });
  const finishDraft = (message: string | null) => {
    setDraft(null);
    if (message) setAnnouncement(message);
  };
  const annotateSelection = () => {
    if (!selection) return;
    const { messageIndex, start, end, quote } = selection;
    startDraft({ messageIndex, start, end, quote });
    document.getSelection()?.removeAllRanges();
  };

  return (
    <>
      <section className="panel notes-panel" aria-labelledby="notes-heading">
        <div className="section-heading">
          <h2 id="notes-heading">Notes</h2>
          <button type="button" className="button small" onClick={() => startDraft({})}>
            Add a note on this chat log
          </button>
        </div>
        <p className="muted notes-hint">Select text in a message to annotate it, or use a message’s “Add note”.</p>
        <div role="status" className="visually-hidden">
          {announcement}
        </div>
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
            {draft && draft.messageIndex === undefined ? <NewNoteForm key={draft.key} chatlogId={log.id} target={draft.target} onDone={finishDraft} /> : null}
            {logNotes.length ? (
              <ul className="note-list" aria-label="Notes on this chat log">
                {logNotes.map((note) => (
                  <NoteItem key={note.id} chatlogId={log.id} note={note} located onAnnounce={setAnnouncement} />
                ))}
              </ul>
            ) : !draft || draft.messageIndex !== undefined ? (
              <p className="muted">
                {notes.data.length ? `No notes on the whole log; ${plural(notes.data.length, 'note')} on its messages.` : 'No notes yet.'}
              </p>
            ) : null}
          </>
        )}
      </section>

      <section aria-label="Conversation">
        {messages.length ? (
          <ol className="conversation">
            {messages.slice(0, shown).map((message, index) => {
              const own = byMessage.get(index) ?? [];
              const marks: Mark[] = own.flatMap(({ note, at }) => (at ? [{ id: note.id, ...at }] : []));
              const drafting = draft?.messageIndex === index;
              return (
                <MessageView key={index} message={message} text={<AnnotatedText text={message.content} messageIndex={index} marks={marks} />}>
                  <div className="message-notes">
                    {own.length ? (
                      <ul className="note-list" aria-label={`Notes on message ${index + 1}`}>
                        {own.map(({ note, at }) => (
                          <NoteItem key={note.id} chatlogId={log.id} note={note} located={at !== null || !note.quote} onAnnounce={setAnnouncement} />
                        ))}
                      </ul>
                    ) : null}
                    {drafting ? <NewNoteForm key={draft.key} chatlogId={log.id} target={draft.target} onDone={finishDraft} /> : null}
                    {!drafting ? (
                      <button type="button" className="link-button" onClick={() => startDraft({ messageIndex: index })}>
                        Add note<span className="visually-hidden"> on message {index + 1}</span>
                      </button>
                    ) : null}
                  </div>
                </MessageView>
              );
            })}
          </ol>
        ) : (
          <p className="panel empty-state">This chat log has no messages.</p>
        )}
      </section>

      {/* Kept in the page (empty when unused) so the offer is announced when it appears. */}
      <div className="selection-bar" aria-live="polite" data-open={selection ? 'true' : 'false'}>
        {selection ? (
          <>
            <span className="selection-quote">
              “{selection.quote.length > 60 ? `${selection.quote.slice(0, 60)}…` : selection.quote}” in message {selection.messageIndex + 1}
            </span>
            {/* mousedown would clear the selection before the click lands. */}
            <button type="button" className="button primary small" onMouseDown={(e) => e.preventDefault()} onClick={annotateSelection}>
              Annotate selection
            </button>
          </>
        ) : null}
      </div>
    </>
  );
}
