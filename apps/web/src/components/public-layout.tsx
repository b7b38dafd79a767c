import { Navigate, Outlet, useSearchParams } from 'react-router';
import { safeNextPath } from '../lib/next-path';
import { useCurrentUser } from '../lib/session';
import { PageLoading } from './page-loading';

/** Sign-in and sign-up: someone already signed in goes on to where they were headed. */
export function PublicLayout() {
  const me = useCurrentUser();
  const [params] = useSearchParams();
  if (me.data) return <Navigate to={safeNextPath(params.get('next'))} replace />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <span className="brand">ChatSynth</span>
        </div>
      </header>
      <main id="main" className="public-main">
        {me.isPending ? <PageLoading /> : <Outlet />}
      </main>
    </>
  );
}
