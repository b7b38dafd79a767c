// docs/api.md is the API's reference, so it must list exactly the procedures the router has. Its
// "## Procedures" section holds an index table (`| \`name\` | kind | access | … |`) and one
// `### \`name\`` entry per procedure; only those two forms are read here, so HTTP paths, field names
// and error codes written in backticks elsewhere in the file are never taken for procedures.
// No database: this reads the router's definition, not its behaviour.
import { readFileSync } from 'node:fs';
import type { AnyProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../src';
import { protectedProcedure } from '../src/trpc';
import {
  MAX_SUGGESTIONS,
  maxEdits,
  MIN_SUGGESTED_WORD_LENGTH,
  MIN_TRIGRAM_SIMILARITY,
  SIMILAR_CANDIDATES,
  SUGGEST_BELOW_HITS,
} from '../src/services/search-suggestions';

const API_DOC = new URL('../../../docs/api.md', import.meta.url);

type Access = 'public' | 'signed in';
type Documented = { name: string; kind: string; access: string };

/** Every procedure of the router by its dotted path, as a client calls it (tRPC 11 flattens them in `_def.procedures`). */
function routerProcedures(): Map<string, { kind: AnyProcedure['_def']['type']; access: Access }> {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  const signedIn = protectedProcedure._def.middlewares;
  const found = new Map<string, { kind: AnyProcedure['_def']['type']; access: Access }>();
  for (const [path, procedure] of Object.entries(procedures)) {
    // A procedure built on protectedProcedure runs its middlewares first, the very same functions.
    const middlewares = (procedure._def as { middlewares?: unknown[] }).middlewares ?? [];
    const access: Access = signedIn.every((m) => middlewares.includes(m)) ? 'signed in' : 'public';
    found.set(path, { kind: procedure._def.type, access });
  }
  return found;
}

/** The lines of the `## <title>` section, up to the next level-2 heading. */
function section(markdown: string, title: string): string[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `## ${title}`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const INDEX_ROW = /^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|/;
const ENTRY = /^###\s+`([^`]+)`\s*$/;

/** The procedure index (the table before the first entry) and the entries of docs/api.md. */
function documentedProcedures(markdown: string): { index: Documented[]; entries: string[] } {
  const lines = section(markdown, 'Procedures');
  const firstEntry = lines.findIndex((line) => /^### /.test(line));
  const index = (firstEntry < 0 ? lines : lines.slice(0, firstEntry)).flatMap((line) => {
    const row = INDEX_ROW.exec(line);
    return row ? [{ name: row[1]!, kind: row[2]!, access: row[3]! }] : [];
  });
  const entries = lines.flatMap((line) => {
    const entry = ENTRY.exec(line);
    return entry ? [entry[1]!] : [];
  });
  return { index, entries };
}

const quoted = (names: Iterable<string>) => [...names].map((name) => `\`${name}\``);

const duplicates = (names: string[]) => names.filter((name, i) => names.indexOf(name) !== i);

describe('docs/api.md', () => {
  const router = routerProcedures();
  const { index, entries } = documentedProcedures(readFileSync(API_DOC, 'utf8'));
  const indexed = new Set(index.map((row) => row.name));
  const described = new Set(entries);

  it('reads the router and the document (neither walk came back empty)', () => {
    // Guards the test itself: a change in tRPC's internals or in the document's layout must not make
    // every check below pass over nothing.
    expect(router.get('health')).toEqual({ kind: 'query', access: 'public' });
    expect(router.get('auth.sessions.list')).toEqual({ kind: 'query', access: 'signed in' });
    expect(index.length).toBeGreaterThan(0);
    expect(entries.length).toBeGreaterThan(0);
  });

  it('documents every procedure of the router, in the index and with an entry', () => {
    const undocumented = {
      'procedures without a row in the index': quoted([...router.keys()].filter((name) => !indexed.has(name))),
      'procedures without a "### `name`" entry': quoted([...router.keys()].filter((name) => !described.has(name))),
    };
    expect(undocumented).toEqual({ 'procedures without a row in the index': [], 'procedures without a "### `name`" entry': [] });
  });

  it('documents no procedure the router no longer has', () => {
    const stale = {
      'index rows naming no procedure': quoted([...indexed].filter((name) => !router.has(name))),
      'entries naming no procedure': quoted([...described].filter((name) => !router.has(name))),
    };
    expect(stale).toEqual({ 'index rows naming no procedure': [], 'entries naming no procedure': [] });
  });

  it('lists each procedure once', () => {
    const repeated = { 'repeated index rows': quoted(duplicates(index.map((row) => row.name))), 'repeated entries': quoted(duplicates(entries)) };
    expect(repeated).toEqual({ 'repeated index rows': [], 'repeated entries': [] });
  });

  it('gives each procedure the kind and access the router gives it', () => {
    const wrong = index.flatMap((row) => {
      const actual = router.get(row.name);
      if (!actual || (actual.kind === row.kind && actual.access === row.access)) return [];
      return [`\`${row.name}\` is documented as ${row.kind}, ${row.access}; the router has ${actual.kind}, ${actual.access}`];
    });
    expect(wrong).toEqual([]);
  });
});

describe('docs/api.md on search suggestions', () => {
  const markdown = readFileSync(API_DOC, 'utf8');
  const lines = section(markdown, 'Procedures');
  const start = lines.findIndex((line) => line.trim() === '### `chatlogs.search`');
  const end = lines.findIndex((line, i) => i > start && /^### /.test(line));
  // One paragraph per bullet, line breaks read as spaces.
  const entry = lines.slice(start, end).join(' ').replace(/\s+/g, ' ');

  it('gives the response its suggestions field and the bounds the code keeps', () => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(entry).toContain('suggestions: { query: string, words: { from: string, to: string }[] }[]');
    expect(entry).toContain(`fewer than ${SUGGEST_BELOW_HITS} hits`);
    expect(entry).toContain(`At most ${MAX_SUGGESTIONS} suggestions`);
    expect(entry).toContain(`words of ${MIN_SUGGESTED_WORD_LENGTH} or more letters`);
    expect(entry).toContain(`within ${maxEdits(5)} edit of the typed word for words of up to 5 letters, ${maxEdits(6)} edits for longer ones`);
    expect(entry).toContain(`the ${SIMILAR_CANDIDATES} words most similar by trigrams (pg_trgm similarity at least ${MIN_TRIGRAM_SIMILARITY})`);
  });
});
