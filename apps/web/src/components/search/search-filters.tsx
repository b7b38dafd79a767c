import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { SelectField, TextField } from '../field';
import { hasFilters, type SearchFilterValues, type SearchRole } from './search-params';

const ROLES: { value: SearchRole; label: string }[] = [
  { value: '', label: 'Everything' },
  { value: 'user', label: 'What I wrote' },
  { value: 'assistant', label: 'Answers' },
];

/**
 * Beside the results: source, tags, a date range and whose messages. Choices apply at once; the
 * tags field applies on Enter or when it loses focus, so typing a tag does not search each letter.
 */
export function SearchFilters({ values, onChange }: { values: SearchFilterValues; onChange: (values: SearchFilterValues) => void }) {
  const trpc = useTRPC();
  const stats = useQuery(trpc.chatlogs.stats.queryOptions());
  const tags = useQuery(trpc.tags.list.queryOptions());
  const sources = (stats.data?.perSource ?? []).map((s) => s.source);
  if (values.source && !sources.includes(values.source)) sources.unshift(values.source);

  const set = (patch: Partial<SearchFilterValues>) => {
    const next = { ...values, ...patch };
    if (JSON.stringify(next) !== JSON.stringify(values)) onChange(next);
  };

  return (
    <form
      className="search-filters"
      aria-label="Filter search results"
      onSubmit={(event) => {
        event.preventDefault();
        set({ tags: String(new FormData(event.currentTarget).get('tags') ?? '') });
      }}
    >
      <h2 className="search-filters-heading">Filters</h2>
      <SelectField label="Source" name="source" value={values.source} onChange={(e) => set({ source: e.currentTarget.value })}>
        <option value="">Any source</option>
        {sources.map((source) => (
          <option key={source} value={source}>
            {source}
          </option>
        ))}
      </SelectField>
      <TextField
        key={`tags:${values.tags}`}
        label="Tags"
        name="tags"
        hint="All of them, separated by commas"
        defaultValue={values.tags}
        list="search-tag-suggestions"
        placeholder="Any tag"
        autoComplete="off"
        onBlur={(e) => set({ tags: e.currentTarget.value })}
      />
      <datalist id="search-tag-suggestions">
        {(tags.data ?? []).map((tag) => (
          <option key={tag.name} value={tag.name} />
        ))}
      </datalist>
      <TextField label="From" name="from" type="date" value={values.from} max={values.to || undefined} onChange={(e) => set({ from: e.currentTarget.value })} />
      <TextField label="To" name="to" type="date" value={values.to} min={values.from || undefined} onChange={(e) => set({ to: e.currentTarget.value })} />
      {/* Uncontrolled, keyed by the URL's value: the choice shows at once, and back/forward resets it. */}
      <fieldset className="search-roles" key={`role:${values.role}`}>
        <legend>Messages</legend>
        {ROLES.map((role) => (
          <label key={role.value || 'all'}>
            <input type="radio" name="role" value={role.value} defaultChecked={values.role === role.value} onChange={() => set({ role: role.value })} />
            {role.label}
          </label>
        ))}
      </fieldset>
      {hasFilters(values) ? (
        <button type="button" className="button small" onClick={() => onChange({ source: '', tags: '', from: '', to: '', role: '' })}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
