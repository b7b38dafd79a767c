import { useEffect, useId, useRef, type ReactNode } from 'react';
import { FormStatus } from '../form-status';

/**
 * A confirmation in a native modal `<dialog>`: the browser traps focus in it, closes it on Escape and
 * gives focus back to the control that opened it. Focus starts on Cancel, so Enter never confirms
 * by accident.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  tone?: 'danger' | 'primary';
  pending?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { open, title, children, confirmLabel, pendingLabel, tone = 'danger', pending, error, onConfirm, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={titleId} aria-describedby={bodyId} onClose={() => open && onClose()}>
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId} className="confirm-dialog-body">
        {children}
      </div>
      <FormStatus error={error} />
      <div className="actions confirm-dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={`button ${tone}`} onClick={onConfirm} disabled={pending}>
          {pending ? (pendingLabel ?? 'Working…') : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
