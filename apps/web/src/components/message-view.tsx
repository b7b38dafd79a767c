import type { ComponentProps, ReactNode } from 'react';
import { formatDateTime } from '../lib/format';
import type { Message } from '../lib/trpc';
import { MessageText } from './message-text';
import { PartView } from './part-view';

const ROLE_NAMES: Record<Message['role'], string> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

type MessageLike = Pick<Message, 'role' | 'content'> & Partial<Pick<Message, 'name' | 'model' | 'createdAt' | 'parts'>>;

/**
 * One message of a conversation: the user's on one side, the assistant's on the other. The chat page
 * passes its own rendering of the text (with annotations marked), what goes under the message, and
 * the list item's attributes its virtualised list needs (`item`).
 */
export function MessageView({ message, text, children, item }: { message: MessageLike; text?: ReactNode; children?: ReactNode; item?: ComponentProps<'li'> }) {
  const when = formatDateTime(message.createdAt);
  // The platforms show the model's thinking above its answer, and tool calls, results and files below.
  const parts = (message.parts ?? []).map((part, index) => ({ part, index }));
  const thinking = parts.filter(({ part }) => part.type === 'thinking');
  const rest = parts.filter(({ part }) => part.type !== 'thinking');
  return (
    <li {...item} className={`message message-${message.role}`}>
      <div className="message-head">
        <span className="message-role">
          {ROLE_NAMES[message.role]}
          {message.name ? ` · ${message.name}` : ''}
        </span>
        {message.model ? <span className="message-model">{message.model}</span> : null}
        {when && message.createdAt ? <time dateTime={message.createdAt}>{when}</time> : null}
      </div>
      <div className="message-body">
        {thinking.length ? <Parts parts={thinking} /> : null}
        {message.content.trim() || !message.parts?.length ? (text ?? <MessageText text={message.content} role={message.role} />) : null}
        {rest.length ? <Parts parts={rest} /> : null}
      </div>
      {children}
    </li>
  );
}

function Parts({ parts }: { parts: Array<{ part: NonNullable<Message['parts']>[number]; index: number }> }) {
  return (
    <div className="message-parts">
      {parts.map(({ part, index }) => (
        <PartView key={index} part={part} />
      ))}
    </div>
  );
}
