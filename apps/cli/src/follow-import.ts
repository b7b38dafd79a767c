import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from './connection';
import { CliError, describeError, networkErrorCode } from './errors';
import { isFinished, type ImportJob } from './import-report';
import type { ImportProgress } from './progress';

const POLL_MS = 500;
const MAX_NETWORK_FAILURES = 10;

/**
 * Polls `imports.get` until the job ends, showing its progress. The job runs on the server whatever
 * happens here: Ctrl-C, or losing the connection, only stops the watching, and says how to resume it.
 */
export async function followImport(connection: Connection, importId: string, progress: ImportProgress): Promise<ImportJob> {
  const resume = `The import goes on on the server: \`chatsynth imports ${importId} --wait\` follows it again.`;
  const onInterrupt = () => {
    progress.clear();
    process.stderr.write(`\n${resume}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    let failures = 0;
    for (;;) {
      let job: ImportJob;
      try {
        job = await connection.api.imports.get.query({ id: importId });
        failures = 0;
      } catch (error) {
        if (!networkErrorCode(error) || ++failures > MAX_NETWORK_FAILURES) {
          progress.clear();
          const reason = describeError(error, connection.url).message;
          throw new CliError(networkErrorCode(error) ? `${reason} ${resume}` : reason);
        }
        await sleep(POLL_MS * Math.min(failures, 4));
        continue;
      }
      if (isFinished(job)) {
        progress.clear();
        return job;
      }
      progress.job(job);
      await sleep(POLL_MS);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
