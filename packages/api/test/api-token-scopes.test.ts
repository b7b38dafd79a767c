import { API_TOKEN_PREFIX, issueToken } from '@chatsynth/auth';
import { query } from '@chatsynth/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../src/schemas/api-token-scopes';
import { codeOf, createHarness, sampleContent, type Caller, type Harness } from './harness';

// Every procedure of the router, read from the router itself: a procedure added later is walked too.
type ProcedureType = 'query' | 'mutation' | 'subscription';
// (`_def.procedures` is flat at run time, keyed by dotted path; its type is the nested record.)
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>).map(
  ([path, procedure]) => ({ path, type: procedure._def.type }),
);
const mutations = procedures.filter((p) => p.type === 'mutation');
const reads = procedures.filter((p) => p.type !== 'mutation');

/** Need no sign-in, so no scope (docs/api.md); every other procedure refuses an anonymous caller. */
const PUBLIC = ['health', 'auth.signUp', 'auth.signIn', 'auth.me'];
/** The documented exception: an import-only token follows its imports. */
const IMPORT_READERS = ['imports.list', 'imports.get', 'imports.onProgress'];

/** Calls the procedure at `path` with `input`; the code it ends with, or 'OK'. An opened stream is closed. */
async function call(caller: Caller, path: string, input: unknown = {}): Promise<string> {
  let target: unknown = caller;
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key];
  try {
    const result = await (target as (input: unknown) => Promise<unknown>)(input);
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
      await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    }
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe('API token scopes', () => {
  let h: Harness;
  let owner: Awaited<ReturnType<Harness['signUp']>>;
  const tokens = {} as Record<'read' | 'write' | 'import' | 'all', { caller: Caller; id: string; token: string }>;

  async function tokenWith(scopes?: ApiTokenScope[]) {
    const created = await owner.caller.apiTokens.create({ name: `scopes ${scopes?.join('+') ?? 'default'}`, scopes });
    return { caller: h.callerWith(created.token), id: created.id, token: created.token, created };
  }

  beforeAll(async () => {
    h = await createHarness();
    owner = await h.signUp('scoper');
    tokens.read = await tokenWith(['read']);
    tokens.write = await tokenWith(['write']);
    tokens.import = await tokenWith(['import']);
    tokens.all = await tokenWith();
  });
  afterAll(async () => h?.close());

  it('walks a router with procedures of every kind', () => {
    expect(mutations.length).toBeGreaterThan(10);
    expect(reads.some((p) => p.type === 'subscription')).toBe(true);
    for (const path of [...PUBLIC, ...IMPORT_READERS]) expect(procedures.map((p) => p.path)).toContain(path);
  });

  it('lists exactly the public procedures as public: every other one refuses an anonymous caller', async () => {
    for (const { path } of procedures.filter((p) => !PUBLIC.includes(p.path))) {
      expect([path, await call(h.anonymous, path)]).toEqual([path, 'UNAUTHORIZED']);
    }
  });

  it('refuses every mutation to a token without write, before reading its input', async () => {
    for (const { path } of mutations.filter((p) => !PUBLIC.includes(p.path))) {
      for (const scope of ['read', 'import'] as const) {
        expect([path, scope, await call(tokens[scope].caller, path)]).toEqual([path, scope, 'FORBIDDEN']);
      }
    }
    const error = await tokens.read.caller.chatlogs.create({ source: 'api', content: sampleContent() }).catch((e: TRPCError) => e);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'This API token lacks the write scope.' });
  });

  it('refuses every query and subscription to a token without read', async () => {
    for (const { path } of reads.filter((p) => !PUBLIC.includes(p.path))) {
      expect([path, await call(tokens.write.caller, path)]).toEqual([path, 'FORBIDDEN']);
    }
    const error = await tokens.write.caller.chatlogs.list({}).catch((e: TRPCError) => e);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'This API token lacks the read scope.' });
    const imports = await tokens.write.caller.imports.list().catch((e: TRPCError) => e);
    expect(imports).toMatchObject({ code: 'FORBIDDEN', message: 'This API token lacks the read or import scope.' });
  });

  it('lets an import-only token read its imports and nothing else', async () => {
    for (const { path } of reads.filter((p) => !PUBLIC.includes(p.path))) {
      const code = await call(tokens.import.caller, path);
      if (IMPORT_READERS.includes(path)) expect([path, code]).not.toEqual([path, 'FORBIDDEN']);
      else expect([path, code]).toEqual([path, 'FORBIDDEN']);
    }
    await expect(tokens.import.caller.imports.list()).resolves.toEqual([]);
  });

  it('lets each scope do what it names, and a session everything', async () => {
    // Not refused for scope: the input `{}` is then the procedure's to judge (often BAD_REQUEST).
    for (const { path } of reads.filter((p) => !PUBLIC.includes(p.path))) {
      for (const caller of [tokens.read.caller, tokens.all.caller, owner.caller]) expect([path, await call(caller, path)]).not.toContain('FORBIDDEN');
    }
    for (const { path } of mutations.filter((p) => !PUBLIC.includes(p.path) && p.path !== 'auth.signOut')) {
      for (const caller of [tokens.write.caller, tokens.all.caller, owner.caller]) expect([path, await call(caller, path)]).not.toContain('FORBIDDEN');
    }
    const log = await tokens.write.caller.chatlogs.create({ source: 'api', title: 'By a write token', content: sampleContent() });
    expect((await tokens.read.caller.chatlogs.get({ id: log.id })).title).toBe('By a write token');
  });

  it('gives a new token every scope by default, folds duplicates, and lists each token with its scopes', async () => {
    const made = await owner.caller.apiTokens.create({ name: 'plain' });
    expect(made.scopes).toEqual([...API_TOKEN_SCOPES]);
    const folded = await owner.caller.apiTokens.create({ name: 'folded', scopes: ['import', 'read', 'import'] });
    expect(folded.scopes).toEqual(['read', 'import']);
    const listed = await owner.caller.apiTokens.list();
    expect(listed.find((t) => t.id === made.id)?.scopes).toEqual(['read', 'write', 'import']);
    expect(listed.find((t) => t.id === folded.id)?.scopes).toEqual(['read', 'import']);
    expect(listed.find((t) => t.id === tokens.write.id)?.scopes).toEqual(['write']);
  });

  it('refuses an empty or unknown scope with BAD_REQUEST under the field', async () => {
    for (const scopes of [[], ['admin'], ['read', 'Read'], Array(17).fill('read')]) {
      const error = await owner.caller.apiTokens.create({ name: 'bad', scopes: scopes as never }).catch((e: TRPCError) => e);
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect((await owner.caller.apiTokens.list()).some((t) => t.name === 'bad')).toBe(false);
  });

  it('lets a token give a new token only scopes it has itself', async () => {
    const readWrite = await tokenWith(['read', 'write']);
    const error = await readWrite.caller.apiTokens.create({ name: 'wider', scopes: ['read', 'import'] }).catch((e: TRPCError) => e);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/lacks the import scope/) });
    // Left out, the scopes are all three: more than this token has.
    expect(await codeOf(readWrite.caller.apiTokens.create({ name: 'default' }))).toBe('FORBIDDEN');
    await expect(readWrite.caller.apiTokens.create({ name: 'narrower', scopes: ['read'] })).resolves.toMatchObject({ scopes: ['read'] });
    const writeOnly = await tokens.write.caller.apiTokens.create({ name: 'same', scopes: ['write'] });
    expect(writeOnly.scopes).toEqual(['write']);
    expect((await owner.caller.apiTokens.list()).some((t) => t.name === 'wider' || t.name === 'default')).toBe(false);
  });

  it('lets a token without write revoke itself, and nothing else', async () => {
    const reader = await tokenWith(['read']);
    const other = await tokenWith(['read']);
    expect(await codeOf(reader.caller.apiTokens.revoke({ id: other.id }))).toBe('FORBIDDEN');
    expect(await codeOf(reader.caller.apiTokens.revoke({ id: reader.id, extra: 1 } as never))).toBe('BAD_REQUEST');
    await expect(reader.caller.apiTokens.revoke({ id: reader.id })).resolves.toEqual({ ok: true });
    expect(await codeOf(reader.caller.chatlogs.list({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(other.caller.chatlogs.list({}))).toBe('OK');
    const importer = await tokenWith(['import']);
    await expect(importer.caller.apiTokens.revoke({ id: importer.id })).resolves.toEqual({ ok: true });
  });
});

describe('API tokens made before scopes existed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('keep every scope', async () => {
    const { user } = await h.signUp('veteran');
    // The database as it was before the scopes migration, with a token made then.
    const migrations = await h.db.orm.migrator.getExecuted();
    const scopesMigration = migrations.findIndex((m) => m.name === 'Migration20261206081138ApiTokenScopes');
    expect(scopesMigration).toBeGreaterThan(0);
    await h.db.orm.migrator.down({ to: migrations[scopesMigration - 1]!.name });
    const columns = await query(h.db.orm.em.fork())
      .selectFrom('information_schema.columns' as never)
      .select('column_name' as never)
      .where('table_name' as never, '=', 'api_tokens' as never)
      .execute();
    expect(columns.map((c) => (c as { column_name: string }).column_name)).not.toContain('scopes');
    const issued = issueToken(API_TOKEN_PREFIX);
    await query(h.db.orm.em.fork())
      .insertInto('api_tokens')
      .values({ id: issued.id, user_id: user.id, name: 'old cli', secret_hash: issued.secretHash, created_at: new Date() } as never)
      .execute();
    await h.db.orm.migrator.up();

    const old = h.callerWith(issued.token);
    expect((await old.chatlogs.create({ source: 'api', content: sampleContent() })).version).toBe(1);
    expect((await old.chatlogs.list({})).items).toHaveLength(1);
    await expect(old.imports.list()).resolves.toEqual([]);
    expect((await old.apiTokens.list()).find((t) => t.id === issued.id)?.scopes).toEqual([...API_TOKEN_SCOPES]);
  });
});
