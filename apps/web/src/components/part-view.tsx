import type { Part } from '../lib/trpc';
import { CodeBlock } from './chat/code-block';

const PART_NAMES: Record<Part['type'], string> = {
  code: 'Code',
  thinking: 'Thinking',
  tool_call: 'Tool call',
  tool_result: 'Tool result',
  image: 'Image',
  attachment: 'Attachment',
  citation: 'Citation',
};

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** Only web addresses become links: a `javascript:` or `data:` URL from a log stays text. */
function safeHttpUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A tool call's input or output: a string as it is, anything else as JSON (highlighted as such). */
function payload(value: unknown): { code: string; language: string | null } {
  if (typeof value === 'string') return { code: value, language: null };
  try {
    return { code: JSON.stringify(value, null, 2) ?? String(value), language: 'json' };
  } catch {
    return { code: String(value), language: null };
  }
}

function partLabel(part: Part): string {
  const detail = part.type === 'code' ? part.language : (part.name ?? part.title);
  const extras = [part.mimeType, part.size !== undefined ? formatBytes(part.size) : null].filter(Boolean);
  const name = [PART_NAMES[part.type] ?? part.type, detail].filter(Boolean).join(' · ');
  return extras.length ? `${name} (${extras.join(', ')})` : name;
}

/** A part of a message (code, thinking, a tool call, a file…): a labelled block, folded until opened. */
export function PartView({ part }: { part: Part }) {
  const label = partLabel(part);
  const url = safeHttpUrl(part.url);
  const hasBody = Boolean(part.text) || part.input !== undefined || part.output !== undefined || Boolean(part.url);
  if (!hasBody) {
    return <span className={`part-chip part-${part.type}`}>{label}</span>;
  }
  return (
    <details className={`part part-${part.type}`}>
      <summary>{label}</summary>
      <div className="part-body">
        {part.text ? (
          part.type === 'code' ? (
            <CodeBlock code={part.text} language={part.language ?? null} />
          ) : (
            <p className="message-text">{part.text}</p>
          )
        ) : null}
        {part.input !== undefined ? (
          <>
            <p className="part-caption">Input</p>
            <CodeBlock {...payload(part.input)} />
          </>
        ) : null}
        {part.output !== undefined ? (
          <>
            <p className="part-caption">Output</p>
            <CodeBlock {...payload(part.output)} />
          </>
        ) : null}
        {part.url ? (
          <p className="part-url">
            {url ? (
              <a href={url} target="_blank" rel="noopener noreferrer nofollow">
                {url}
              </a>
            ) : (
              <span>{part.url}</span>
            )}
          </p>
        ) : null}
      </div>
    </details>
  );
}
