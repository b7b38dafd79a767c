import { Migration20261125Initial } from './migration-20261125-initial';
import { Migration2026112503Imports } from './migration-2026112503-imports';

// Listed explicitly (not discovered by glob) so bundled builds carry them. Append new ones; never edit old ones.
export const migrationsList = [
  { name: 'Migration20261125Initial', class: Migration20261125Initial },
  { name: 'Migration2026112503Imports', class: Migration2026112503Imports },
];
