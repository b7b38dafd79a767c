import { Migration } from '@mikro-orm/migrations';

/**
 * Change events are read in the order of the transactions that wrote them. An event's id is taken when
 * it is written, before commit, so a later id could commit first and a subscriber that had read past
 * it never saw the earlier one (20 writers, 3 subscribers: each missed 228-280 of 901 events on a real
 * PostgreSQL). Each event now records its transaction (`tx`, xid8), and readers take events in (tx, id)
 * order only below the oldest transaction still open (services/events.ts).
 *
 * Rows from before keep their order: they get tx 0, before every real transaction, in id order. The
 * column is added with that constant default (no table rewrite) and only then defaults to the writer's
 * transaction. The chat_tags trigger also NOTIFYs now, as the other two do, so a tag change made on
 * another instance wakes subscribers at once instead of at their fallback poll.
 */
export class Migration20261206053847EventPositions extends Migration {
  override name = 'Migration20261206053847EventPositions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "chat_events" add "tx" xid8 not null default '0';`);
    this.addSql(`alter table "chat_events" alter column "tx" set default pg_current_xact_id();`);
    this.addSql(`drop index "chat_events_user_id_index";`);
    this.addSql(`create index "chat_events_user_position_index" on "chat_events" ("user_id", "tx", "id");`);
    this.addSql(chatTagEvent(true));
  }

  override down(): void | Promise<void> {
    this.addSql(chatTagEvent(false));
    this.addSql(`drop index "chat_events_user_position_index";`);
    this.addSql(`alter table "chat_events" drop column "tx";`);
    this.addSql(`create index "chat_events_user_id_index" on "chat_events" ("user_id", "id");`);
  }
}

/** The chat_tags outbox trigger's function, as the events migration wrote it, with or without its NOTIFY. */
function chatTagEvent(notify: boolean): string {
  return `
    create or replace function chatsynth_chat_tag_event() returns trigger language plpgsql as $$
    declare
      owner uuid;
    begin
      select user_id into owner from chatlogs where id = coalesce(new.chat_id, old.chat_id);
      if owner is not null then
        insert into chat_events (user_id, type, chatlog_id, version) values (owner, 'chatlog.tagged', coalesce(new.chat_id, old.chat_id), null);${
          notify ? `\n        perform pg_notify('chatsynth_events', owner::text);` : ''
        }
      end if;
      return null;
    end $$;`;
}
