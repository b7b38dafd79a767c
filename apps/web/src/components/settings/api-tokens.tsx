import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { API_TOKEN_SCOPES, isApiTokenScope, type ApiTokenScope } from '@chatsynth/api/scopes';
import { describeError, fieldMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { ARRAY_PAGE, nextArrayPage } from '../../lib/array-pages';
import { useTRPC, useTRPCClient, type ApiToken, type RouterOutputs } from '../../lib/trpc';
import { SelectField, TextField } from '../field';
import { FormStatus } from '../form-status';
import { ListFooter } from '../list-footer';
import { PageLoading } from '../page-loading';
import { LoadError } from '../route-error';

type NewToken = RouterOutputs['apiTokens']['create'];

const EXPIRY_OPTIONS = [
  { value: '', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
];

/** What each scope lets a token do, in the words the form and the list use. */
const SCOPES: Record<ApiTokenScope, { label: string; hint: string; verb: string }> = {
  read: { label: 'Read', hint: 'See and search chat logs, tags, notes and imports; export them.', verb: 'read' },
  write: { label: 'Write', hint: 'Create, change, tag and delete chat logs and notes.', verb: 'change' },
  import: { label: 'Import', hint: 'Upload export files and follow their imports.', verb: 'import files into' },
};

/** "read and change", "read, change and import files into". */
function scopeVerbs(scopes: readonly ApiTokenScope[]): string {
  const verbs = scopes.map((scope) => SCOPES[scope].verb);
  return verbs.length > 1 ? `${verbs.slice(0, -1).join(', ')} and ${verbs.at(-1)}` : (verbs[0] ?? '');
}

function isUsable(token: ApiToken): boolean {
  return !token.revokedAt && !(token.expiresAt && token.expiresAt.getTime() < Date.now());
}

function tokenState(token: ApiToken): string {
  if (token.revokedAt) return `Revoked ${formatDateTime(token.revokedAt)}`;
  if (token.expiresAt && token.expiresAt.getTime() < Date.now()) return `Expired ${formatDateTime(token.expiresAt)}`;
  return token.expiresAt ? `Expires ${formatDateTime(token.expiresAt)}` : 'Never expires';
}

/** The new token, shown this once: the server keeps only its hash. */
function NewTokenNotice({ token, onDone }: { token: NewToken; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="new-token" role="region" aria-labelledby="new-token-heading">
      <h3 id="new-token-heading">Your new token “{token.name}”</h3>
      <p className="new-token-warning">
        <strong>Copy it now.</strong> It will not be shown again: ChatSynth keeps only a hash of it. Anyone with it can{' '}
        {scopeVerbs(token.scopes)} your chat logs.
      </p>
      <div className="new-token-value">
        <label htmlFor="new-token-value" className="visually-hidden">
          API token
        </label>
        <input id="new-token-value" readOnly value={token.token} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="muted">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not copy: select the token and copy it yourself.' : ''}
      </p>
      <p className="actions">
        <button type="button" className="button small" onClick={onDone}>
          I have copied it
        </button>
      </p>
    </div>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.apiTokens.revoke.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries(trpc.apiTokens.list.pathFilter());
      },
    }),
  );
  const active = isUsable(token);
  return (
    <li className="settings-item" data-active={active}>
      <div className="settings-item-main">
        <p className="settings-item-title">{token.name}</p>
        <p className="settings-item-meta">
          <span>Created {formatDateTime(token.createdAt)}</span>
          <span>{token.lastUsedAt ? `Last used ${formatDateTime(token.lastUsedAt)}` : 'Never used'}</span>
          <span>{tokenState(token)}</span>
          <span>Scopes: {token.scopes.join(', ')}</span>
        </p>
      </div>
      {active && !confirming ? (
        <button type="button" className="button small danger-outline" onClick={() => setConfirming(true)} aria-label={`Revoke token ${token.name}`}>
          Revoke
        </button>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-label={`Revoke token ${token.name}?`}>
          <p>Revoke “{token.name}”? Programs using it stop working at once.</p>
          <div className="actions">
            <button type="button" className="button danger small" onClick={() => revoke.mutate({ id: token.id })} disabled={revoke.isPending} autoFocus>
              {revoke.isPending ? 'Revoking…' : 'Revoke token'}
            </button>
            <button type="button" className="button small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
          <FormStatus error={revoke.error ? describeError(revoke.error).message : null} />
        </div>
      ) : null}
    </li>
  );
}

export function ApiTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const trpcClient = useTRPCClient();
  // Newest first, a page at a time: revoked and expired tokens stay listed, so there may be many.
  const tokens = useInfiniteQuery({
    queryKey: trpc.apiTokens.list.infiniteQueryKey({ limit: ARRAY_PAGE }),
    queryFn: ({ pageParam, signal }) => trpcClient.apiTokens.list.query({ limit: ARRAY_PAGE, cursor: pageParam }, { signal }),
    initialPageParam: null as { id: string } | null,
    getNextPageParam: nextArrayPage((last: ApiToken) => ({ id: last.id })),
  });
  const listed = tokens.data?.pages.flat() ?? [];
  const [created, setCreated] = useState<NewToken | null>(null);
  const create = useMutation(
    trpc.apiTokens.create.mutationOptions({
      onSuccess: (token) => {
        setCreated(token);
        void queryClient.invalidateQueries(trpc.apiTokens.list.pathFilter());
      },
    }),
  );
  const failure = create.error ? describeError(create.error) : null;
  // Checked here, so the form says it before asking the server; the server's word shows the same way.
  const [noScope, setNoScope] = useState(false);
  const scopeErrors = noScope ? ['Choose at least one.'] : failure?.fieldErrors.scopes;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = Number(form.get('expiresInDays') || 0);
    const scopes = form.getAll('scopes').map(String).filter(isApiTokenScope);
    setNoScope(scopes.length === 0);
    if (scopes.length === 0) {
      formElement.querySelector<HTMLInputElement>('input[name="scopes"]')?.focus();
      return;
    }
    create.mutate(
      { name: String(form.get('name') ?? '').trim(), scopes, ...(days ? { expiresInDays: days } : {}) },
      { onSuccess: () => formElement.reset() },
    );
  };

  return (
    <section className="panel settings-section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">Personal API tokens</h2>
      <p className="muted">
        For the command-line tool and scripts: send a token as <code>Authorization: Bearer …</code>.
      </p>
      {created ? <NewTokenNotice token={created} onDone={() => setCreated(null)} /> : null}
      <form className="token-form" onSubmit={submit} aria-describedby="token-status">
        <div className="field-row">
          <TextField label="Token name" name="name" required maxLength={100} hint="Where you will use it, e.g. “laptop CLI”." errors={failure?.fieldErrors.name} />
          <SelectField label="Expires" name="expiresInDays" hint="A token that never expires lasts until you revoke it." defaultValue="" errors={failure?.fieldErrors.expiresInDays}>
            {EXPIRY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className="token-scopes" aria-describedby={scopeErrors?.length ? 'token-scopes-hint token-scopes-error' : 'token-scopes-hint'}>
          <legend>What it may do</legend>
          <p className="field-hint" id="token-scopes-hint">
            At least one. A token without Write cannot change anything; one with only Import suits a script that uploads exports.
          </p>
          {API_TOKEN_SCOPES.map((scope) => (
            <div className="token-scope" key={scope}>
              <input
                type="checkbox"
                id={`token-scope-${scope}`}
                name="scopes"
                value={scope}
                defaultChecked
                onChange={() => setNoScope(false)}
                aria-describedby={`token-scope-${scope}-hint`}
              />
              <label htmlFor={`token-scope-${scope}`}>{SCOPES[scope].label}</label>
              <p className="field-hint" id={`token-scope-${scope}-hint`}>
                {SCOPES[scope].hint}
              </p>
            </div>
          ))}
          {scopeErrors?.length ? (
            <p className="field-error" id="token-scopes-error">
              {scopeErrors.map((message) => fieldMessage('Scopes', message)).join(' ')}
            </p>
          ) : null}
        </fieldset>
        <FormStatus id="token-status" error={failure && !failure.fieldErrors.name && !failure.fieldErrors.scopes ? failure.message : null} />
        <p className="actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </p>
      </form>
      {tokens.isPending ? (
        <PageLoading label="Loading tokens…" />
      ) : tokens.isError && !listed.length ? (
        <LoadError compact what="your tokens" error={tokens.error} onRetry={() => void tokens.refetch()} retrying={tokens.isFetching} />
      ) : listed.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <>
          <ul className="settings-list" aria-label="API tokens">
            {listed.map((token) => (
              <TokenRow key={token.id} token={token} />
            ))}
          </ul>
          <ListFooter list={tokens} what={{ nextPage: 'more tokens', refresh: 'your tokens' }} />
        </>
      )}
    </section>
  );
}
