import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useTRPC, type UserSession } from '../../lib/trpc';
import { FormStatus } from '../form-status';
import { PageLoading } from '../page-loading';
import { LoadError } from '../route-error';

/** "Chrome on Linux" from a user agent; the raw string when it names nothing known. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 80);
}

export function SessionsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const sessions = useQuery(trpc.auth.sessions.list.queryOptions());
  const revoke = useMutation(
    trpc.auth.sessions.revoke.mutationOptions({
      onSuccess: (_result, { id }) => {
        const current = sessions.data?.find((s) => s.id === id)?.current;
        if (current) {
          // Ending this device's session is signing out.
          queryClient.clear();
          queryClient.setQueryData(trpc.auth.me.queryKey(), null);
          void navigate('/signin', { replace: true });
          return;
        }
        queryClient.setQueryData(trpc.auth.sessions.list.queryKey(), (list: UserSession[] | undefined) => list?.filter((s) => s.id !== id));
        void queryClient.invalidateQueries(trpc.auth.sessions.list.queryFilter());
      },
    }),
  );

  return (
    <section className="panel settings-section" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Active sessions</h2>
      <p className="muted">Every browser and device signed in to your account. Revoke one you do not recognise.</p>
      {sessions.isPending ? (
        <PageLoading label="Loading sessions…" />
      ) : sessions.isError ? (
        <LoadError compact what="your sessions" error={sessions.error} onRetry={() => void sessions.refetch()} retrying={sessions.isFetching} />
      ) : (
        <ul className="settings-list" aria-label="Sessions">
          {sessions.data.map((session) => (
            <li key={session.id} className="settings-item">
              <div className="settings-item-main">
                <p className="settings-item-title">
                  <span title={session.userAgent ?? undefined}>{describeDevice(session.userAgent)}</span>
                  {session.current ? <span className="status-badge" data-status="current">This device</span> : null}
                </p>
                <p className="settings-item-meta">
                  <span>IP {session.ip ?? 'unknown'}</span>
                  <span>Last active {formatDateTime(session.lastVerifiedAt)}</span>
                  <span>Signed in {formatDateTime(session.createdAt)}</span>
                </p>
              </div>
              <button
                type="button"
                className="button small danger-outline"
                onClick={() => revoke.mutate({ id: session.id })}
                disabled={revoke.isPending && revoke.variables.id === session.id}
                aria-label={
                  session.current
                    ? 'Sign out here (revoke this device’s session)'
                    : `Revoke session: ${describeDevice(session.userAgent)}, last active ${formatDateTime(session.lastVerifiedAt)}`
                }
              >
                {session.current ? 'Sign out here' : 'Revoke'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormStatus error={revoke.error ? describeError(revoke.error).message : null} />
    </section>
  );
}
