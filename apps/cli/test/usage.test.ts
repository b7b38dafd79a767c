import { IMPORT_FORMATS } from '@chatsynth/importers/canonical';
import { describe, expect, it } from 'vitest';
import { COMMANDS, IMPORT_FORMAT_CHOICES } from '../src/usage';

describe('import --format', () => {
  it('takes every format the server reads, and auto', () => {
    expect([...IMPORT_FORMAT_CHOICES].sort()).toEqual(['auto', ...IMPORT_FORMATS].sort());
  });

  it('lists them in the help', () => {
    expect(COMMANDS.import).toContain(`--format <format>   ${['auto', ...IMPORT_FORMATS].join(' | ')} (default: auto`);
  });
});
