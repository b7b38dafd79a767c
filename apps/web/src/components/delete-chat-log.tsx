import { useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useChatLogActions } from '../lib/chat-log-actions';
import type { ChatLog } from '../lib/trpc';

/**
 * "Delete" moves the log to the trash, after the person confirms it. The library opens at once without
 * the log; a notification there says so and offers Undo, or says why the server refused and puts it back.
 */
export function DeleteChatLog({ log }: { log: ChatLog }) {
  const actions = useChatLogActions();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const deleteRef = useRef<HTMLButtonElement>(null);

  const cancel = () => {
    setConfirming(false);
    // The confirmation replaced the button that opened it; focus goes back to it.
    requestAnimationFrame(() => deleteRef.current?.focus());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    }
  };
  const confirm = () => {
    void actions.trash({ id: log.id, title: log.title });
    void navigate('/');
  };

  if (!confirming) {
    return (
      <button ref={deleteRef} type="button" className="button small danger-outline" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-labelledby="confirm-delete-text" onKeyDown={onKeyDown}>
      <p id="confirm-delete-text">Move this chat log to the trash? You can restore it from the trash later.</p>
      <div className="actions">
        <button type="button" className="button danger" onClick={confirm} autoFocus>
          Move to trash
        </button>
        <button type="button" className="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
