import { Migration } from '@mikro-orm/migrations';

// Servers keep a signed-in caller for a few seconds (the API's credential cache) instead of reading
// their session on every request. A session or API token that changes or goes, or a user who changes
// or goes, tells every server at once on this channel (payload: the user's id), however it happened:
// through the API of another instance, a housekeeping job, or SQL typed by an operator.
export class Migration2026112601Credentials extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- tg_argv: the column naming the user, and a bookkeeping column whose change alone (a session's
      -- sliding refresh, a token's last use) changes nothing a server keeps.
      create function chatsynth_credentials_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and tg_nargs > 1 and (to_jsonb(old) - tg_argv[1]) = (to_jsonb(new) - tg_argv[1]) then
          return null;
        end if;
        perform pg_notify('chatsynth_credentials', (to_jsonb(coalesce(old, new)) ->> tg_argv[0]));
        return null;
      end $$;
      create trigger sessions_credentials after update or delete on sessions
        for each row execute function chatsynth_credentials_changed('user_id', 'last_verified_at');
      create trigger api_tokens_credentials after update or delete on api_tokens
        for each row execute function chatsynth_credentials_changed('user_id', 'last_used_at');
      create trigger users_credentials after update or delete on users
        for each row execute function chatsynth_credentials_changed('id');
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists users_credentials on users;
      drop trigger if exists api_tokens_credentials on api_tokens;
      drop trigger if exists sessions_credentials on sessions;
      drop function if exists chatsynth_credentials_changed();
    `);
  }
}
