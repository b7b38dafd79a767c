import { Migration } from '@mikro-orm/migrations';

// Import jobs live in the database so that any server instance can claim one (FOR UPDATE SKIP LOCKED)
// and an interrupted one is found again after a restart.
export class Migration2026112503Imports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table imports (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        filename text not null,
        format text null,
        requested_format text not null default 'auto',
        status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
        counts jsonb not null default '{"conversations":0,"created":0,"updated":0,"unchanged":0,"failed":0}',
        problems jsonb not null default '[]',
        bytes bigint not null default 0,
        bytes_read bigint not null default 0,
        processed integer not null default 0,
        file_path text null,
        error text null,
        attempts integer not null default 0,
        heartbeat_at timestamptz null,
        created_at timestamptz not null,
        started_at timestamptz null,
        finished_at timestamptz null
      );
      create index imports_user_created_index on imports (user_id, created_at desc);
      create index imports_queued_index on imports (created_at) where status in ('queued', 'running');
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists imports;');
  }
}
