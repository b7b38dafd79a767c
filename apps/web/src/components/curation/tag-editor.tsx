import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { useIsMutating, useQuery } from '@tanstack/react-query';
import { normaliseTagName, TAG_LIMITS } from '@chatsynth/importers/canonical';
import { useChatLogActions } from '../../lib/chat-log-actions';
import { useTRPC, type ChatLog } from '../../lib/trpc';

const MAX_SUGGESTIONS = 8;

/**
 * The log's tags as chips (each a link to the library filtered by it, with a remove button) and a
 * combobox that suggests the person's other tags as they type. Every change shows at once and saves in
 * the background; a removal can be undone from its notification, a failure puts the tags back.
 */
export function TagEditor({ log }: { log: ChatLog }) {
  const trpc = useTRPC();
  const actions = useChatLogActions();
  const inputId = useId();
  const listId = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState('');
  const editorRef = useRef<HTMLDivElement>(null);
  const known = useQuery(trpc.tags.list.queryOptions());

  const typed = normaliseTagName(text);
  const suggestions = (known.data ?? [])
    .filter((tag) => !log.tags.includes(tag.name) && (!typed || tag.name.includes(typed)))
    .sort((a, b) => Number(b.name.startsWith(typed)) - Number(a.name.startsWith(typed)) || b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS);
  const showList = open && suggestions.length > 0;

  const saving =
    useIsMutating({ mutationKey: trpc.chatlogs.setTags.mutationKey(), predicate: (m) => (m.state.variables as { id?: string } | undefined)?.id === log.id }) > 0;

  const add = (name: string) => {
    const tag = normaliseTagName(name);
    setText('');
    setActive(-1);
    setOpen(false);
    if (!tag) return;
    if (log.tags.includes(tag)) {
      setAnnouncement(`The log already has the tag ${tag}.`);
      return;
    }
    setAnnouncement('');
    void actions.setTags(log, [...log.tags, tag], { added: tag }).then((saved) => {
      if (saved) setAnnouncement(`Added the tag ${tag}.`);
    });
  };
  // Its notification says so, with Undo.
  const remove = (tag: string) => {
    setAnnouncement('');
    const at = log.tags.indexOf(tag);
    void actions.setTags(log, log.tags.filter((t) => t !== tag), { removed: tag });
    // The pressed button goes with its chip; focus moves to the next chip's rather than falling to the page.
    requestAnimationFrame(() => {
      const buttons = editorRef.current?.querySelectorAll<HTMLElement>('.tag-remove');
      (buttons?.[Math.min(at, buttons.length - 1)] ?? document.getElementById(inputId))?.focus();
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      if (!suggestions.length) return;
      const last = suggestions.length - 1;
      if (event.key === 'ArrowDown') setActive((i) => (i >= last ? 0 : i + 1));
      else setActive((i) => (i <= 0 ? last : i - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = showList && active >= 0 ? suggestions[active] : undefined;
      add(chosen ? chosen.name : text);
    } else if (event.key === 'Escape' && showList) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  const activeId = showList && active >= 0 && active < suggestions.length ? `${listId}-${active}` : undefined;

  return (
    <div className="tag-editor" ref={editorRef}>
      <span className="chat-tags-label" id={`${inputId}-label`}>
        Tags
      </span>
      {log.tags.length ? (
        <ul className="tag-list tag-editor-chips" aria-label="Tags">
          {log.tags.map((tag) => (
            <li key={tag} className="tag-editor-chip">
              <Link className="tag-chip" to={`/?tag=${encodeURIComponent(tag)}`}>
                <span className="visually-hidden">Library filtered by tag </span>
                {tag}
              </Link>
              <button type="button" className="tag-remove" onClick={() => remove(tag)} aria-label={`Remove tag ${tag}`}>
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <span className="muted">No tags</span>
      )}
      {log.tags.length < TAG_LIMITS.tags ? (
        <div className="tag-combobox">
          <label htmlFor={inputId} className="visually-hidden">
            Add a tag
          </label>
          <input
            id={inputId}
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={showList}
            aria-controls={listId}
            aria-activedescendant={activeId}
            autoComplete="off"
            placeholder="Add a tag…"
            maxLength={TAG_LIMITS.tag}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setOpen(true);
              setActive(-1);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setOpen(false)}
            onKeyDown={onKeyDown}
          />
          <ul id={listId} role="listbox" aria-label="Suggested tags" className="tag-suggestions" hidden={!showList}>
            {suggestions.map((tag, i) => (
              <li
                key={tag.name}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                // Before the input's blur closes the list.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => add(tag.name)}
              >
                <span>{tag.name}</span>
                <span className="muted"> · {tag.count}</span>
              </li>
            ))}
          </ul>
          <button type="button" className="button small" onClick={() => add(text)} disabled={!typed}>
            Add tag
          </button>
        </div>
      ) : (
        <span className="muted">At most {TAG_LIMITS.tags} tags.</span>
      )}
      <span role="status" className="visually-hidden">
        {saving ? 'Saving tags…' : announcement}
      </span>
    </div>
  );
}
