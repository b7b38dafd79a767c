import { Navigate, Outlet, useLocation } from 'react-router';
import { describeError } from '../lib/errors';
import { useCurrentUser, useSessionExpiryWatch } from '../lib/session';
import { AppShell } from './app-shell';
import { PageLoading } from './page-loading';

/** The signed-in part of the app; anyone else goes to sign in and comes back here afterwards. */
export function RequireAuth() {
  const me = useCurrentUser();
  const location = useLocation();
  useSessionExpiryWatch();

  if (me.isPending) return <PageLoading />;
  if (me.isError) {
    return (
      <main id="main" className="public-main">
        <div className="card" role="alert">
          <h1>ChatSynth is not answering</h1>
          <p>{describeError(me.error).message}</p>
          <button type="button" className="button primary" onClick={() => void me.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (!me.data) {
    const here = `${location.pathname}${location.search}`;
    const to = here === '/' ? '/signin' : `/signin?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  return (
    <AppShell user={me.data}>
      <Outlet />
    </AppShell>
  );
}
