import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readExport } from '../src/index';
import { collect, conversationsOf, fixturePath, problemsOf, tempDir } from './helpers';

const temp = tempDir();
afterAll(temp.cleanup);

describe('truncated and corrupt JSON', () => {
  const full = readFileSync(fixturePath('chatgpt', 'conversations.json'), 'utf8');

  it('yields every conversation before the cut, then a problem saying where it broke', async () => {
    // Cut inside the fifth conversation.
    const cut = full.indexOf('"title": "Corrupted tree"') + 10;
    const path = temp.file('truncated.json', full.slice(0, cut));
    const items = await collect(path);
    expect(conversationsOf(items).map((c) => c.title)).toEqual(['Capital cities', 'Sales analysis and a chart', 'Remind me how voice mode works.', 'Lost its pointer']);
    const last = items.at(-1);
    expect(last?.kind).toBe('problem');
    expect(problemsOf(items).at(-1)?.reason).toMatch(/^truncated\.json breaks off near byte \d+ after 4 complete entries/);
  });

  it('stops at corrupt bytes in the middle with the same kind of problem', async () => {
    const at = full.indexOf('"title": "Lost its pointer"');
    const path = temp.file('corrupt.json', `${full.slice(0, at)}@@@${full.slice(at)}`);
    const items = await collect(path);
    expect(conversationsOf(items)).toHaveLength(3);
    expect(problemsOf(items).at(-1)?.reason).toMatch(new RegExp(`near byte ${Buffer.byteLength(full.slice(0, at))} after 3 complete entries`));
  });

  it('reports trailing garbage after a complete document', async () => {
    const path = temp.file('trailing.json', `${full}\n}}}`);
    const items = await collect(path);
    expect(conversationsOf(items)).toHaveLength(6);
    expect(problemsOf(items).at(-1)?.reason).toMatch(/breaks off/);
  });

  it('reports progress in bytes of the file and honours an abort signal', async () => {
    const path = fixturePath('chatgpt', 'conversations.json');
    const seen: number[] = [];
    await collect(path, { onProgress: (bytes) => seen.push(bytes) });
    expect(seen.at(-1)).toBe(Buffer.byteLength(full));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const controller = new AbortController();
    const taken: string[] = [];
    const run = async () => {
      for await (const item of readExport(path, { signal: controller.signal })) {
        if (item.kind === 'conversation') taken.push(item.conversation.title);
        controller.abort();
      }
    };
    await expect(run()).rejects.toThrow(/abort/i);
    expect(taken).toHaveLength(1);
  });
});
