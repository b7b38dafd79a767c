import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { TextField } from '../field';
import { FormStatus } from '../form-status';

export function PasswordForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const change = useMutation(
    trpc.users.changePassword.mutationOptions({
      onSuccess: () => {
        setDone(true);
        void queryClient.invalidateQueries(trpc.auth.sessions.list.queryFilter());
      },
    }),
  );
  const failure = change.error ? describeError(change.error) : null;
  const wrongCurrent = failure?.code === 'BAD_REQUEST' && !failure.fieldErrors.currentPassword && !failure.fieldErrors.newPassword;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(false);
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== String(form.get('confirmPassword') ?? '')) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { currentPassword: String(form.get('currentPassword') ?? ''), newPassword },
      { onSuccess: () => formElement.reset() },
    );
  };

  return (
    <section className="panel settings-section" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <form className="stack" onSubmit={submit} aria-describedby="password-status">
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          errors={wrongCurrent ? [failure.message] : failure?.fieldErrors.currentPassword}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          required
          minLength={8}
          errors={failure?.fieldErrors.newPassword}
        />
        <TextField
          label="Confirm new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={mismatch ? ['The two new passwords are not the same.'] : undefined}
        />
        <FormStatus id="password-status" error={failure && !wrongCurrent && !failure.fieldErrors.newPassword ? failure.message : null} />
        <div role="status" className="notice-region">
          {done ? <p className="notice">Password changed. Your other sessions were signed out; this one stays signed in.</p> : null}
        </div>
        <p className="actions">
          <button type="submit" className="button primary" disabled={change.isPending}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </p>
      </form>
    </section>
  );
}
