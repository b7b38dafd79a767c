import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { CredentialCache, RateLimiter } from '@chatsynth/api';
import type { MikroORM } from '@chatsynth/db';
import { errorResponse, onError } from './http-error';
import { BodyBudget, DEFAULT_BODY_BUDGET, type BodyBudgetLimits } from './middleware/body-limit';
import { sameOriginWrites } from './middleware/same-origin';
import { exportRoutes } from './routes/exports';
import { healthRoutes } from './routes/health';
import { importRoutes } from './routes/imports';
import { trpcRoutes } from './routes/trpc';
import { webRoutes } from './routes/web';

export type AppDeps = {
  orm: MikroORM;
  /** The built web app; defaults to apps/web/dist beside this package. */
  webDist?: string;
  rateLimiter?: RateLimiter;
  /**
   * Reuse recent callers instead of reading their session on every request; only for a server that
   * keeps the cache true to the database (index.ts: the embedded one, or one listening for changes).
   */
  credentialCache?: CredentialCache;
  /** Take the client's address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Where uploads wait for their import job (shared by instances that share jobs). */
  uploadDir: string;
  /** Largest upload accepted by POST /api/imports. */
  maxUploadBytes?: number;
  /** Uploads to POST /api/imports one user may send at once (default 3). */
  maxConcurrentUploads?: number;
  /** Bytes of tRPC request bodies held in memory at once, per client address and in all. */
  bodyBudget?: BodyBudgetLimits;
  /** Called when an import is queued (wakes the worker). */
  onImportQueued?: () => void;
};

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Each upload holds a connection and a disk stream for minutes; a few at once are plenty for a person. */
export const DEFAULT_MAX_CONCURRENT_UPLOADS = 3;

export const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The whole HTTP surface; tests call `app.request()` on it, index.ts serves it. */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use('/trpc/*', sameOriginWrites);
  app.use('/api/*', sameOriginWrites);
  app.route('/', healthRoutes(deps.orm));
  app.route('/trpc', trpcRoutes({
      orm: deps.orm,
      rateLimiter: deps.rateLimiter,
      trustProxy: deps.trustProxy ?? false,
      credentialCache: deps.credentialCache,
      bodyBudget: new BodyBudget(deps.bodyBudget ?? DEFAULT_BODY_BUDGET),
    }));
  app.route(
    '/api/imports',
    importRoutes({
      orm: deps.orm,
      credentialCache: deps.credentialCache,
      uploadDir: deps.uploadDir,
      maxUploadBytes: deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      maxConcurrentUploads: deps.maxConcurrentUploads ?? DEFAULT_MAX_CONCURRENT_UPLOADS,
      onQueued: deps.onImportQueued,
    }),
  );
  app.route('/api/exports', exportRoutes({ orm: deps.orm, credentialCache: deps.credentialCache }));
  app.all('/api/*', () => errorResponse(404, 'NOT_FOUND', 'There is no such API route.'));
  app.route('/', webRoutes(deps.webDist ?? defaultWebDist));
  app.onError(onError);
  return app;
}
