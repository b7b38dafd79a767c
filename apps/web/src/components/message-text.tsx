import type { Message } from '../lib/trpc';
import { MessageContent } from './chat/message-content';

/**
 * A message's text, as the chat page shows it: Markdown for the assistant, as typed for the
 * person, fenced code highlighted. Everything is React text, so HTML in a log is shown, never run.
 */
export function MessageText({ text, role = 'assistant' }: { text: string; role?: Message['role'] }) {
  return <MessageContent text={text} role={role} />;
}
