import { parseArgs, type ParseArgsConfig } from 'node:util';
import { API_TOKEN_SCOPES, canonicalScopes, isApiTokenScope, type ApiTokenScope } from '@chatsynth/api/scopes';
import { UsageError } from './errors';
import { COMMANDS, type CommandName } from './usage';

type Options = NonNullable<ParseArgsConfig['options']>;
type ParsedCommand<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/**
 * A command's options and positionals, strictly: an unknown option, a missing value or a wrong number
 * of arguments is a UsageError carrying the command's usage. Returns null for --help.
 */
export function parseCommand<O extends Options>(
  command: CommandName,
  args: string[],
  options: O,
  positionals: { min: number; max: number },
): ParsedCommand<O> | null {
  if (args.includes('--help') || args.includes('-h')) return null;
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'), COMMANDS[command]);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError(`chatsynth ${command}: missing argument.`, COMMANDS[command]);
  if (count > positionals.max) {
    throw new UsageError(`chatsynth ${command}: unexpected argument "${parsed.positionals[positionals.max]}".`, COMMANDS[command]);
  }
  return parsed;
}

export function parseLimit(command: CommandName, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--limit must be a whole number of at least 1, not "${value}".`, COMMANDS[command]);
  }
  return n;
}

export function parseChoice<T extends string>(command: CommandName, option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be one of ${choices.join(', ')}, not "${value}".`, COMMANDS[command]);
  }
  return value as T;
}

/**
 * `--scopes read,import`: the scopes a new API token asks for, once each, in the server's order; every
 * scope when the option is left out. An unknown name or an empty list is a UsageError.
 */
export function parseScopes(command: CommandName, value: string | undefined): ApiTokenScope[] {
  if (value === undefined) return [...API_TOKEN_SCOPES];
  const names = value.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = names.find((name) => !isApiTokenScope(name));
  if (unknown !== undefined || names.length === 0) {
    const why = unknown !== undefined ? `not "${unknown.slice(0, 50)}"` : 'at least one';
    throw new UsageError(`--scopes takes ${API_TOKEN_SCOPES.join(', ')}, separated by commas: ${why}.`, COMMANDS[command]);
  }
  return canonicalScopes(names.filter(isApiTokenScope));
}
