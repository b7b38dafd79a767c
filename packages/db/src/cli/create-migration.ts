// `pnpm db:migration:create <name>`: writes a migration with the statements that take a database
// migrated to today's migrations to what the entities declare. Review it, then list it in
// migrations/index.ts (bundled builds carry the list, not a folder).
import { fileURLToPath } from 'node:url';
import { initORM } from '../orm';

const name = process.argv[2];
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('Usage: pnpm db:migration:create <name>   (kebab-case, e.g. add-projects)');
  process.exit(2);
}
const db = await initORM({ inMemory: !process.env.DATABASE_URL });
try {
  const path = fileURLToPath(new URL('../migrations', import.meta.url));
  const result = await db.orm.migrator.create(path, false, false, name);
  if (!result.diff.up.length) console.log('The entities match the migrated database: no migration needed.');
  else {
    const className = /export class (\w+)/.exec(result.code)?.[1];
    console.log(`Wrote src/migrations/${result.fileName} (${result.diff.up.length} statements). Review it, then list it in src/migrations/index.ts:`);
    console.log(`  import { ${className} } from './${result.fileName.replace(/\.ts$/, '')}';`);
    console.log(`  { name: '${className}', class: ${className} },`);
  }
} finally {
  await db.close();
}
