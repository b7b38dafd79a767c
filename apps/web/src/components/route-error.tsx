import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { useDocumentTitle } from '../lib/use-document-title';

/** A page that failed to load or render (for instance a chunk gone after a deploy). */
export function RouteError() {
  const error = useRouteError();
  useDocumentTitle('Something went wrong');
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : null;
  return (
    <main id="main" className="public-main">
      <div className="card">
        <h1>Something went wrong</h1>
        <p>This page could not be shown{detail ? ` (${detail})` : ''}. Reloading usually helps.</p>
        <p className="actions">
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Reload
          </button>
          <Link className="button" to="/">
            Go to the library
          </Link>
        </p>
      </div>
    </main>
  );
}
