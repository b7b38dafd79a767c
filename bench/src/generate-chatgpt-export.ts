import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { chatgptConversation } from '@chatsynth/importers/testing';

const WORDS =
  'the of and to in is that for it as with was on be by this are from at or an have not they which one you had word but what all were when we there can your use each how said she do their time if will way about many then them would write like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father'.split(
    ' ',
  );

/** A deterministic pseudo-random generator, so every run benchmarks the same file. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function sentence(next: () => number, words: number) {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(next() ** 2 * WORDS.length)]!);
  return `${out.join(' ')}.`;
}

/** Writes a ChatGPT `conversations.json` of at least `megabytes` MB; returns what it holds. */
export async function generateChatGPTExport(path: string, megabytes: number) {
  const next = random(42);
  const out = createWriteStream(path);
  let bytes = 0;
  let conversations = 0;
  let messages = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('[');
  while (bytes < megabytes * 1024 * 1024) {
    const turns = Array.from({ length: 5 + Math.floor(next() * 10) }, () => ({
      user: sentence(next, 10 + Math.floor(next() * 40)),
      assistant: Array.from({ length: 2 + Math.floor(next() * 6) }, () => sentence(next, 12 + Math.floor(next() * 20))).join(' '),
    }));
    const conversation = chatgptConversation({
      id: `bench-${conversations}`,
      title: sentence(next, 4).slice(0, -1),
      turns,
      createTime: 1_600_000_000 + conversations * 3_600,
    });
    await write(`${conversations ? ',' : ''}${JSON.stringify(conversation)}`);
    conversations += 1;
    messages += turns.length * 2;
  }
  await write(']');
  out.end();
  await once(out, 'finish');
  return { bytes, conversations, messages };
}
