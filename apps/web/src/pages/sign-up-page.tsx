import type { FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { TextField } from '../components/field';
import { FormStatus } from '../components/form-status';
import { describeError } from '../lib/errors';
import { useStartSession } from '../lib/session';
import { useTRPC } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

export function SignUpPage() {
  useDocumentTitle('Create an account');
  const trpc = useTRPC();
  const startSession = useStartSession();
  const [params] = useSearchParams();
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      // The cookie is set; knowing the user is enough for the layout to move on.
      onSuccess: ({ user }) => startSession(user),
    }),
  );
  const failure = signUp.error ? describeError(signUp.error) : null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signUp.mutate({
      username: String(form.get('username') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
  };

  const next = params.get('next');
  return (
    <div className="card auth-card">
      <h1>Create an account</h1>
      <form onSubmit={submit} className="stack" aria-describedby="signup-status">
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          required
          hint="Letters, digits, dots, dashes and underscores; at least 3 characters."
          errors={failure?.fieldErrors.username}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          errors={failure?.fieldErrors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters. A few words you will remember make a good one."
          errors={failure?.fieldErrors.password}
        />
        <FormStatus id="signup-status" error={failure?.message} />
        <button type="submit" className="button primary" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="muted">
        Already have an account? <Link to={next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'}>Sign in</Link>
      </p>
    </div>
  );
}
