import { Migration } from '@mikro-orm/migrations';

// Written by hand so that the constraints the product relies on live in the database:
// case-insensitive usernames, the partial unique key that makes re-import idempotent,
// and cascades that take a log's versions, annotations and tags with it.
export class Migration20261125Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table users (
        id uuid primary key,
        username text not null check (char_length(username) between 1 and 64),
        email text not null check (email = lower(email)),
        password_hash text not null,
        display_name text null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create unique index users_username_lower_unique on users (lower(username));
      create unique index users_email_unique on users (email);

      create table sessions (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        secret_hash bytea not null,
        created_at timestamptz not null,
        last_verified_at timestamptz not null,
        user_agent text null,
        ip text null
      );
      create index sessions_user_id_index on sessions (user_id);

      create table api_tokens (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        name text not null,
        secret_hash bytea not null,
        created_at timestamptz not null,
        last_used_at timestamptz null,
        expires_at timestamptz null,
        revoked_at timestamptz null
      );
      create index api_tokens_user_id_index on api_tokens (user_id);

      create table chatlogs (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        source text not null,
        title text not null,
        content jsonb not null,
        summary text null,
        metadata jsonb not null default '{}',
        version integer not null default 1 check (version >= 1),
        external_id text null,
        content_hash text not null,
        message_count integer not null default 0,
        started_at timestamptz null,
        deleted_at timestamptz null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create unique index chatlogs_user_source_external_unique
        on chatlogs (user_id, source, external_id) where external_id is not null;
      create index chatlogs_user_updated_index on chatlogs (user_id, updated_at desc, id desc);
      create index chatlogs_user_created_index on chatlogs (user_id, created_at desc, id desc);
      create index chatlogs_user_started_index on chatlogs (user_id, started_at desc, id desc);

      create table chatversions (
        id uuid primary key,
        chatlog_id uuid not null references chatlogs (id) on delete cascade,
        version integer not null,
        title text not null,
        summary text null,
        content jsonb not null,
        metadata jsonb not null default '{}',
        change text not null check (change in ('created', 'edited', 'imported', 'restored')),
        message_count integer not null default 0,
        created_at timestamptz not null,
        constraint chatversions_chatlog_id_version_unique unique (chatlog_id, version)
      );

      create table annotations (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        chatlog_id uuid not null references chatlogs (id) on delete cascade,
        content text not null,
        message_index integer null check (message_index >= 0),
        quote text null,
        start integer null check (start >= 0),
        "end" integer null check ("end" >= 0),
        version integer not null,
        metadata jsonb not null default '{}',
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index annotations_chatlog_id_index on annotations (chatlog_id);

      create table tags (
        id uuid primary key,
        name text not null check (char_length(name) between 1 and 64 and name = lower(btrim(name))),
        created_at timestamptz not null,
        constraint tags_name_unique unique (name)
      );

      create table chat_tags (
        chat_id uuid not null references chatlogs (id) on delete cascade,
        tag_id uuid not null references tags (id) on delete cascade,
        primary key (chat_id, tag_id)
      );
      create index chat_tags_tag_id_index on chat_tags (tag_id);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table if exists chat_tags, tags, annotations, chatversions, chatlogs, api_tokens, sessions, users cascade;
    `);
  }
}
