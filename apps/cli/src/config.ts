import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './errors';

/** What `chatsynth login` saves: the server and a personal API token for it. */
export type SavedLogin = {
  url: string;
  token: string;
  /** The token's id, so `chatsynth logout` can revoke it. */
  tokenId?: string;
  username?: string;
};

/** `$CHATSYNTH_CONFIG`, else `$XDG_CONFIG_HOME/chatsynth/config.json`, else `~/.config/chatsynth/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHATSYNTH_CONFIG) return env.CHATSYNTH_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'chatsynth', 'config.json');
}

export async function readSavedLogin(path = configPath()): Promise<SavedLogin | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON: fix it or delete it and run \`chatsynth login\` again.`);
  }
  const login = value as Partial<SavedLogin> | null;
  if (!login || typeof login.url !== 'string' || typeof login.token !== 'string') {
    throw new CliError(`${path} has no "url" and "token": delete it and run \`chatsynth login\` again.`);
  }
  return {
    url: login.url,
    token: login.token,
    ...(typeof login.tokenId === 'string' ? { tokenId: login.tokenId } : {}),
    ...(typeof login.username === 'string' ? { username: login.username } : {}),
  };
}

/**
 * Writes the login readable by its owner only (0600, in a 0700 folder), through a temporary file and
 * a rename, so a crash never leaves half a file and the token is never readable by others, even briefly.
 */
export async function saveLogin(login: SavedLogin, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`Cannot save the login to ${path}: ${(error as Error).message}`);
  }
}

export async function forgetLogin(path = configPath()): Promise<void> {
  await rm(path, { force: true });
}

export type Credentials = { url: string; token: string | null };

/**
 * The saved login, with `CHATSYNTH_URL` and `CHATSYNTH_TOKEN` taking precedence over the file. The saved
 * token goes only to the server it was made for: with another CHATSYNTH_URL and no CHATSYNTH_TOKEN
 * there is no token.
 */
export async function currentCredentials(env: NodeJS.ProcessEnv = process.env): Promise<Credentials | null> {
  const saved = env.CHATSYNTH_URL && env.CHATSYNTH_TOKEN ? null : await readSavedLogin(configPath(env));
  const url = env.CHATSYNTH_URL ? normaliseUrl(env.CHATSYNTH_URL) : saved ? normaliseUrl(saved.url) : null;
  if (!url) return null;
  const savedToken = saved && normaliseUrl(saved.url) === url ? saved.token : null;
  return { url, token: env.CHATSYNTH_TOKEN || savedToken };
}

/** The server's base URL, checked: http(s), no trailing slash. */
export function normaliseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.includes('://') ? input : `http://${input}`);
  } catch {
    throw new CliError(`"${input}" is not a URL: give the server's address, e.g. https://chatsynth.example.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`"${input}" is not an http:// or https:// URL.`);
  }
  return url.toString().replace(/\/+$/, '');
}
