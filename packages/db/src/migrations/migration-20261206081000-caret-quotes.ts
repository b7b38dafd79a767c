import { Migration } from '@mikro-orm/migrations';

/**
 * An annotation on an empty range (a caret) was stored with the quote "", which no import takes back
 * (a quote is never empty), so an export of it came back without its place. A caret has no quote.
 */
export class Migration20261206081000CaretQuotes extends Migration {

  override name = 'Migration20261206081000CaretQuotes';

  override up(): void | Promise<void> {
    this.addSql(`update "annotations" set "quote" = null where "quote" = '';`);
  }

  override down(): void | Promise<void> {
    // Nothing to undo: a caret without a quote reads the same on the old code.
  }

}
