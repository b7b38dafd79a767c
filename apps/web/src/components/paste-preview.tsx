import type { PasteFormat, PasteParseResult } from '../lib/paste-parser';
import { plural } from '../lib/format';
import { MessageView } from './message-view';

const PREVIEW_LIMIT = 50;

const FORMAT_NAMES: Record<PasteFormat, string> = {
  empty: '',
  json: 'read as JSON',
  headings: 'split at the speaker headings',
  labels: 'split at the speaker labels',
  plain: 'no speakers found',
};

/** What will be saved, before saving it. */
export function PastePreview({ result, stale }: { result: PasteParseResult; stale: boolean }) {
  const shown = result.messages.slice(0, PREVIEW_LIMIT);
  return (
    <section className="preview" aria-labelledby="preview-heading" aria-busy={stale}>
      <h2 id="preview-heading">Preview</h2>
      <p className="muted" aria-live="polite">
        {result.format === 'empty'
          ? 'The messages you paste appear here, as they will be saved.'
          : `${plural(result.messages.length, 'message')}, ${FORMAT_NAMES[result.format]}.`}
      </p>
      {result.notes.length ? (
        <ul className="preview-notes">
          {result.notes.map((note, index) => (
            <li key={index}>{note}</li>
          ))}
        </ul>
      ) : null}
      {shown.length ? (
        <ol className="conversation compact">
          {shown.map((message, index) => (
            <MessageView key={index} message={message} />
          ))}
        </ol>
      ) : null}
      {result.messages.length > shown.length ? (
        <p className="muted">…and {plural(result.messages.length - shown.length, 'more message')}.</p>
      ) : null}
    </section>
  );
}
