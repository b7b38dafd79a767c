import { ApiTokens } from '../components/settings/api-tokens';
import { PasswordForm } from '../components/settings/password-form';
import { ProfileForm } from '../components/settings/profile-form';
import { SessionsList } from '../components/settings/sessions-list';
import { useCurrentUser } from '../lib/session';
import { useDocumentTitle } from '../lib/use-document-title';

export function SettingsPage() {
  useDocumentTitle('Settings');
  // RequireAuth renders this page only with a user.
  const user = useCurrentUser().data;
  return (
    <div className="page settings-page">
      <div className="page-heading">
        <h1>Settings</h1>
      </div>
      {user ? <ProfileForm user={user} /> : null}
      <PasswordForm />
      <SessionsList />
      <ApiTokens />
    </div>
  );
}
