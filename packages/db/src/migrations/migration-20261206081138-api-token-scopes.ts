import { Migration } from '@mikro-orm/migrations';

/**
 * API tokens carry scopes (read, write, import; entities/api-token.ts). The default is all three, so
 * every token made before this migration keeps doing what it did.
 */
export class Migration20261206081138ApiTokenScopes extends Migration {

  override name = 'Migration20261206081138ApiTokenScopes';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_tokens" add "scopes" text[] not null default '{read,write,import}';`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_scopes_not_empty" check (cardinality(scopes) >= 1);`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_scopes_check" check ("scopes" <@ array['read'::text, 'write'::text, 'import'::text]);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_tokens" drop constraint "api_tokens_scopes_not_empty";`);
    this.addSql(`alter table "api_tokens" drop constraint "api_tokens_scopes_check";`);
    this.addSql(`alter table "api_tokens" drop column "scopes";`);
  }

}
