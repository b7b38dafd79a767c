// `pnpm db:check`: migrates DATABASE_URL (or, without it, an embedded database in memory) and fails,
// printing what differs, when the entities and the migrated schema disagree.
import { initORM } from '../orm';
import { schemaDrift } from '../schema-check';

const db = await initORM({ inMemory: !process.env.DATABASE_URL });
try {
  const { statements, missing } = await schemaDrift(db.orm);
  const where = db.embedded ? 'embedded' : 'PostgreSQL';
  if (statements.length) {
    console.error(`The entities and the migrated ${where} database differ; these ${statements.length} statements would align them:`);
    for (const statement of statements) console.error(`  ${statement}`);
  }
  if (missing.length) console.error(`The migrated ${where} database lacks: ${missing.join(', ')}.`);
  if (statements.length || missing.length) process.exitCode = 1;
  else console.log(`Schema check: the entities match the migrated ${where} database.`);
} finally {
  await db.close();
}
