import { useEffect, useRef, type ChangeEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';

/** Long enough to skip the words being typed, short enough that results follow the typing. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * Makes the sidebar's search field search as one types: a pause in typing puts the text in the
 * URL's `?q=` of /search, which the search page reads. On /search the URL is replaced (the filters
 * kept), so each keystroke is not a history entry; from elsewhere it is one step back.
 * The URL changed by other means (back, forward, a link) shows in the field unless one is typing there.
 */
export function useLiveSearchField(fieldId: string, query: string) {
  const navigate = useNavigate();
  const location = useLocation();
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const input = document.getElementById(fieldId);
    if (input instanceof HTMLInputElement && document.activeElement !== input && input.value !== query) input.value = query;
  }, [fieldId, query]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  return (event: ChangeEvent<HTMLInputElement>) => {
    const value = event.currentTarget.value;
    const onSearchPage = location.pathname === '/search';
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      if (!onSearchPage && !value.trim()) return;
      const params = new URLSearchParams(onSearchPage ? location.search : '');
      if (value.trim()) params.set('q', value);
      else params.delete('q');
      const search = params.toString();
      void navigate(`/search${search ? `?${search}` : ''}`, { replace: onSearchPage });
    }, SEARCH_DEBOUNCE_MS);
  };
}
