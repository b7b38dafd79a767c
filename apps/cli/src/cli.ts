#!/usr/bin/env node
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { importsCommand } from './commands/imports';
import { listCommand } from './commands/list';
import { loginCommand } from './commands/login';
import { logoutCommand } from './commands/logout';
import { searchCommand } from './commands/search';
import { CLI_VERSION } from './connection';
import { describeError, UsageError } from './errors';
import { COMMANDS, isCommand, MAIN_USAGE, type CommandName } from './usage';

const RUN: Record<CommandName, (args: string[]) => Promise<number>> = {
  login: loginCommand,
  logout: logoutCommand,
  import: importCommand,
  imports: importsCommand,
  list: listCommand,
  search: searchCommand,
  export: exportCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) throw new UsageError('chatsynth: a command is needed.', MAIN_USAGE);
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${MAIN_USAGE}\n`);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${CLI_VERSION}\n`);
    return 0;
  }
  if (command === 'help') {
    const topic = args[0];
    if (topic === undefined) process.stdout.write(`${MAIN_USAGE}\n`);
    else if (isCommand(topic)) process.stdout.write(`${COMMANDS[topic]}\n`);
    else throw new UsageError(`chatsynth: unknown command "${topic}".`, MAIN_USAGE);
    return 0;
  }
  if (command.startsWith('-')) throw new UsageError(`chatsynth: unknown option "${command}".`, MAIN_USAGE);
  if (!isCommand(command)) throw new UsageError(`chatsynth: unknown command "${command}".`, MAIN_USAGE);
  return RUN[command](args);
}

// A reader that goes away (`chatsynth list | head`) is no error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const failure = describeError(error);
    process.stderr.write(`chatsynth: ${failure.message.replace(/^chatsynth: /, '')}\n`);
    if (failure instanceof UsageError) process.stderr.write(`\n${failure.usage}\n`);
    if (process.env.CHATSYNTH_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = failure.exitCode;
  },
);
