import { TRPCClientError } from '@chatsynth/client';
import { parseCommand } from '../args';
import { configPath, forgetLogin, readSavedLogin } from '../config';
import { apiClient } from '../connection';
import { CliError, describeError, networkErrorCode } from '../errors';
import { COMMANDS } from '../usage';

export async function logoutCommand(args: string[]): Promise<number> {
  const parsed = parseCommand('logout', args, {}, { min: 0, max: 0 });
  if (!parsed) {
    process.stdout.write(`${COMMANDS.logout}\n`);
    return 0;
  }
  const path = configPath();
  const saved = await readSavedLogin(path);
  if (!saved) {
    process.stderr.write(`Not logged in (nothing saved in ${path}).\n`);
    warnAboutEnvironment();
    return 0;
  }
  if (saved.tokenId) {
    try {
      await apiClient(saved.url, saved.token).apiTokens.revoke.mutate({ id: saved.tokenId });
    } catch (error) {
      const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
      // A token the server no longer takes (revoked, expired, or the user gone) needs no revoking.
      if (code !== 'UNAUTHORIZED' && code !== 'NOT_FOUND') {
        const reason = describeError(error, saved.url).message;
        const hint = networkErrorCode(error) ? ` Run \`chatsynth logout\` again once it is reachable, or delete ${path} to forget the token unrevoked.` : '';
        throw new CliError(`The token was not revoked, so it is still saved: ${reason}${hint}`);
      }
    }
  } else {
    process.stderr.write(`The saved login has no token id, so the token could not be revoked: revoke it in the web app.\n`);
  }
  await forgetLogin(path);
  process.stderr.write(`Logged out of ${saved.url}.\n`);
  warnAboutEnvironment();
  return 0;
}

function warnAboutEnvironment() {
  if (process.env.CHATSYNTH_TOKEN) process.stderr.write('CHATSYNTH_TOKEN is still set in your environment.\n');
}
