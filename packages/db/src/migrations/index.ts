import { Migration20261125Initial } from './migration-20261125-initial';

// Listed explicitly (not discovered by glob) so bundled builds carry them. Append new ones; never edit old ones.
export const migrationsList = [{ name: 'Migration20261125Initial', class: Migration20261125Initial }];
