import { Hono } from 'hono';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { MAX_BATCH_SIZE, MAX_TRPC_BODY_BYTES, appRouter, createContext, type CredentialCache, type RateLimiter } from '@chatsynth/api';
import type { MikroORM } from '@chatsynth/db';
import { readBodyWithin } from '../middleware/body-limit';
import { clientIp } from '../middleware/client-ip';


export type TrpcDeps = { orm: MikroORM; rateLimiter?: RateLimiter; trustProxy: boolean; credentialCache?: CredentialCache };

export function trpcRoutes(deps: TrpcDeps) {
  return new Hono().all('/*', async (c) => {
    let request = c.req.raw;
    if (request.method === 'POST') {
      const body = await readBodyWithin(request, MAX_TRPC_BODY_BYTES);
      if (!body) return payloadTooLarge();
      request = new Request(request.url, { method: 'POST', headers: request.headers, body });
    }
    return fetchRequestHandler({
      endpoint: '/trpc',
      req: request,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, resHeaders }) =>
        createContext({
          orm: deps.orm,
          req,
          resHeaders,
          ip: clientIp(c, deps.trustProxy),
          rateLimiter: deps.rateLimiter,
          credentialCache: deps.credentialCache,
        }),
      // Unexpected errors are logged, with the reference the caller sees, by the router's error
      // formatter (packages/api/src/trpc.ts), so no handler here.
    });
  });
}

/** Shaped like a tRPC error (superjson envelope) so the typed client reports it as one. */
function payloadTooLarge() {
  const message = `The request body is larger than ${MAX_TRPC_BODY_BYTES / 1024 / 1024} MB.`;
  return Response.json(
    { error: { json: { message, code: -32600, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } } },
    { status: 413, headers: { connection: 'close' } },
  );
}
