import { createChatSynthClient, type ChatSynthClient } from '@chatsynth/client';
import packageJson from '../package.json' with { type: 'json' };
import { currentCredentials } from './config';
import { CliError, networkErrorCode, unreachable } from './errors';

export const CLI_VERSION = packageJson.version;
export const USER_AGENT = `chatsynth-cli/${CLI_VERSION} node/${process.versions.node}`;

/** A signed-in connection: the typed API client and what raw HTTP calls (/api/…) need. */
export type Connection = { url: string; token: string; api: ChatSynthClient };

export function apiClient(url: string, token?: string): ChatSynthClient {
  // A failed connection becomes the error that names the server; tRPC keeps it as the cause.
  const fetchOrExplain: typeof fetch = async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      const code = networkErrorCode(error);
      throw code ? unreachable(url, code, error) : error;
    }
  };
  return createChatSynthClient({ url, token, fetch: fetchOrExplain, headers: { 'user-agent': USER_AGENT } });
}

/** The current login (saved file or environment), or a one-line error saying how to log in. */
export async function connect(): Promise<Connection> {
  const credentials = await currentCredentials();
  if (!credentials?.token) {
    throw new CliError('Not logged in: run `chatsynth login --url <server>`, or set CHATSYNTH_URL and CHATSYNTH_TOKEN.');
  }
  return { url: credentials.url, token: credentials.token, api: apiClient(credentials.url, credentials.token) };
}
