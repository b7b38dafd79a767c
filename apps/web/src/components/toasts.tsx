import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type FocusEvent, type ReactNode } from 'react';

export type ToastTone = 'success' | 'error' | 'info';

export type ToastAction = { label: string; onClick: () => void };

export type ToastInput = {
  message: string;
  tone?: ToastTone;
  /** At most two, "Undo" first: more would not fit a glance. */
  actions?: ToastAction[];
  /** Milliseconds before it goes by itself; the time stops while the pointer or focus is on the notifications. */
  duration?: number;
};

type Toast = ToastInput & { id: number };

export type Toasts = {
  show: (toast: ToastInput) => number;
  dismiss: (id: number) => void;
};

/** Long enough to read a sentence and reach for Undo; errors stay longer because they ask for a decision. */
const DURATION = 7_000;
const ERROR_DURATION = 10_000;
/** After the pointer or focus leaves, time enough to read what is still there. */
const MIN_REMAINING = 2_000;
const MAX_TOASTS = 4;

const ToastContext = createContext<Toasts | null>(null);

let nextId = 1;

export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts needs a <ToastProvider> above it.');
  return toasts;
}

/**
 * Holds the notifications and shows them in one polite live region at the corner of the window, above
 * the pages, so a notification outlives the page that raised it (a log moved to the trash from its own
 * page is announced on the library). Escape dismisses the newest one, or the one holding the focus;
 * F8 moves the focus to the newest, so its Undo is one key away for keyboard users.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const viewportRef = useRef<HTMLElement>(null);
  const returnFocusRef = useRef<HTMLElement | null>(null);

  const dismiss = useCallback((id: number) => {
    const viewport = viewportRef.current;
    const leaving = viewport?.querySelector<HTMLElement>(`[data-toast-id="${id}"]`);
    // Focus must not fall to the body with the toast that held it: it goes to the next toast, or back
    // to where it was before it entered the notifications.
    if (leaving && leaving.contains(document.activeElement)) {
      const next = [...(viewport?.querySelectorAll<HTMLElement>('[data-toast-id]') ?? [])].reverse().find((t) => t !== leaving);
      const target = next?.querySelector<HTMLElement>('button') ?? (returnFocusRef.current?.isConnected ? returnFocusRef.current : document.getElementById('main'));
      target?.focus();
    }
    setToasts((list) => list.filter((toast) => toast.id !== id));
  }, []);

  const show = useCallback((input: ToastInput) => {
    const id = nextId++;
    // The same sentence twice (Undo pressed twice, a retried failure) is one notification, the newest.
    setToasts((list) => [...list.filter((toast) => toast.message !== input.message), { ...input, id }].slice(-MAX_TOASTS));
    return id;
  }, []);

  const api = useMemo(() => ({ show, dismiss }), [show, dismiss]);

  const toastsRef = useRef(toasts);
  useEffect(() => {
    toastsRef.current = toasts;
  }, [toasts]);

  useEffect(() => {
    // On window, so it runs after every handler on the document and the elements: a panel, menu or
    // list that closes on Escape marks the event handled, and the notification stays.
    const onKey = (event: KeyboardEvent) => {
      const list = toastsRef.current;
      if (!list.length || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (event.key === 'F8') {
        event.preventDefault();
        const newest = viewportRef.current?.querySelector<HTMLElement>('[data-toast-id]:last-child button');
        newest?.focus();
        return;
      }
      if (event.key !== 'Escape') return;
      // A modal dialog closes itself on Escape; an Escape in a search field clears it.
      if (document.querySelector('dialog[open]')) return;
      if (target instanceof HTMLInputElement && target.type === 'search' && target.value) return;
      const holder = target?.closest<HTMLElement>('[data-toast-id]');
      event.preventDefault();
      dismiss(holder ? Number(holder.dataset.toastId) : list[list.length - 1]!.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dismiss]);

  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const onFocus = (event: FocusEvent<HTMLElement>) => {
    const from = event.relatedTarget;
    if (from instanceof HTMLElement && !event.currentTarget.contains(from)) returnFocusRef.current = from;
    setFocused(true);
  };
  const onBlur = (event: FocusEvent<HTMLElement>) => {
    if (!(event.relatedTarget instanceof Node) || !event.currentTarget.contains(event.relatedTarget)) setFocused(false);
  };

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section
        ref={viewportRef}
        className="toasts"
        aria-label="Notifications (F8)"
        onMouseEnter={() => setHovered(true)}
        onMouseLeave={() => setHovered(false)}
        onFocus={onFocus}
        onBlur={onBlur}
      >
        {/* Always in the page, so that what appears in it is announced. */}
        <div className="toast-list" role="status" aria-live="polite">
          {toasts.map((toast) => (
            <ToastItem key={toast.id} toast={toast} paused={hovered || focused} onDismiss={dismiss} />
          ))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, paused, onDismiss }: { toast: Toast; paused: boolean; onDismiss: (id: number) => void }) {
  const tone = toast.tone ?? 'info';
  const remaining = useRef(toast.duration ?? (tone === 'error' ? ERROR_DURATION : DURATION));

  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = window.setTimeout(() => onDismiss(toast.id), remaining.current);
    return () => {
      window.clearTimeout(timer);
      remaining.current = Math.max(MIN_REMAINING, remaining.current - (Date.now() - started));
    };
  }, [paused, onDismiss, toast.id]);

  return (
    <div className="toast" data-toast-id={toast.id} data-tone={tone}>
      <p className="toast-message">{toast.message}</p>
      {toast.actions?.length ? (
        <div className="toast-actions">
          {toast.actions.map((action) => (
            <button
              key={action.label}
              type="button"
              className="button small toast-action"
              onClick={() => {
                onDismiss(toast.id);
                action.onClick();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      ) : null}
      <button type="button" className="toast-close" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
