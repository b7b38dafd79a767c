import { Suspense, type ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import { useSignOut } from '../lib/session';
import type { User } from '../lib/trpc';
import { PageLoading } from './page-loading';

export function AppShell({ user, children }: { user: User; children: ReactNode }) {
  const signOut = useSignOut();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link className="brand" to="/">
            ChatSynth
          </Link>
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end>
              Library
            </NavLink>
            <NavLink to="/chats/new">New chat</NavLink>
          </nav>
          <div className="account">
            <span className="account-name" title={user.email}>
              <span className="visually-hidden">Signed in as </span>
              {user.displayName || user.username}
            </span>
            <button
              type="button"
              className="button small"
              onClick={() => signOut.mutate()}
              disabled={signOut.isPending}
            >
              {signOut.isPending ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="app-main">
        <Suspense fallback={<PageLoading />}>{children}</Suspense>
      </main>
    </>
  );
}
