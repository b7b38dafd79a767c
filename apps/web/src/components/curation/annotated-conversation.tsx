import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { MessageView } from '../message-view';
import { VirtualMessageList, type MessageListHandle, type MessageItemProps } from '../chat/virtual-message-list';
import { locateQuote, type Mark } from '../../lib/message-segments';
import { readMessageSelection, type MessageSelection } from '../../lib/selection-offsets';
import { useEscapeToClose } from '../../lib/use-escape-to-close';
import { ARRAY_PAGE, fetchAllPages } from '../../lib/array-pages';
import { useTRPC, useTRPCClient, type ChatLog, type Message } from '../../lib/trpc';
import { AnnotatedText } from './annotated-text';
import { NewNoteForm, NoteItem, type Annotation, type NoteTarget } from './annotations';
import { NotesPanel } from './notes-panel';

type Draft = { target: NoteTarget; messageIndex: number | undefined; key: number };
type Located = { note: Annotation; at: { start: number; end: number } | null };

const NO_MARKS: readonly Mark[] = [];

/**
 * A first guess at a message's height before it is rendered and measured: the virtualiser places
 * the rows it has not rendered yet by it, so a good guess keeps the scroll bar steady and a jump
 * to message 4,000 close to its place before the rows around it are measured.
 */
function estimateHeight(message: Message | undefined): number {
  if (!message) return 100;
  const text = message.content;
  let lines = 0;
  let fences = 0;
  for (const line of text.split('\n')) {
    lines += Math.max(1, Math.ceil(line.length / 85));
    if (line.trimStart().startsWith('```')) fences++;
  }
  return Math.min(6000, 84 + lines * 24 + fences * 30 + (message.parts?.length ?? 0) * 40);
}

/**
 * The conversation with its notes: the notes panel (notes on the whole log, an index of the noted
 * messages) beside it on a wide screen and above it on a narrower one, each message's notes under
 * the message with the quoted text marked in it. Selecting text inside a message offers to annotate it.
 * `target` is the message a search hit opened (`query` its words), or null.
 */
export function AnnotatedConversation({ log, target, query }: { log: ChatLog; target: number | null; query: string }) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  // Every note of the log, however many pages (a log holds up to 1,000): each is drawn into its message.
  // The key is tRPC's, so invalidating `annotations.list` for the log reaches this query.
  const notes = useQuery({
    queryKey: trpc.annotations.list.queryKey({ chatlogId: log.id }),
    queryFn: ({ signal }) =>
      fetchAllPages(
        (cursor) => trpcClient.annotations.list.query({ chatlogId: log.id, limit: ARRAY_PAGE, cursor }, { signal }),
        (last: Annotation) => ({ messageIndex: last.messageIndex, start: last.start, id: last.id }),
      ),
  });
  const messages = log.content.messages;
  const [selection, setSelection] = useState<MessageSelection | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const list = useRef<MessageListHandle>(null);

  useEffect(() => {
    const onChange = () => setSelection(readMessageSelection(document.getSelection(), (i) => messages[i]?.content));
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [messages]);

  // Notes by message, each with where its quote sits in today's text, and the marks they draw (one
  // array per message, kept while the notes are the same, so the rendered Markdown is reused).
  const { logNotes, byMessage, marksByMessage, messageNotes } = useMemo(() => {
    const byMessage = new Map<number, Located[]>();
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
    const marksByMessage = new Map<number, Mark[]>();
    for (const [index, own] of byMessage) marksByMessage.set(index, own.flatMap(({ note, at }) => (at ? [{ id: note.id, ...at }] : [])));
    const messageNotes = [...byMessage.entries()].sort(([a], [b]) => a - b);
    return { logNotes, byMessage, marksByMessage, messageNotes };
  }, [notes.data, messages]);

  const estimates = useMemo(() => messages.map(estimateHeight), [messages]);
  const estimateSize = useCallback((index: number) => estimates[index] ?? 100, [estimates]);

  const startDraft = (target: NoteTarget) => setDraft({ target, messageIndex: target.messageIndex, key: Date.now() });
  const finishDraft = (message: string | null) => {
    const at = draft?.messageIndex;
    setDraft(null);
    if (message) setAnnouncement(message);
    // The form (and the focus in it) is gone: the focus goes back to its message, not to the page's start.
    if (at !== undefined) list.current?.goTo(at);
  };
  const annotateSelection = () => {
    if (!selection) return;
    const { messageIndex, start, end, quote } = selection;
    startDraft({ messageIndex, start, end, quote });
    document.getSelection()?.removeAllRanges();
  };

  // Escape: the selection's offer first, then a note being written, as its Cancel does (the form
  // itself handles Escape pressed inside it; this is for the focus being elsewhere).
  useEscapeToClose(draft !== null, () => finishDraft(null));
  useEscapeToClose(selection !== null, () => document.getSelection()?.removeAllRanges());

  const renderItem = (index: number, item: MessageItemProps) => {
    const message = messages[index]!;
    const own = byMessage.get(index) ?? [];
    const drafting = draft?.messageIndex === index;
    return (
      <MessageView
        key={index}
        item={item}
        message={message}
        text={<AnnotatedText text={message.content} role={message.role} messageIndex={index} marks={marksByMessage.get(index) ?? NO_MARKS} />}
      >
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
  };

  return (
    <>
      <div className="chat-body">
        <NotesPanel
          chatlogId={log.id}
          notes={notes}
          logNotes={logNotes}
          messageNotes={messageNotes}
          form={draft && draft.messageIndex === undefined ? <NewNoteForm key={draft.key} chatlogId={log.id} target={draft.target} onDone={finishDraft} /> : null}
          onAddLogNote={() => startDraft({})}
          onGoTo={(index) => list.current?.goTo(index, { align: 'center' })}
          announcement={announcement}
          onAnnounce={setAnnouncement}
        />

        <section aria-labelledby="conversation-heading" className="conversation-section">
          <div className="conversation-heading">
            <h2 id="conversation-heading" className="visually-hidden">
              Conversation
            </h2>
            {messages.length ? (
              <p className="keyboard-hint">
                <kbd>j</kbd> <kbd>k</kbd> next, previous message · <kbd>Esc</kbd> closes panels · <kbd>/</kbd> search
              </p>
            ) : null}
          </div>
          {messages.length ? (
            <VirtualMessageList
              handleRef={list}
              count={messages.length}
              estimateSize={estimateSize}
              pinned={[draft?.messageIndex, selection?.messageIndex]}
              target={target}
              query={query}
              renderItem={renderItem}
            />
          ) : (
            <p className="panel empty-state">This chat log has no messages.</p>
          )}
        </section>
      </div>

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
