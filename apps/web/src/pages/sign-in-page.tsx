import type { FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { TextField } from '../components/field';
import { FormStatus } from '../components/form-status';
import { describeError } from '../lib/errors';
import { useStartSession } from '../lib/session';
import { useTRPC } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

export function SignInPage() {
  useDocumentTitle('Sign in');
  const trpc = useTRPC();
  const startSession = useStartSession();
  const [params] = useSearchParams();
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      // The cookie is set; knowing the user is enough for the layout to move on.
      onSuccess: ({ user }) => startSession(user),
    }),
  );
  const failure = signIn.error ? describeError(signIn.error) : null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signIn.mutate({ login: String(form.get('login') ?? ''), password: String(form.get('password') ?? '') });
  };

  const next = params.get('next');
  return (
    <div className="card auth-card">
      <h1>Sign in</h1>
      <form onSubmit={submit} className="stack" aria-describedby="signin-status">
        <TextField
          label="Username or email"
          name="login"
          autoComplete="username"
          required
          errors={failure?.fieldErrors.login}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={failure?.fieldErrors.password}
        />
        <FormStatus id="signin-status" error={failure?.message} />
        <button type="submit" className="button primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        New here? <Link to={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>Create an account</Link>
      </p>
    </div>
  );
}
