import { Hono } from 'hono';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { MAX_BATCH_SIZE, MAX_TRPC_BODY_BYTES, appRouter, createContext, type CredentialCache, type RateLimiter } from '@chatsynth/api';
import type { MikroORM } from '@chatsynth/db';
import { readBodyWithin, type BodyBudget } from '../middleware/body-limit';
import { clientIp } from '../middleware/client-ip';

export type TrpcDeps = {
  orm: MikroORM;
  rateLimiter?: RateLimiter;
  trustProxy: boolean;
  credentialCache?: CredentialCache;
  /** The bytes of bodies this process buffers at once (body-limit.ts). */
  bodyBudget: BodyBudget;
};

/** Seconds a client refused for want of room is asked to wait: about what a large body takes to arrive. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export function trpcRoutes(deps: TrpcDeps) {
  return new Hono().all('/*', async (c) => {
    const ip = clientIp(c, deps.trustProxy);
    let request = c.req.raw;
    // The body's bytes stay taken until its calls have answered: they are in memory until then.
    const lease = deps.bodyBudget.lease(ip ?? 'unknown');
    try {
      if (request.method === 'POST') {
        const read = await readBodyWithin(request, MAX_TRPC_BODY_BYTES, lease);
        if ('refused' in read) return read.refused === 'too-large' ? payloadTooLarge() : busy(read.by, read.drained);
        request = new Request(request.url, { method: 'POST', headers: request.headers, body: read.body });
      }
      return await fetchRequestHandler({
        endpoint: '/trpc',
        req: request,
        router: appRouter,
        maxBatchSize: MAX_BATCH_SIZE,
        createContext: ({ req, resHeaders }) =>
          createContext({
            orm: deps.orm,
            req,
            resHeaders,
            ip,
            rateLimiter: deps.rateLimiter,
            credentialCache: deps.credentialCache,
          }),
        // Unexpected errors are logged, with the reference the caller sees, by the router's error
        // formatter (packages/api/src/trpc.ts), so no handler here.
      });
    } finally {
      lease.release();
    }
  });
}

/** Shaped like a tRPC error (superjson envelope) so the typed client reports it as one. */
function trpcError(status: 413 | 429, code: 'PAYLOAD_TOO_LARGE' | 'TOO_MANY_REQUESTS', message: string, headers: Record<string, string>) {
  return Response.json(
    { error: { json: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status } } } },
    { status, headers },
  );
}

// Close the connection: the client may still be sending a body that will not be read.
function payloadTooLarge() {
  return trpcError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_TRPC_BODY_BYTES / 1024 / 1024} MB.`, {
    connection: 'close',
  });
}

function busy(by: 'address' | 'total', drained: boolean) {
  const whose = by === 'address' ? 'from your address' : 'from everyone';
  return trpcError(
    429,
    'TOO_MANY_REQUESTS',
    `The server is already receiving as many large requests ${whose} as it holds at once. Try again in ${BUSY_RETRY_AFTER_SECONDS} seconds.`,
    { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS), ...(drained ? {} : { connection: 'close' }) },
  );
}
