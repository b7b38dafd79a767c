import { createInterface } from 'node:readline/promises';
import { CliError } from './errors';

/** Bold and dim for a terminal that shows them; plain text for pipes, files and NO_COLOR. */
export function stylesFor(stream: NodeJS.WriteStream) {
  const on = Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return {
    enabled: on,
    bold: (text: string) => (on ? `\x1b[1m${text}\x1b[22m` : text),
    dim: (text: string) => (on ? `\x1b[2m${text}\x1b[22m` : text),
  };
}

/** Asks a question on the terminal (the prompt on stderr, so stdout stays clean). */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

// Cursor keys, bracketed paste markers and other escape sequences: none of them is part of a password.
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])/g; // eslint-disable-line no-control-regex

/** Reads a line from the terminal without echoing it. Ctrl-C cancels (exit 130). */
export function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk.replace(ESCAPE_SEQUENCE, '')) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return resolve(value);
        }
        if (ch === '\u0003' || (ch === '\u0004' && !value)) {
          finish();
          return reject(new CliError('Cancelled.', 130));
        }
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

/** All of stdin as text, bounded: enough for a password, never a whole file by mistake. */
export async function readStdin(maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new CliError(`More than ${maxBytes / 1024} KB on stdin: expected only a password.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
