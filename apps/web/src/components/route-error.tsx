import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { describeError } from '../lib/errors';
import { useDocumentTitle } from '../lib/use-document-title';

/** A page that failed to load or render (for instance a chunk gone after a deploy). */
export function RouteError() {
  const error = useRouteError();
  useDocumentTitle('Something went wrong');
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : null;
  return (
    <main id="main" className="public-main">
      <div className="card" role="alert">
        <h1>Something went wrong</h1>
        <p>This page could not be shown{detail ? ` (${detail})` : ''}. Loading it again usually helps.</p>
        <p className="actions">
          {/* A whole reload: the page's code itself may be what failed to arrive. */}
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Try again
          </button>
          <Link className="button" to="/">
            Go to the library
          </Link>
        </p>
      </div>
    </main>
  );
}

/**
 * What a page, or a part of one, shows when its data did not load: what failed, the server's reason,
 * and Try again. `compact` is for a part inside a page (a panel, a list's next page).
 */
export function LoadError(props: { what: string; error: unknown; onRetry: () => void; retrying?: boolean; compact?: boolean }) {
  const { what, error, onRetry, retrying, compact } = props;
  return (
    <div className={compact ? 'error-panel load-error compact' : 'panel error-panel load-error'} role="alert">
      <p>
        Could not load {what}. {describeError(error).message}
      </p>
      <button type="button" className={compact ? 'button small' : 'button'} onClick={onRetry} disabled={retrying}>
        {retrying ? 'Trying again…' : 'Try again'}
      </button>
    </div>
  );
}
