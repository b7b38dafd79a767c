import { MessageText } from '../message-text';
import type { RouterOutputs } from '../../lib/trpc';

type Diff = RouterOutputs['versions']['diff'];
type Change = Diff['messages'][number];
type DiffMessage = NonNullable<Extract<Change, { op: 'changed' }>['before']>;

const OP_LABELS: Record<Change['op'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

function Side({ label, message, kind }: { label: string; message: DiffMessage; kind: 'before' | 'after' }) {
  return (
    <div className={`diff-side diff-${kind}`}>
      <p className="diff-side-label">
        {label} · <span className="diff-role">{message.role}</span>
      </p>
      <MessageText text={message.content} role={message.role} />
    </div>
  );
}

/** Two versions side by side, message by message: what was added, removed or changed, and the title. */
export function VersionDiff({ diff, from, to }: { diff: Diff; from: number; to: number }) {
  const nothing = !diff.title.changed && !diff.summary.changed && !diff.messages.length;
  if (nothing) return <p className="muted">Versions {from} and {to} have the same title, summary and messages.</p>;
  return (
    <div className="version-diff">
      <p className="diff-count">
        {diff.messages.length
          ? `${diff.messages.length} message ${diff.messages.length === 1 ? 'change' : 'changes'} from version ${from} to version ${to}.`
          : `No message changes from version ${from} to version ${to}.`}
      </p>
      {diff.title.changed ? (
        <div className="diff-field">
          <h4>Title</h4>
          <p>
            <del className="diff-text-before">
              <span className="visually-hidden">Before: </span>
              {diff.title.before}
            </del>{' '}
            <span aria-hidden="true">→</span>{' '}
            <ins className="diff-text-after">
              <span className="visually-hidden">After: </span>
              {diff.title.after}
            </ins>
          </p>
        </div>
      ) : null}
      {diff.summary.changed ? (
        <div className="diff-field">
          <h4>Summary</h4>
          <p>
            <del className="diff-text-before">
              <span className="visually-hidden">Before: </span>
              {diff.summary.before ?? '(none)'}
            </del>{' '}
            <span aria-hidden="true">→</span>{' '}
            <ins className="diff-text-after">
              <span className="visually-hidden">After: </span>
              {diff.summary.after ?? '(none)'}
            </ins>
          </p>
        </div>
      ) : null}
      {diff.messages.length ? (
        <ol className="diff-messages">
          {diff.messages.map((change, i) => (
            <li key={`${change.op}-${change.index}-${i}`} className={`diff-change diff-${change.op}`}>
              <h4>
                <span className={`diff-op diff-op-${change.op}`}>{OP_LABELS[change.op]}</span> message {change.index + 1}
                <span className="muted"> {change.op === 'removed' ? `(of version ${from})` : `(of version ${to})`}</span>
              </h4>
              <div className="diff-sides">
                {'before' in change && change.before ? <Side label={`Version ${from}`} message={change.before} kind="before" /> : null}
                {'after' in change && change.after ? <Side label={`Version ${to}`} message={change.after} kind="after" /> : null}
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
