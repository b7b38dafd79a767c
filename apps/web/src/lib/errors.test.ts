import { describe, expect, it } from 'vitest';
import { fieldMessage } from './errors';
import { safeNextPath } from './next-path';

describe('fieldMessage', () => {
  it('puts the field name before messages written to follow it', () => {
    expect(fieldMessage('Username', 'must be at least 3 characters')).toBe('Username must be at least 3 characters');
    expect(fieldMessage('Username', 'may hold letters')).toBe('Username may hold letters');
  });
  it('leaves other messages as sentences of their own', () => {
    expect(fieldMessage('Tags', 'a tag must be at most 64 characters')).toBe('A tag must be at most 64 characters');
    expect(fieldMessage('Tags', 'Invalid input')).toBe('Invalid input');
  });
});

describe('safeNextPath', () => {
  it('keeps paths on this site and refuses anything else', () => {
    expect(safeNextPath('/chats/new?x=1')).toBe('/chats/new?x=1');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath('')).toBe('/');
    expect(safeNextPath('//evil.example/')).toBe('/');
    expect(safeNextPath('/\\evil.example/')).toBe('/');
    expect(safeNextPath('https://evil.example/')).toBe('/');
    expect(safeNextPath('javascript:alert(1)')).toBe('/');
  });
});
