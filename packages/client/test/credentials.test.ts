import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer } from '@chatsynth/server/testing';
import { createChatSynthClient, TRPCClientError } from '../src/index';

// The built server reuses a signed-in caller for a few seconds (credential-cache.ts in the API);
// these check that nothing a user ends keeps working meanwhile, on this server or on another.
const password = 'correct horse battery';

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code ?? 'unknown';
    throw error;
  }
}

describe('signed-in callers on the built server', () => {
  let server: Awaited<ReturnType<typeof startBuiltServer>>;
  beforeAll(async () => {
    server = await startBuiltServer();
  });
  afterAll(async () => server?.dispose());

  it('refuses a session once it signed out, a token once revoked, the other sessions once the password changed', async () => {
    const url = server.url;
    const { token } = await createChatSynthClient({ url }).auth.signUp.mutate({ username: 'ending', email: 'ending@example.com', password });
    const main = createChatSynthClient({ url, token, batch: false });
    const { token: apiToken, id } = await main.apiTokens.create.mutate({ name: 'script' });
    const script = createChatSynthClient({ url, token: apiToken, batch: false });
    expect(await codeOf(script.chatlogs.list.query())).toBe('OK');
    await main.apiTokens.revoke.mutate({ id });
    expect(await codeOf(script.chatlogs.list.query())).toBe('UNAUTHORIZED');

    const { token: laptopToken } = await createChatSynthClient({ url }).auth.signIn.mutate({ login: 'ending', password });
    const laptop = createChatSynthClient({ url, token: laptopToken, batch: false });
    expect(await codeOf(laptop.chatlogs.list.query())).toBe('OK');
    await main.users.changePassword.mutate({ currentPassword: password, newPassword: 'a new horse battery' });
    expect(await codeOf(laptop.chatlogs.list.query())).toBe('UNAUTHORIZED');

    expect(await codeOf(main.chatlogs.list.query())).toBe('OK');
    await main.auth.signOut.mutate();
    expect(await codeOf(main.chatlogs.list.query())).toBe('UNAUTHORIZED');
  });

  it.runIf(process.env.DATABASE_URL)('refuses a session signed out on another server of the same database within a moment', async () => {
    const other = await startBuiltServer({ databaseUrl: server.databaseUrl! });
    try {
      const { token } = await createChatSynthClient({ url: server.url }).auth.signUp.mutate({
        username: 'twoservers',
        email: 'twoservers@example.com',
        password,
      });
      const here = createChatSynthClient({ url: server.url, token, batch: false });
      const there = createChatSynthClient({ url: other.url, token, batch: false });
      expect(await codeOf(there.chatlogs.list.query())).toBe('OK');
      await here.auth.signOut.mutate();
      // PostgreSQL tells the other server (NOTIFY): well before its cache would have let go.
      const start = Date.now();
      await expect.poll(() => codeOf(there.chatlogs.list.query()), { timeout: 2_000, interval: 20 }).toBe('UNAUTHORIZED');
      expect(Date.now() - start).toBeLessThan(2_000);
    } finally {
      await other.stop();
    }
  });
});
