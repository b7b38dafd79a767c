import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { z, ZodError } from 'zod';
import type { ContextInner, Credential } from './context';
import type { ApiTokenScope } from './schemas/api-token-scopes';
import { changeFeed } from './services/change-feed';
import { exposeUnexpected } from './services/errors';
import { missingScope } from './services/token-scopes';
import { transformer } from './transformer';

/** What a procedure declares about itself, read by the middleware below. */
type ProcedureMeta = {
  /**
   * The scopes, any one of which lets an API token call this procedure, where the rule for its type
   * (a mutation needs `write`; a query or subscription, `read`) is not the one.
   */
  scopes?: readonly [ApiTokenScope, ...ApiTokenScope[]];
  /** An API token may call this with its own id (`{ id }`) whatever its scopes: revoking itself. */
  ownTokenAlways?: true;
};

const t = initTRPC.context<ContextInner>().meta<ProcedureMeta>().create({
  transformer,
  errorFormatter({ shape, error, path, type }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    // tRPC adds the stack in development; no caller ever gets one.
    const { stack: _stack, ...data } = shape.data;
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      // Not raised on purpose: its message may hold SQL and the caller's data. Logged with a reference,
      // which is all the caller sees (services/errors.ts).
      const exposed = exposeUnexpected(error.cause ?? error, { path, type });
      return {
        ...shape,
        message: exposed.message,
        code: TRPC_ERROR_CODES_BY_KEY[exposed.code],
        data: { ...data, code: exposed.code, httpStatus: getHTTPStatusCodeFromError(exposed), zodError: null },
      };
    }
    return {
      ...shape,
      // zod's own message is its issues as JSON; API clients and the CLI show the message as is.
      message: zodError ? describeIssues(zodError) : shape.message,
      data: {
        ...data,
        // Field errors reach the client flattened, so a form can show each under its field.
        zodError: zodError ? z.flattenError(zodError) : null,
      },
    };
  },
});

/** "Invalid input: username must be at least 3 characters; email: …", at most a few issues. */
function describeIssues(error: ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - shown.length;
  return `Invalid input: ${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}.`;
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/**
 * Needs a session or API token; handlers get a non-null `ctx.user`. An API token needs the scope the
 * procedure's type asks for (`write` for a mutation, `read` otherwise) or one its meta names, checked
 * here for every procedure and before the input is read; a session has every scope.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next, type, meta, getRawInput }) => {
  if (!ctx.user || !ctx.credential) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  }
  const user = ctx.user;
  const credential = ctx.credential;
  const refusal = missingScope(credential, meta?.scopes ?? [type === 'mutation' ? 'write' : 'read']);
  if (refusal && !(meta?.ownTokenAlways && (await namesOwnToken(credential, getRawInput)))) {
    throw new TRPCError({ code: 'FORBIDDEN', message: refusal });
  }
  try {
    const result = await next({ ctx: { ...ctx, user, credential } });
    // After the change committed: this process's subscriptions look at once (change-feed.ts).
    if (type === 'mutation' && result.ok) changeFeed.publish(user.id);
    return result;
  } finally {
    // Whatever a mutation changed (a session, a token, the profile), the next request reads it afresh.
    if (type === 'mutation') ctx.credentialCache?.forgetUser(user.id);
  }
});

/** Whether the call's input is `{ id }` of the API token making it. */
async function namesOwnToken(credential: Credential, getRawInput: () => Promise<unknown>): Promise<boolean> {
  if (credential.kind !== 'apiToken') return false;
  const input = await getRawInput();
  return typeof input === 'object' && input !== null && (input as { id?: unknown }).id === credential.tokenId;
}
