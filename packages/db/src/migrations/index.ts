import { Migration20261125Initial } from './migration-20261125-initial';
import { Migration2026112503Imports } from './migration-2026112503-imports';
import { Migration2026112504Search } from './migration-2026112504-search';
import { Migration2026112505Events } from './migration-2026112505-events';
import { Migration2026112601Credentials } from './migration-2026112601-credentials';
import { Migration2026112602SearchRarestWord } from './migration-2026112602-search-rarest-word';
import { Migration20261206052839RateLimits } from './migration-20261206052839-rate-limits';
import { Migration20261206053847EventPositions } from './migration-20261206053847-event-positions';
import { Migration20261206081000CaretQuotes } from './migration-20261206081000-caret-quotes';
import { Migration20261206081138ApiTokenScopes } from './migration-20261206081138-api-token-scopes';
import { Migration20261206090500SearchExclusions } from './migration-20261206090500-search-exclusions';
import { Migration20261206091500SearchVocabulary } from './migration-20261206091500-search-vocabulary';
import { Migration20261206095000SearchVocabularyPerUserIndex } from './migration-20261206095000-search-vocabulary-per-user-index';
import { Migration20261206095500SearchVocabularyLockOrder } from './migration-20261206095500-search-vocabulary-lock-order';

// Listed explicitly (not discovered by glob) so bundled builds carry them. Append new ones; never edit old ones.
export const migrationsList = [
  { name: 'Migration20261125Initial', class: Migration20261125Initial },
  { name: 'Migration2026112503Imports', class: Migration2026112503Imports },
  { name: 'Migration2026112504Search', class: Migration2026112504Search },
  { name: 'Migration2026112505Events', class: Migration2026112505Events },
  { name: 'Migration2026112601Credentials', class: Migration2026112601Credentials },
  { name: 'Migration2026112602SearchRarestWord', class: Migration2026112602SearchRarestWord },
  { name: 'Migration20261206052839RateLimits', class: Migration20261206052839RateLimits },
  { name: 'Migration20261206053847EventPositions', class: Migration20261206053847EventPositions },
  { name: 'Migration20261206081000CaretQuotes', class: Migration20261206081000CaretQuotes },
  { name: 'Migration20261206081138ApiTokenScopes', class: Migration20261206081138ApiTokenScopes },
  { name: 'Migration20261206090500SearchExclusions', class: Migration20261206090500SearchExclusions },
  { name: 'Migration20261206091500SearchVocabulary', class: Migration20261206091500SearchVocabulary },
  { name: 'Migration20261206095000SearchVocabularyPerUserIndex', class: Migration20261206095000SearchVocabularyPerUserIndex },
  { name: 'Migration20261206095500SearchVocabularyLockOrder', class: Migration20261206095500SearchVocabularyLockOrder },
];
