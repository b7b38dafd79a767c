import { Link } from 'react-router';
import { useDocumentTitle } from '../lib/use-document-title';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <section className="page">
      <div className="panel">
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. <Link to="/">Go to the library</Link>.
        </p>
      </div>
    </section>
  );
}
