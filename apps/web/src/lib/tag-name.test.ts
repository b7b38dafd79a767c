import { normaliseTagName } from '@chatsynth/importers/canonical';
import { describe, expect, it } from 'vitest';

// The page shows a tag as the server will store it before the server answers, so the two must agree.
describe('normaliseTagName, as the tag editor and the tags page use it', () => {
  it('trims, lower-cases and collapses inner white space', () => {
    expect(normaliseTagName('  Machine \t  Learning\n')).toBe('machine learning');
  });

  it('composes accents (NFC), so a decomposed "Café" is the same tag as a composed one', () => {
    const decomposed = 'Cafe\u0301';
    expect(normaliseTagName(decomposed)).toBe('caf\u00e9');
    expect(normaliseTagName(decomposed)).toBe(normaliseTagName('CAF\u00c9'));
    expect(normaliseTagName(decomposed)).toHaveLength(4);
  });
});
