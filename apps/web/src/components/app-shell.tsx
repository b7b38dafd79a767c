import { Suspense, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { Link, NavLink, useLocation, useNavigate, useSearchParams } from 'react-router';
import { isTyping } from '../lib/keyboard';
import { useSignOut } from '../lib/session';
import { useLiveSearchField } from '../lib/use-live-search-field';
import { useLiveUpdates } from '../lib/use-live-updates';
import type { User } from '../lib/trpc';
import { PageLoading } from './page-loading';

const SECTIONS = [
  { to: '/', label: 'Library', end: true },
  { to: '/search', label: 'Search' },
  { to: '/tags', label: 'Tags' },
  { to: '/imports', label: 'Imports' },
  { to: '/stats', label: 'Stats' },
  { to: '/trash', label: 'Trash' },
  { to: '/settings', label: 'Settings' },
] as const;

/**
 * The signed-in layout: a sidebar with the search field, the sections and the account on wide
 * screens; on narrow ones a top bar whose menu button opens the same sidebar over the page.
 */
export function AppShell({ user, children }: { user: User; children: ReactNode }) {
  useLiveUpdates();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [menuOpen, setMenuOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const query = location.pathname === '/search' ? (params.get('q') ?? '') : '';
  const onSearchInput = useLiveSearchField('app-search', query);

  // A link followed from the open menu closes it.
  const [menuPath, setMenuPath] = useState(location.pathname);
  if (menuPath !== location.pathname) {
    setMenuPath(location.pathname);
    setMenuOpen(false);
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        // On a narrow screen the field is in the closed menu: open it first, so the field can take focus.
        if (searchRef.current?.offsetParent === null) flushSync(() => setMenuOpen(true));
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (event.key === 'Escape' && menuOpen) {
        // Handled: the same Escape does not also dismiss a notification.
        event.preventDefault();
        setMenuOpen(false);
        menuButtonRef.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    void navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
  };

  const name = user.displayName || user.username;
  return (
    <div className="app-layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="sidebar" data-open={menuOpen}>
        <div className="sidebar-top">
          <Link className="brand" to="/">
            ChatSynth
          </Link>
          <button
            ref={menuButtonRef}
            type="button"
            className="button small menu-button"
            aria-expanded={menuOpen}
            aria-controls="sidebar-panel"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </button>
        </div>
        <div className="sidebar-panel" id="sidebar-panel">
          <form role="search" className="sidebar-search" onSubmit={search}>
            <label htmlFor="app-search" className="visually-hidden">
              Search chat logs
            </label>
            <input
              ref={searchRef}
              id="app-search"
              onChange={onSearchInput}
              name="q"
              type="search"
              defaultValue={query}
              placeholder="Search…"
              aria-keyshortcuts="/"
              autoComplete="off"
            />
            <kbd aria-hidden="true">/</kbd>
          </form>
          <nav aria-label="Main" className="sidebar-nav">
            <NavLink className="button primary new-chat-link" to="/chats/new">
              New chat
            </NavLink>
            <ul>
              {SECTIONS.map((section) => (
                <li key={section.to}>
                  <NavLink to={section.to} end={'end' in section ? section.end : false}>
                    {section.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <span className="account-name" title={user.email}>
              <span className="visually-hidden">Signed in as </span>
              {name}
            </span>
            <button type="button" className="button small" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
              {signOut.isPending ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </div>
      </header>
      {menuOpen ? <div className="sidebar-backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} /> : null}
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>{children}</Suspense>
      </main>
    </div>
  );
}
