import { UnderscoreNamingStrategy } from '@mikro-orm/core';

/**
 * MikroORM's names, but foreign keys named as PostgreSQL names them (`<table>_<column>_fkey`), which
 * is what the first, hand-written migrations created: the schema diff then matches them by name. And
 * generated migrations named like the committed ones.
 */
export class ChatSynthNamingStrategy extends UnderscoreNamingStrategy {
  override indexName(tableName: string, columns: string[], type: 'primary' | 'foreign' | 'unique' | 'index' | 'sequence' | 'check' | 'default'): string {
    if (type === 'foreign') return `${tableName.replace(/^.*\./, '')}_${columns.join('_')}_fkey`;
    return super.indexName(tableName, columns, type);
  }

  /** `Migration20261203120000AddProjects`, as the committed migrations are named. */
  override classToMigrationName(timestamp: string, customMigrationName?: string): string {
    const words = (customMigrationName ?? '').split(/[^A-Za-z0-9]+/).filter(Boolean);
    return `Migration${timestamp}${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
  }
}

/** `migration-20261203120000-add-projects`, as the committed migration files are named. */
export const migrationFileName = (timestamp: string, name?: string) => `migration-${timestamp}${name ? `-${name}` : ''}`;
