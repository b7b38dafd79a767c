import { API_TOKEN_SCOPES } from '@chatsynth/api/scopes';
import { IMPORT_FORMATS } from '@chatsynth/importers/canonical';
import { describe, expect, it } from 'vitest';
import { parseScopes } from '../src/args';
import { UsageError } from '../src/errors';
import { COMMANDS, IMPORT_FORMAT_CHOICES } from '../src/usage';

describe('import --format', () => {
  it('takes every format the server reads, and auto', () => {
    expect([...IMPORT_FORMAT_CHOICES].sort()).toEqual(['auto', ...IMPORT_FORMATS].sort());
  });

  it('lists them in the help', () => {
    expect(COMMANDS.import).toContain(`--format <format>   ${['auto', ...IMPORT_FORMATS].join(' | ')} (default: auto`);
  });
});

describe('login --scopes', () => {
  it('lists every scope an API token can have in the help', () => {
    expect(COMMANDS.login).toContain('[--scopes <list>]');
    expect(COMMANDS.login).toContain(`--scopes <list>     what the token may do, comma-separated: ${API_TOKEN_SCOPES.join(', ')} (default: all)`);
  });

  it('asks for every scope when left out, and for the named ones once each, in the server\'s order', () => {
    expect(parseScopes('login', undefined)).toEqual([...API_TOKEN_SCOPES]);
    expect(parseScopes('login', 'read,import')).toEqual(['read', 'import']);
    expect(parseScopes('login', 'import, READ,import,')).toEqual(['read', 'import']);
    expect(parseScopes('login', 'write')).toEqual(['write']);
  });

  it('refuses an unknown scope or none, with the usage', () => {
    for (const [value, message] of [
      ['read,admin', '--scopes takes read, write, import, separated by commas: not "admin".'],
      ['', '--scopes takes read, write, import, separated by commas: at least one.'],
      [' , ', '--scopes takes read, write, import, separated by commas: at least one.'],
    ] as const) {
      const error = (() => {
        try {
          parseScopes('login', value);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ message, usage: COMMANDS.login });
    }
  });
});
