import { useEffect } from 'react';

/** Each page names itself in the tab and to screen readers after a route change. */
export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · ChatSynth` : 'ChatSynth';
  }, [title]);
}
