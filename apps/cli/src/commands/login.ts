import { hostname } from 'node:os';
import { TRPCClientError } from '@chatsynth/client';
import { parseCommand, parseScopes } from '../args';
import { configPath, normaliseUrl, readSavedLogin, saveLogin } from '../config';
import { apiClient } from '../connection';
import { CliError, describeError, UsageError } from '../errors';
import { ask, askHidden, readStdin } from '../terminal';
import { COMMANDS } from '../usage';

export async function loginCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'login',
    args,
    { url: { type: 'string' }, username: { type: 'string' }, 'password-stdin': { type: 'boolean' }, scopes: { type: 'string' } },
    { min: 0, max: 0 },
  );
  if (!parsed) {
    process.stdout.write(`${COMMANDS.login}\n`);
    return 0;
  }
  const rawUrl = parsed.values.url ?? process.env.CHATSYNTH_URL;
  if (!rawUrl) throw new UsageError('chatsynth login: --url is needed (or CHATSYNTH_URL).', COMMANDS.login);
  const url = normaliseUrl(rawUrl);
  // Checked before the password is asked for: a typo costs nothing.
  const scopes = parseScopes('login', parsed.values.scopes);
  const fromStdin = parsed.values['password-stdin'] || !process.stdin.isTTY;
  let username = parsed.values.username?.trim();
  if (!username) {
    if (fromStdin) throw new UsageError('chatsynth login: --username is needed when the password comes from stdin.', COMMANDS.login);
    username = (await ask('Username or email: ')).trim();
    if (!username) throw new CliError('No username given.');
  }
  const password = fromStdin ? (await readStdin()).replace(/\r?\n$/, '') : await askHidden('Password: ');
  if (!password) throw new CliError(fromStdin ? 'No password on stdin.' : 'No password given.');
  if (new URL(url).protocol === 'http:' && !isLoopback(new URL(url).hostname)) {
    process.stderr.write(`Warning: ${url} is not https://, so the password and the token cross the network unencrypted.\n`);
  }

  const path = configPath();
  const previous = await readSavedLogin(path).catch(() => null);
  const anonymous = apiClient(url);
  let session;
  try {
    session = await anonymous.auth.signIn.mutate({ login: username, password });
  } catch (error) {
    // A wrong password is UNAUTHORIZED too: its message says so, without the "log in again" hint.
    if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code) throw new CliError(error.message);
    throw describeError(error, url);
  }
  // The session only serves to make a named, revocable API token; it is ended once the token exists.
  const signedIn = apiClient(url, session.token);
  const name = `cli@${hostname()}`.slice(0, 100);
  let granted;
  try {
    const apiToken = await signedIn.apiTokens.create.mutate({ name, scopes });
    granted = apiToken.scopes;
    await saveLogin({ url, token: apiToken.token, tokenId: apiToken.id, username: session.user.username }, path);
  } finally {
    await signedIn.auth.signOut.mutate().catch(() => {});
  }
  // Logging in again replaces the token saved for the same server: the old one is revoked, not left behind.
  if (previous?.tokenId && normaliseUrl(previous.url) === url) {
    await apiClient(url, previous.token)
      .apiTokens.revoke.mutate({ id: previous.tokenId })
      .catch(() => {});
  }
  process.stderr.write(
    `Logged in to ${url} as ${session.user.username}. The API token "${name}" (scopes: ${granted.join(', ')}) is saved in ${path}.\n`,
  );
  return 0;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}
