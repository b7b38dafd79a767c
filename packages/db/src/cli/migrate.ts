// `pnpm db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in CHATSYNTH_DATA_DIR.
import { initORM } from '../orm';

const db = await initORM({ migrate: false });
try {
  const applied = await db.orm.migrator.up();
  console.log(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date.');
} finally {
  await db.close();
}
