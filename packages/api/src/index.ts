export { appRouter, type AppRouter } from './root';
export { createCallerFactory } from './trpc';
export { MAX_BATCH_SIZE, MAX_TRPC_BODY_BYTES } from './limits';
export { authenticate, createContext, createContextInner, type ContextInner, type Credential } from './context';
export {
  createMemoryRateLimiter,
  createRateLimiter,
  rateLimitStoreFor,
  RATE_LIMITS,
  type RateLimiter,
  type RateLimitStore,
} from './services/rate-limit';
export { purgeExpiredTrash, TRASH_RETENTION_DAYS } from './services/trash';
export { pruneEvents } from './services/events';
export { LIMITS, normaliseTagName } from './schemas/chat-log';
export { searchQuery } from './services/search-sql';
export { parseSearchQuery } from './services/search-query';
export { claimNextImport, createImportJob, MAX_IMPORT_ATTEMPTS } from './services/imports';
export { runImportJob } from './services/import-runner';
export { prepareConversation } from './services/import-writer';
export { startImportWorker, type ImportWorker } from './services/import-worker';
export { exportAll, exportFormats, type ExportFormat } from './services/exports';
export { ChangeFeed, changeFeed, listenForChanges } from './services/change-feed';
export { CredentialCache, CREDENTIAL_CACHE_TTL_MS, type Authenticated } from './services/credential-cache';
export { eventPolling } from './router/events';
export { LOG_LEVELS, logger, reportInternal, internalErrorMessage } from './services/log';
export { exposeUnexpected } from './services/errors';
export { missingScope, scopesOf } from './services/token-scopes';
export { API_TOKEN_SCOPES, isApiTokenScope, type ApiTokenScope } from './schemas/api-token-scopes';

export type { RouterInputs, RouterOutputs } from './contract';
