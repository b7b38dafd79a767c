import { Link } from 'react-router';
import { formatDateTime, plural } from '../lib/format';
import type { ChatLogSummary } from '../lib/trpc';
import { TagFilterChips } from './tag-chips';

export type DateField = 'updatedAt' | 'createdAt' | 'startedAt';

const DATE_LABELS: Record<DateField, string> = { updatedAt: 'Updated', createdAt: 'Created', startedAt: 'Started' };

export function ChatLogRow(props: {
  log: ChatLogSummary;
  dateField: DateField;
  activeTag: string | null;
  onTag: (tag: string) => void;
  onSource: (source: string) => void;
  /** Moves the log to the trash: no confirmation, the notification that follows has Undo. */
  onTrash?: (button: HTMLButtonElement) => void;
}) {
  const { log, dateField, activeTag, onTag, onSource, onTrash } = props;
  // Logs without message times sort by when they were stored, so they show that date.
  const date = dateField === 'startedAt' ? (log.startedAt ?? log.createdAt) : log[dateField];
  return (
    <li className="chat-row">
      <div className="chat-row-main">
        <h2 className="chat-row-title">
          <Link to={`/chats/${log.id}`}>{log.title}</Link>
        </h2>
        <p className="chat-row-meta">
          <button type="button" className="source-badge" onClick={() => onSource(log.source)}>
            <span className="visually-hidden">Filter by source </span>
            {log.source}
          </button>
          <span>{plural(log.messageCount, 'message')}</span>
          <span>
            {DATE_LABELS[dateField]} <time dateTime={date.toISOString()}>{formatDateTime(date)}</time>
          </span>
        </p>
      </div>
      <TagFilterChips tags={log.tags} active={activeTag} onSelect={onTag} />
      {onTrash ? (
        <button type="button" className="button small chat-row-trash" onClick={(event) => onTrash(event.currentTarget)}>
          Move to trash<span className="visually-hidden"> “{log.title}”</span>
        </button>
      ) : null}
    </li>
  );
}
