import { Link } from 'react-router';

/** Tags as buttons that filter the library by the tag. */
export function TagFilterChips({ tags, active, onSelect }: { tags: string[]; active?: string | null; onSelect: (tag: string) => void }) {
  if (!tags.length) return null;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <button type="button" className="tag-chip" aria-pressed={tag === active} onClick={() => onSelect(tag)}>
            <span className="visually-hidden">Filter by tag </span>
            {tag}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Tags as links to the library filtered by the tag. */
export function TagLinkChips({ tags }: { tags: string[] }) {
  if (!tags.length) return <span className="muted">No tags</span>;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <Link className="tag-chip" to={`/?tag=${encodeURIComponent(tag)}`}>
            <span className="visually-hidden">Library filtered by tag </span>
            {tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}
