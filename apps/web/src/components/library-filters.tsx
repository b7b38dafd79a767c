import type { FormEvent } from 'react';
import { SelectField, TextField } from './field';

export type LibraryFilterValues = {
  source: string;
  tag: string;
  sort: 'updated' | 'created' | 'started';
  order: 'desc' | 'asc';
};

/**
 * Source and tag are typed (with suggestions from the logs seen so far) and applied with the button;
 * sort and order apply as soon as they change.
 */
export function LibraryFilters(props: {
  values: LibraryFilterValues;
  sources: string[];
  tags: string[];
  onChange: (values: LibraryFilterValues) => void;
}) {
  const { values, sources, tags, onChange } = props;

  const read = (form: HTMLFormElement): LibraryFilterValues => {
    const data = new FormData(form);
    return {
      source: String(data.get('source') ?? '').trim(),
      tag: String(data.get('tag') ?? '').trim(),
      sort: String(data.get('sort')) as LibraryFilterValues['sort'],
      order: String(data.get('order')) as LibraryFilterValues['order'],
    };
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onChange(read(event.currentTarget));
  };

  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Filter chat logs">
      {/* Keyed by the applied value, so a chip click elsewhere resets what the field shows. */}
      <TextField key={`source:${values.source}`} label="Source" name="source" defaultValue={values.source} list="library-sources" placeholder="Any source" autoComplete="off" />
      <datalist id="library-sources">
        {sources.map((source) => (
          <option key={source} value={source} />
        ))}
      </datalist>
      <TextField key={`tag:${values.tag}`} label="Tag" name="tag" defaultValue={values.tag} list="library-tags" placeholder="Any tag" autoComplete="off" />
      <datalist id="library-tags">
        {tags.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
      <SelectField label="Sort by" name="sort" value={values.sort} onChange={(e) => onChange({ ...read(e.currentTarget.form!), sort: e.currentTarget.value as LibraryFilterValues['sort'] })}>
        <option value="updated">Last updated</option>
        <option value="created">Date added</option>
        <option value="started">Conversation date</option>
      </SelectField>
      <SelectField label="Order" name="order" value={values.order} onChange={(e) => onChange({ ...read(e.currentTarget.form!), order: e.currentTarget.value as LibraryFilterValues['order'] })}>
        <option value="desc">Newest first</option>
        <option value="asc">Oldest first</option>
      </SelectField>
      <div className="filters-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
      </div>
    </form>
  );
}
