import { API_TOKEN_SCOPES } from '@chatsynth/api/scopes';
import { IMPORT_FORMATS } from '@chatsynth/importers/canonical';

/** What `import --format` takes: the formats the server reads, or detection from the content. */
export const IMPORT_FORMAT_CHOICES = ['auto', ...IMPORT_FORMATS] as const;
export const EXPORT_FORMATS = ['json', 'markdown', 'openai'] as const;

export const COMMANDS = {
  login: `Usage: chatsynth login --url <server> [--username <name>] [--password-stdin] [--scopes <list>]

Signs in, creates a personal API token named cli@<hostname> and saves the server and the token to
$CHATSYNTH_CONFIG (default ~/.config/chatsynth/config.json, readable by you only). The password is
asked for without echo, or read from stdin when stdin is not a terminal.

Options:
  --url <server>      the server, e.g. https://chatsynth.example.com (default: $CHATSYNTH_URL)
  --username <name>   your username or email (asked for when omitted on a terminal)
  --password-stdin    read the password from stdin
  --scopes <list>     what the token may do, comma-separated: ${API_TOKEN_SCOPES.join(', ')} (default: all)
                      read: list, search, export; write: change chat logs; import: upload exports.
                      \`--scopes read,import\` makes a token that can import and read but change nothing`,

  logout: `Usage: chatsynth logout

Revokes the saved API token on the server and deletes the saved login.`,

  import: `Usage: chatsynth import <file> [--format <format>] [--no-wait] [--json]

Uploads an export (streamed, never read whole) and follows the import, with progress on stderr, to its
report: created, updated, unchanged and failed conversations, and every problem.
Exit status: 0 when the import succeeded, 1 when it failed, 2 when the server refused the file.

Options:
  --format <format>   ${IMPORT_FORMAT_CHOICES.join(' | ')} (default: auto, detected from the content)
  --no-wait           print the import's id once the file is uploaded, and exit
  --json              print the final report as JSON`,

  imports: `Usage: chatsynth imports [<id>] [--wait] [--json]

Lists your recent imports, or shows the report of one (following it to its end with --wait).`,

  list: `Usage: chatsynth list [--source <source>] [--tag <tag>]... [--limit <n>] [--json]

Lists your chat logs, most recently updated first.

Options:
  --source <source>   only logs from this source (chatgpt, claude, api, …)
  --tag <tag>         only logs with this tag; repeat for logs with all of them
  --limit <n>         at most n logs (default 50)
  --json              print the logs as JSON`,

  search: `Usage: chatsynth search <query> [--source <source>] [--tag <tag>]... [--limit <n>] [--json]

Searches your chat logs: "quoted phrases", -excluded words, a OR b. Matches are shown in bold
(in [brackets] when the output is not a terminal).

Options:
  --source <source>   only logs from this source
  --tag <tag>         only logs with this tag; repeat for logs with all of them
  --limit <n>         at most n hits (default 20)
  --json              print the hits as JSON`,

  export: `Usage: chatsynth export [--format json|markdown|openai] [-o <file.zip>]
       chatsynth export <id> [--format markdown|json|openai] [-o <file>]

Without an id, exports every chat log as a zip (streamed to the file; the default name is the
server's, in the current folder). With an id, exports that log (to stdout when there is no -o).

Options:
  --format <format>   json, markdown or openai (default: json for the zip, markdown for one log)
  -o, --output <path> the file to write (a folder: the server's file name in it; "-": stdout)`,
} as const;

export type CommandName = keyof typeof COMMANDS;

export const MAIN_USAGE = `Usage: chatsynth <command> [options]

Commands:
  login     sign in to a ChatSynth server and save an API token
  logout    revoke the saved token and forget it
  import    import an export file (ChatGPT, Claude, Gemini, Open WebUI, LibreChat, …)
  imports   list your imports, or show one's report
  list      list your chat logs
  search    search your chat logs
  export    export one chat log, or everything as a zip

Run \`chatsynth <command> --help\` for a command's options.

Environment:
  CHATSYNTH_URL, CHATSYNTH_TOKEN   the server and token to use, over the saved login
  CHATSYNTH_CONFIG                 where the login is saved (default ~/.config/chatsynth/config.json)`;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
