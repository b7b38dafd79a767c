import { Migration } from '@mikro-orm/migrations';

// An outbox of change events, written by triggers in the same transaction as the change, so every
// write path (the API, bulk imports, restores, purges) emits them and none can forget to. Subscribers
// read it by id, which makes `tracked()` resumption exact and works the same on PGlite and on a real
// server, across instances. Old rows are pruned by the server's hourly housekeeping.
export class Migration2026112505Events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table chat_events (
        id bigserial primary key,
        user_id uuid not null,
        type text not null,
        chatlog_id uuid not null,
        version integer null,
        created_at timestamptz not null default now()
      );
      create index chat_events_user_id_index on chat_events (user_id, id);

      create function chatsynth_chatlog_event() returns trigger language plpgsql as $$
      declare
        event_type text;
      begin
        if tg_op = 'INSERT' then
          insert into chat_events (user_id, type, chatlog_id, version) values (new.user_id, 'chatlog.created', new.id, new.version);
        elsif tg_op = 'DELETE' then
          insert into chat_events (user_id, type, chatlog_id, version) values (old.user_id, 'chatlog.purged', old.id, old.version);
        else
          if old.deleted_at is null and new.deleted_at is not null then event_type := 'chatlog.trashed';
          elsif old.deleted_at is not null and new.deleted_at is null then event_type := 'chatlog.restored';
          elsif new.version <> old.version or new.title is distinct from old.title or new.summary is distinct from old.summary
                or new.metadata is distinct from old.metadata then event_type := 'chatlog.updated';
          else return null;
          end if;
          insert into chat_events (user_id, type, chatlog_id, version) values (new.user_id, event_type, new.id, new.version);
        end if;
        perform pg_notify('chatsynth_events', coalesce(new.user_id, old.user_id)::text);
        return null;
      end $$;
      create trigger chatlogs_events after insert or update or delete on chatlogs
        for each row execute function chatsynth_chatlog_event();

      create function chatsynth_annotation_event() returns trigger language plpgsql as $$
      begin
        insert into chat_events (user_id, type, chatlog_id, version)
        values (coalesce(new.user_id, old.user_id), 'annotation.changed', coalesce(new.chatlog_id, old.chatlog_id), null);
        perform pg_notify('chatsynth_events', coalesce(new.user_id, old.user_id)::text);
        return null;
      end $$;
      create trigger annotations_events after insert or update or delete on annotations
        for each row execute function chatsynth_annotation_event();

      create function chatsynth_chat_tag_event() returns trigger language plpgsql as $$
      declare
        owner uuid;
      begin
        select user_id into owner from chatlogs where id = coalesce(new.chat_id, old.chat_id);
        if owner is not null then
          insert into chat_events (user_id, type, chatlog_id, version) values (owner, 'chatlog.tagged', coalesce(new.chat_id, old.chat_id), null);
        end if;
        return null;
      end $$;
      create trigger chat_tags_events after insert or delete on chat_tags
        for each row execute function chatsynth_chat_tag_event();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists chat_tags_events on chat_tags;
      drop trigger if exists annotations_events on annotations;
      drop trigger if exists chatlogs_events on chatlogs;
      drop function if exists chatsynth_chat_tag_event, chatsynth_annotation_event, chatsynth_chatlog_event;
      drop table if exists chat_events;
    `);
  }
}
