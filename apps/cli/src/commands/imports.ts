import { parseCommand } from '../args';
import { connect, type Connection } from '../connection';
import { followImport } from '../follow-import';
import { exitCodeOf, formatImportReport, isFinished } from '../import-report';
import { ImportProgress } from '../progress';
import { formatDate, formatTable } from '../table';
import { COMMANDS } from '../usage';

/** The API gives imports a page of at most this many at a time, newest first. */
const PAGE = 100;

/** Every import of the caller's, newest first, page after page (each after the last import's id). */
async function allImports(connection: Connection) {
  const jobs = [];
  let cursor: { id: string } | null = null;
  for (;;) {
    const page = await connection.api.imports.list.query({ limit: PAGE, cursor });
    jobs.push(...page);
    if (page.length < PAGE) return jobs;
    cursor = { id: page[page.length - 1]!.id };
  }
}

export async function importsCommand(args: string[]): Promise<number> {
  const parsed = parseCommand('imports', args, { wait: { type: 'boolean' }, json: { type: 'boolean' } }, { min: 0, max: 1 });
  if (!parsed) {
    process.stdout.write(`${COMMANDS.imports}\n`);
    return 0;
  }
  const connection = await connect();
  const id = parsed.positionals[0];
  if (!id) {
    const jobs = await allImports(connection);
    if (parsed.values.json) process.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
    else if (!jobs.length) process.stderr.write('No imports yet: `chatsynth import <file>` starts one.\n');
    else {
      const table = formatTable(jobs, [
        { header: 'ID', value: (j) => j.id },
        { header: 'STATUS', value: (j) => j.status },
        { header: 'FORMAT', value: (j) => j.format ?? '' },
        { header: 'CONVERSATIONS', value: (j) => String(j.counts.conversations), align: 'right' },
        { header: 'FAILED', value: (j) => String(j.counts.failed), align: 'right' },
        { header: 'STARTED', value: (j) => formatDate(j.createdAt) },
        { header: 'FILE', value: (j) => j.filename, maxWidth: 60 },
      ]);
      process.stdout.write(`${table}\n`);
    }
    return 0;
  }
  let job = await connection.api.imports.get.query({ id });
  if (parsed.values.wait && !isFinished(job)) job = await followImport(connection, id, new ImportProgress(job.filename));
  process.stdout.write(parsed.values.json ? `${JSON.stringify(job, null, 2)}\n` : `${formatImportReport(job)}\n`);
  return exitCodeOf(job);
}
