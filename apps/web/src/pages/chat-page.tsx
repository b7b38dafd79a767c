import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { AnnotatedConversation } from '../components/curation/annotated-conversation';
import { ExportButtons } from '../components/curation/export-buttons';
import { TagEditor } from '../components/curation/tag-editor';
import { VersionsPanel } from '../components/curation/versions-panel';
import { DeleteChatLog } from '../components/delete-chat-log';
import { PageLoading } from '../components/page-loading';
import { TitleEditor } from '../components/title-editor';
import { describeError } from '../lib/errors';
import { formatDateTime, plural } from '../lib/format';
import { useTRPC, type ChatLog } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';
import { useEscapeToClose } from '../lib/use-escape-to-close';

export function ChatPage() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const chat = useQuery(trpc.chatlogs.get.queryOptions({ id }));
  useDocumentTitle(chat.data?.title ?? 'Chat');

  if (chat.isPending) return <PageLoading label="Loading the conversation…" />;
  if (chat.isError) {
    const { code, message } = describeError(chat.error);
    const missing = code === 'NOT_FOUND' || code === 'BAD_REQUEST';
    return (
      <section className="page">
        <p>
          <Link to="/" className="back-link">
            ← Library
          </Link>
        </p>
        <div className="panel error-panel" role="alert">
          <h1>{missing ? 'Chat log not found' : 'Could not load this chat log'}</h1>
          <p>{missing ? 'It does not exist, is not yours, or was moved to the trash.' : message}</p>
          {missing ? null : (
            <button type="button" className="button" onClick={() => void chat.refetch()}>
              Try again
            </button>
          )}
        </div>
      </section>
    );
  }
  // Keyed by id: moving to another log starts again at its top, with no panel or note draft open.
  return <ChatLogView key={chat.data.id} log={chat.data} />;
}

function ChatLogView({ log }: { log: ChatLog }) {
  // Opened from a search hit: ?m=<message index>&q=<query>. The conversation scrolls to the message.
  const [searchParams] = useSearchParams();
  const target = /^\d+$/.test(searchParams.get('m') ?? '') ? Number(searchParams.get('m')) : null;
  const [historyOpen, setHistoryOpen] = useState(false);
  const historyButton = useRef<HTMLButtonElement>(null);
  useEscapeToClose(historyOpen, () => {
    setHistoryOpen(false);
    historyButton.current?.focus();
  });
  const messages = log.content.messages;
  return (
    <article className="page chat" aria-labelledby="chat-title">
      <p className="chat-back">
        <Link to="/" className="back-link">
          ← Library
        </Link>
      </p>
      <header className="chat-header">
        <TitleEditor log={log} />
        <dl className="chat-meta">
          <div>
            <dt>Source</dt>
            <dd>{log.source}</dd>
          </div>
          <div>
            <dt>Messages</dt>
            <dd>{messages.length.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>{log.version}</dd>
          </div>
          {log.startedAt ? (
            <div>
              <dt>Started</dt>
              <dd>
                <time dateTime={log.startedAt.toISOString()}>{formatDateTime(log.startedAt)}</time>
              </dd>
            </div>
          ) : null}
          <div>
            <dt>Added</dt>
            <dd>
              <time dateTime={log.createdAt.toISOString()}>{formatDateTime(log.createdAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>
              <time dateTime={log.updatedAt.toISOString()}>{formatDateTime(log.updatedAt)}</time>
            </dd>
          </div>
        </dl>
        <div className="chat-tags">
          <TagEditor log={log} />
        </div>
        {log.summary ? <p className="chat-summary">{log.summary}</p> : null}
        <div className="chat-actions">
          <ExportButtons log={log} />
          <DeleteChatLog log={log} />
        </div>
      </header>

      <section className="panel history-panel" aria-labelledby="history-heading">
        <h2 id="history-heading" className="history-heading">
          <button ref={historyButton} type="button" className="disclosure" aria-expanded={historyOpen} aria-controls="history-body" onClick={() => setHistoryOpen((o) => !o)}>
            <span className="disclosure-arrow" aria-hidden="true">
              ▸
            </span>
            Versions <span className="muted">({plural(log.version, 'version')})</span>
          </button>
        </h2>
        <div id="history-body" hidden={!historyOpen}>
          {historyOpen ? <VersionsPanel log={log} /> : null}
        </div>
      </section>

      <AnnotatedConversation log={log} target={target} query={searchParams.get('q') ?? ''} />
    </article>
  );
}
