// A large export streams: memory follows one conversation, not the file.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { readExport } from '../src/index';
import { tempDir } from './helpers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const temp = tempDir();
afterAll(temp.cleanup);

const MB = 1024 * 1024;
const paragraph = 'Streaming keeps one conversation in memory at a time, whatever the size of the export. '.repeat(12);

function conversation(index: number): string {
  const mapping: Record<string, unknown> = { root: { id: 'root', message: null, parent: null, children: ['m0'] } };
  let parent = 'root';
  for (let i = 0; i < 20; i += 1) {
    const id = `m${i}`;
    mapping[id] = {
      id,
      message: {
        id,
        author: { role: i % 2 === 0 ? 'user' : 'assistant', name: null, metadata: {} },
        create_time: 1_700_000_000 + index * 100 + i,
        update_time: null,
        content: { content_type: 'text', parts: [`${index}/${i} ${paragraph}`] },
        status: 'finished_successfully',
        end_turn: i % 2 === 1,
        weight: 1,
        metadata: { model_slug: i % 2 === 1 ? 'gpt-4o' : undefined },
        recipient: 'all',
      },
      parent,
      children: i < 19 ? [`m${i + 1}`] : [],
    };
    parent = id;
  }
  return JSON.stringify({ title: `Conversation ${index}`, create_time: 1_700_000_000 + index * 100, update_time: null, mapping, current_node: parent, conversation_id: `conv-${index}`, id: `conv-${index}`, default_model_slug: 'gpt-4o' });
}

describe('streaming a large ChatGPT export', () => {
  it('reads ~60 MB with heap growth far below the file size', { timeout: 120_000 }, async () => {
    const path = temp.file('conversations.json');
    const fd = openSync(path, 'w');
    let count = 0;
    let written = 0;
    writeSync(fd, '[\n');
    while (written < 60 * MB) {
      const chunk = `${count === 0 ? '' : ',\n'}${conversation(count)}`;
      writeSync(fd, chunk);
      written += Buffer.byteLength(chunk);
      count += 1;
    }
    writeSync(fd, '\n]\n');
    closeSync(fd);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(60 * MB);

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let retainedPeak = 0;
    let seen = 0;
    let messages = 0;
    let lastProgress = 0;
    for await (const item of readExport(path, { onProgress: (bytes) => (lastProgress = bytes) })) {
      expect(item.kind).toBe('conversation');
      if (item.kind !== 'conversation') continue;
      seen += 1;
      messages += item.conversation.messages.length;
      if (seen % 250 === 0) {
        // Measure what stays alive while streaming (after a collection), not garbage awaiting one.
        gc();
        retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(seen).toBe(count);
    expect(messages).toBe(count * 20);
    expect(lastProgress).toBe(size);
    expect(retainedPeak).toBeLessThan(40 * MB);
  });
});
