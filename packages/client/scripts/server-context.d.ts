// What the client's types see of packages/api's request context (src/context.ts): nothing. The context
// holds the server's database handle and session, which no caller ever gets, and inlining its types
// would drag the ORM into the client's declarations. See bundle-types.ts.
export type ContextInner = object;
