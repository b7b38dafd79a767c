import type { Mark } from '../../lib/message-segments';
import type { Message } from '../../lib/trpc';
import { MessageContent } from '../chat/message-content';

/**
 * A message's text as MessageText shows it (Markdown, or as typed), every piece carrying its offset
 * in the raw `content`, so a selection maps back to offsets the server understands; annotated spans
 * are `<mark>`s. All of it is React text: HTML in a log never runs.
 */
export function AnnotatedText({ text, role, messageIndex, marks }: { text: string; role: Message['role']; messageIndex: number; marks: readonly Mark[] }) {
  return (
    <div className="annotatable" data-message-index={messageIndex}>
      <MessageContent text={text} role={role} marks={marks} />
    </div>
  );
}
