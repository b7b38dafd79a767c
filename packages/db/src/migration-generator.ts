import { TSMigrationGenerator } from '@mikro-orm/migrations';
import { SQL_OWNED } from './sql-owned';

const owned = [...SQL_OWNED.tables, ...SQL_OWNED.views, ...SQL_OWNED.functions, ...SQL_OWNED.triggers];
const mentionsOwned = new RegExp(`"(${owned.join('|')})"|"\\w+_fn"\\(\\)`);

/**
 * MikroORM's TypeScript migrations, without the statements about the SQL-owned objects (sql-owned.ts).
 * The schema diff leaves existing triggers and functions alone (`ignoreTriggers`, `ignoreRoutines`), but
 * the reverse diff it writes into `down()` would recreate them as empty stubs under names of its own.
 */
export class ChatSynthMigrationGenerator extends TSMigrationGenerator {
  override generateMigrationFile(className: string, diff: { up: string[]; down: string[] }): string {
    // Blank entries separate tables in MikroORM's output: one between groups, none at the ends.
    const keep = (statements: string[]) => {
      const kept: string[] = [];
      for (const statement of statements) {
        if (mentionsOwned.test(statement)) continue;
        if (statement === '' && (kept.length === 0 || kept.at(-1) === '')) continue;
        kept.push(statement);
      }
      while (kept.at(-1) === '') kept.pop();
      return kept;
    };
    return super.generateMigrationFile(className, { up: keep(diff.up), down: keep(diff.down) });
  }
}
