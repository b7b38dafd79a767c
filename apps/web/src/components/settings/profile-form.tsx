import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../../lib/errors';
import { useTRPC, type User } from '../../lib/trpc';
import { TextField } from '../field';
import { FormStatus } from '../form-status';

export function ProfileForm({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.users.updateProfile.mutationOptions({
      // The layout shows the name from `auth.me`: record the answer there.
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), updated);
        setSaved(true);
      },
    }),
  );
  const failure = update.error ? describeError(update.error) : null;
  // Taken emails answer CONFLICT, which belongs under the email field.
  const emailErrors = failure?.code === 'CONFLICT' ? [failure.message] : failure?.fieldErrors.email;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const displayName = String(form.get('displayName') ?? '').trim();
    const email = String(form.get('email') ?? '').trim();
    update.mutate({ displayName: displayName || null, ...(email !== user.email ? { email } : {}) });
  };

  return (
    <section className="panel settings-section" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <form className="stack" onSubmit={submit} aria-describedby="profile-status">
        <p className="muted">
          Signed in as <strong>{user.username}</strong>. Your username does not change.
        </p>
        <TextField
          label="Display name"
          name="displayName"
          optional
          hint="Shown in the sidebar instead of your username."
          defaultValue={user.displayName ?? ''}
          autoComplete="name"
          errors={failure?.fieldErrors.displayName}
          onChange={() => setSaved(false)}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          required
          defaultValue={user.email}
          autoComplete="email"
          errors={emailErrors}
          onChange={() => setSaved(false)}
        />
        <FormStatus id="profile-status" error={failure && failure.code !== 'CONFLICT' && !failure.fieldErrors.email ? failure.message : null} />
        <div role="status" className="notice-region">
          {saved ? <p className="notice">Profile saved.</p> : null}
        </div>
        <p className="actions">
          <button type="submit" className="button primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save profile'}
          </button>
        </p>
      </form>
    </section>
  );
}
