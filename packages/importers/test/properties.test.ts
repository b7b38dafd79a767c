// Invariants of every per-conversation parser: garbage never throws (nor trips the last-resort
// catch), output is always canonical, and no generated message disappears without a problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conversationStats,
  htmlToText,
  parseChatGPTConversation,
  parseChatSynthLog,
  parseClaudeConversation,
  parseGeminiActivity,
  parseLibreChatConversation,
  parseMarkdownTranscript,
  parseOpenAIConversation,
  parseOpenWebUIChat,
  PART_TYPES,
  ROLES,
  type CanonicalConversation,
} from '../src/index';
import { labelTurn, markupTurn } from '../src/formats/markdown';
import { UNEXPECTED_ERROR } from '../src/values';
import { fixtureJson } from './helpers';

const RUNS = { numRuns: 300 };

function expectCanonical(c: CanonicalConversation): void {
  expect(typeof c.title).toBe('string');
  expect(Array.from(c.title).length).toBeLessThanOrEqual(500);
  for (const time of [c.createdAt, c.updatedAt]) if (time !== null) expect(new Date(time).toISOString()).toBe(time);
  for (const m of c.messages) {
    expect(ROLES).toContain(m.role);
    expect(typeof m.content).toBe('string');
    if (m.createdAt !== undefined) expect(new Date(m.createdAt).toISOString()).toBe(m.createdAt);
    for (const part of m.parts ?? []) expect(PART_TYPES).toContain(part.type);
  }
  for (const p of c.problems) {
    expect(typeof p.reason).toBe('string');
    expect(p.reason).not.toContain(UNEXPECTED_ERROR);
  }
  // The library computes stats from whatever was imported; that must hold too.
  const stats = conversationStats(c);
  expect(stats.messageCount).toBe(c.messages.length);
  expect(Array.from(stats.summary).length).toBeLessThanOrEqual(280);
}

const parsers: Array<[string, (raw: unknown) => CanonicalConversation]> = [
  ['chatgpt', parseChatGPTConversation],
  ['claude', parseClaudeConversation],
  ['openwebui', parseOpenWebUIChat],
  ['librechat', parseLibreChatConversation],
  ['openai', parseOpenAIConversation],
  ['chatsynth', parseChatSynthLog],
];

const fixtures: Record<string, unknown[]> = {
  chatgpt: [...(fixtureJson('chatgpt', 'conversations.json') as unknown[]), ...(fixtureJson('chatgpt', 'citations.json') as unknown[])],
  claude: [...(fixtureJson('claude', 'conversations.json') as unknown[]), ...(fixtureJson('claude', 'conversations-2024.json') as unknown[])],
  openwebui: [...(fixtureJson('open-webui', 'chat-export-1717000000000.json') as unknown[]), ...(fixtureJson('open-webui', 'chat-export-1759834905000.json') as unknown[])],
  librechat: [fixtureJson('librechat', 'flat.json'), ...(fixtureJson('librechat', 'recursive.json') as unknown[]), fixtureJson('librechat', 'agents.json')],
  openai: [fixtureJson('openai', 'conversation.json'), fixtureJson('openai', 'bare-messages.json'), fixtureJson('openai', 'search-audio-refusal.json')],
  chatsynth: [
    {
      id: 'log-1',
      source: 'chatgpt',
      externalId: null,
      title: 't',
      summary: null,
      content: { messages: [{ role: 'user', content: 'hi', parts: [{ type: 'code', text: 'x' }] }, { role: 'assistant', content: 'yo' }] },
      metadata: {},
      tags: ['a'],
      annotations: [{ content: 'n', messageIndex: 0, quote: null, start: null, end: null, createdAt: '2025-01-01T00:00:00.000Z' }],
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      startedAt: null,
    },
  ],
};

/** Every path into a value (bounded), so a mutation can hit any field of a real-shaped export. */
function pathsOf(value: unknown, limit = 2000): Array<Array<string | number>> {
  const result: Array<Array<string | number>> = [];
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0 && result.length < limit) {
    const item = stack.pop();
    if (item === undefined) break;
    if (item.path.length > 0) result.push(item.path);
    if (Array.isArray(item.value)) item.value.forEach((v, i) => stack.push({ value: v, path: [...item.path, i] }));
    else if (typeof item.value === 'object' && item.value !== null) {
      for (const [k, v] of Object.entries(item.value)) stack.push({ value: v, path: [...item.path, k] });
    }
  }
  return result;
}

function mutate(original: unknown, edits: Array<{ at: number; remove: boolean; value: unknown }>): unknown {
  const copy = structuredClone(original);
  const paths = pathsOf(copy);
  for (const edit of edits) {
    const path = paths[edit.at % Math.max(paths.length, 1)];
    if (path === undefined) continue;
    let parent: unknown = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[key];
    if (typeof parent !== 'object' || parent === null) continue;
    const last = path[path.length - 1] as string | number;
    if (edit.remove) delete (parent as Record<string | number, unknown>)[last];
    else (parent as Record<string | number, unknown>)[last] = edit.value;
  }
  return copy;
}

const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.boolean(), value: fc.oneof(fc.anything(), fc.jsonValue()) }), { minLength: 1, maxLength: 6 });

describe.each(parsers)('%s parser never throws', (name, parse) => {
  it('on arbitrary values', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (raw) => expectCanonical(parse(raw))), RUNS);
  });
  it('on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (raw) => expectCanonical(parse(raw))), RUNS);
  });
  it('on mutated real-shaped conversations', () => {
    const originals = fixtures[name] ?? [];
    fc.assert(
      fc.property(fc.constantFrom(...originals), edits, (original, change) => expectCanonical(parse(mutate(original, change)))),
      RUNS,
    );
  });
});

describe('whole-file and text parsers never throw', () => {
  it('Gemini activity on arbitrary values and mutated rows', () => {
    const english = fixtureJson('gemini', 'Takeout', 'My Activity', 'Gemini Apps', 'MyActivity.json');
    const japanese = fixtureJson('gemini', 'ja', 'MyActivity.json');
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), edits.map((e) => mutate(english, e)), edits.map((e) => mutate(japanese, e))), (raw) => {
        const result = parseGeminiActivity(raw);
        result.conversations.forEach(expectCanonical);
        for (const p of result.problems) expect(p.reason).not.toContain(UNEXPECTED_ERROR);
      }),
      RUNS,
    );
  });
  it('Markdown and HTML on arbitrary text', () => {
    const markdownish = fc.array(fc.oneof(fc.string(), fc.constantFrom('## User', '## Assistant', '**You:** hi', '```', '~~~~', '# Title', '---')), { maxLength: 30 }).map((lines) => lines.join('\n'));
    fc.assert(fc.property(fc.oneof(fc.string(), markdownish), (text) => expectCanonical(parseMarkdownTranscript(text))), RUNS);
    const htmlish = fc.array(fc.oneof(fc.string(), fc.constantFrom('<p>', '</p>', '<pre>', '</pre>', '<ul>', '<li>', '</ul>', '<a href="https://x">', '</a>', '&amp;', '&#x110000;', '<script>', '<!--')), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), htmlish), (html) => {
        const text = htmlToText(html);
        expect(text).not.toMatch(/<(p|pre|ul|li|a|script)\b[^>]*>/);
      }),
      RUNS,
    );
  });
});

// Well-formed generated conversations: each visible message lands in `messages`, a branch, or a problem.
const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
const turn = fc.record({ role: fc.constantFrom('user', 'assistant'), text, hidden: fc.boolean(), time: fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }) });

describe('no message disappears without a problem', () => {
  it('ChatGPT: a chain with hidden system nodes and extra branches', () => {
    fc.assert(
      fc.property(fc.array(turn, { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(fc.nat(), text), { maxLength: 5 }), (turns, extra) => {
        const mapping: Record<string, unknown> = { root: { id: 'root', message: null, parent: null, children: [] } };
        let parent = 'root';
        turns.forEach((t, i) => {
          const id = `n${i}`;
          const message = t.hidden
            ? { id, author: { role: 'system', name: null, metadata: {} }, create_time: t.time, content: { content_type: 'text', parts: [t.text] }, metadata: { is_visually_hidden_from_conversation: true }, recipient: 'all' }
            : { id, author: { role: t.role, name: null, metadata: {} }, create_time: t.time, content: { content_type: 'text', parts: [t.text] }, metadata: {}, recipient: 'all' };
          mapping[id] = { id, message, parent, children: [] };
          parent = id;
        });
        extra.forEach(([at, body], i) => {
          const id = `x${i}`;
          const forkParent = `n${at % turns.length}`;
          mapping[id] = { id, message: { id, author: { role: 'user', name: null, metadata: {} }, create_time: 1, content: { content_type: 'text', parts: [body] }, metadata: {}, recipient: 'all' }, parent: forkParent, children: [] };
        });
        const c = parseChatGPTConversation({ title: 't', mapping, current_node: parent, conversation_id: 'c' });
        expectCanonical(c);
        const visible = turns.filter((t) => !t.hidden).length;
        const hidden = turns.length - visible;
        const branchMessages = ((c.metadata.branches as Array<{ messages: unknown[] }> | undefined) ?? []).reduce((n, b) => n + b.messages.length, 0);
        expect(c.messages.length).toBe(visible);
        expect((c.metadata.skipped as { hidden?: number } | undefined)?.hidden ?? 0).toBe(hidden);
        expect(branchMessages).toBe(extra.length);
        expect(c.problems).toEqual([]);
      }),
      RUNS,
    );
  });

  it('ChatGPT: no citation marker survives in the text, explained or not, and every explained source is a part', () => {
    const marker = fc.oneof(
      fc.nat({ max: 9 }).map((n) => ({ text: `\ue200cite\ue202turn0search${n}\ue201`, url: `https://example.com/${n}` })),
      fc.nat({ max: 9 }).map((n) => ({ text: `【${n}†source】`, url: `https://example.org/${n}` })),
      fc.constantFrom({ text: '\ue203', url: null }, { text: '\ue204\ue206', url: null }, { text: '\ue200entity\ue202["x","Name"]\ue201', url: null }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), marker, fc.boolean()), { maxLength: 8 }), fc.string(), (pieces, tail) => {
        let body = '';
        const references: unknown[] = [];
        const citations: unknown[] = [];
        for (const [words, m, explained] of pieces) {
          body += words;
          if (explained && m.url !== null) {
            if (m.text.startsWith('【')) citations.push({ start_ix: body.length, end_ix: body.length + m.text.length, metadata: { type: 'webpage', url: m.url, title: 't' } });
            else references.push({ type: 'grouped_webpages', matched_text: m.text, start_idx: body.length, end_idx: body.length + m.text.length, items: [{ url: m.url, title: 't' }] });
          }
          body += m.text;
        }
        body += tail;
        const mapping = {
          root: { id: 'root', message: null, parent: null, children: ['a'] },
          a: { id: 'a', parent: 'root', children: [], message: { id: 'a', author: { role: 'assistant' }, content: { content_type: 'text', parts: [body] }, metadata: { content_references: references, citations }, recipient: 'all' } },
        };
        const c = parseChatGPTConversation({ title: 't', mapping, current_node: 'a', conversation_id: 'c' });
        expectCanonical(c);
        const text = c.messages[0]?.content ?? '';
        // fc.string() is printable ASCII, so every marker in the text is one this test put there.
        expect(text).not.toMatch(/[\ue200-\ue206]|【\d/);
        const urls = new Set((c.messages[0]?.parts ?? []).map((p) => p.url));
        for (const [, m, explained] of pieces) if (explained && m.url !== null) expect(urls.has(m.url)).toBe(true);
      }),
      RUNS,
    );
  });

  const roleOrJunk = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('user', 'assistant', 'system') }, { weight: 1, arbitrary: fc.constantFrom('robot', 'narrator', '') });
  const flatMessages = fc.array(fc.record({ role: roleOrJunk, text }), { maxLength: 30 });
  const countCheck = (c: CanonicalConversation, total: number) => {
    expectCanonical(c);
    expect(c.messages.length + c.problems.length).toBe(total);
  };

  it('OpenAI, Open WebUI and ChatSynth: every message or a problem naming it', () => {
    fc.assert(
      fc.property(flatMessages, (messages) => {
        countCheck(parseOpenAIConversation({ messages: messages.map((m) => ({ role: m.role, content: m.text })) }), messages.length);
        countCheck(parseOpenWebUIChat({ id: 'w', chat: { messages: messages.map((m, i) => ({ id: `m${i}`, role: m.role, content: m.text })) } }), messages.length);
        countCheck(parseChatSynthLog({ id: 's', content: { messages: messages.map((m) => ({ role: m.role, content: m.text })) } }), messages.length);
      }),
      RUNS,
    );
  });

  it('Open WebUI output[]: every item becomes text, a part or a problem', () => {
    const item = fc.oneof(
      text.map((t) => ({ kind: 'text', raw: { type: 'message', content: [{ type: 'output_text', text: t }] } })),
      text.map((t) => ({ kind: 'part', raw: { type: 'reasoning', summary: [{ type: 'summary_text', text: t }] } })),
      fc.tuple(text, fc.jsonValue()).map(([name, args]) => ({ kind: 'part', raw: { type: 'function_call', call_id: name, name, arguments: JSON.stringify(args) } })),
      text.map((t) => ({ kind: 'part', raw: { type: 'function_call_output', call_id: t, output: [{ type: 'input_text', text: t }] } })),
      text.map((t) => ({ kind: 'part', raw: { type: 'open_webui:code_interpreter', code: t, lang: 'python' } })),
      fc.string().map((t) => ({ kind: 'problem', raw: { type: `open_webui:${t}x`, id: t } })),
      fc.oneof(fc.string(), fc.integer(), fc.constant(null)).map((raw) => ({ kind: 'problem', raw })),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        const c = parseOpenWebUIChat({
          id: 'w',
          chat: { history: { currentId: 'a', messages: { q: { id: 'q', role: 'user', content: 'q' }, a: { id: 'a', parentId: 'q', role: 'assistant', content: '', output: items.map((i) => i.raw) } } } },
        });
        expectCanonical(c);
        const answer = c.messages[1];
        expect(answer?.parts?.length ?? 0).toBe(items.filter((i) => i.kind === 'part').length);
        expect(c.problems.length).toBe(items.filter((i) => i.kind === 'problem').length);
        for (const i of items) {
          if (i.kind === 'text') expect(answer?.content).toContain((i.raw as { content: Array<{ text: string }> }).content[0]?.text.trim());
        }
      }),
      RUNS,
    );
  });

  it('Claude and LibreChat chains with parent links', () => {
    fc.assert(
      fc.property(flatMessages, (messages) => {
        const claude = parseClaudeConversation({
          uuid: 'c',
          name: 'n',
          chat_messages: messages.map((m, i) => ({
            uuid: `u${i}`,
            sender: m.role === 'user' ? 'human' : m.role === 'assistant' ? 'assistant' : m.role,
            text: m.text,
            content: [{ type: 'text', text: m.text }],
            created_at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
            parent_message_uuid: i === 0 ? '00000000-0000-4000-8000-000000000000' : `u${i - 1}`,
          })),
        });
        countCheck(claude, messages.length);
        const libre = parseLibreChatConversation({
          conversationId: 'l',
          messages: messages.map((m, i) => ({
            messageId: `l${i}`,
            parentMessageId: i === 0 ? '00000000-0000-0000-0000-000000000000' : `l${i - 1}`,
            isCreatedByUser: m.role === 'user',
            text: m.text,
            createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
          })),
        });
        expectCanonical(libre);
        expect(libre.messages.length).toBe(messages.length);
      }),
      RUNS,
    );
  });

  it('Claude without parent links: turns come out in time order whatever order the file lists them in', () => {
    fc.assert(
      fc.property(flatMessages, fc.array(fc.nat()), (messages, swaps) => {
        const items = messages.map((m, i) => ({
          uuid: `u${i}`,
          sender: m.role === 'user' ? 'human' : m.role,
          text: m.text,
          created_at: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
        }));
        for (const [k, swap] of items.length > 0 ? swaps.entries() : []) {
          const a = k % items.length;
          const b = swap % items.length;
          [items[a], items[b]] = [items[b] as (typeof items)[number], items[a] as (typeof items)[number]];
        }
        const c = parseClaudeConversation({ uuid: 'c', name: 'n', chat_messages: items });
        expectCanonical(c);
        const kept = messages.map((m, i) => ({ ...m, id: `u${i}` })).filter((m) => ['user', 'assistant', 'system'].includes(m.role));
        expect(c.messages.map((m) => m.id)).toEqual(kept.map((m) => m.id));
        expect(c.messages.length + c.problems.length).toBe(messages.length);
      }),
      RUNS,
    );
  });

  it('Gemini: every row, in any language, is a message, an action kept with its conversation, or counted', () => {
    const row = fc.record({
      header: fc.constantFrom('Gemini Apps', 'Gemini アプリ', 'Gemini-Apps', 'Applications Gemini'),
      title: fc.oneof(
        text.map((t) => `Prompted ${t.trim()}`),
        text.map((t) => `送信したメッセージ: ${t.trim()}`),
        fc.constantFrom('Selected preferred draft', 'Gave feedback: Good response', 'Created Gemini Canvas titled Plan', 'Used an Assistant feature'),
      ),
      conversation: fc.option(fc.constantFrom('3f9a1c2b7d4e5f60', 'a1b2c3d4e5f60718'), { nil: undefined }),
      answered: fc.boolean(),
      minute: fc.nat({ max: 59 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const raw = rows.map((r) => ({
          header: r.header,
          title: r.title,
          ...(r.conversation === undefined ? {} : { titleUrl: `https://gemini.google.com/app/c/${r.conversation}` }),
          time: new Date(Date.UTC(2025, 0, 1, 0, r.minute)).toISOString(),
          products: [r.header],
          ...(r.answered ? { safeHtmlItem: [{ html: '<p>answer</p>' }] } : {}),
        }));
        const result = parseGeminiActivity(raw);
        result.conversations.forEach(expectCanonical);
        const messages = result.conversations.flatMap((c) => c.messages);
        const said = messages.filter((m) => m.role === 'user').length;
        const answeredActions = messages.filter((m) => m.metadata?.activity !== undefined).length;
        const kept = result.conversations.reduce((n, c) => n + ((c.metadata.activities as unknown[] | undefined)?.length ?? 0), 0);
        const skipped = result.problems.reduce((n, p) => n + Number(/^(\d+) Gemini activity rows were actions/.exec(p.reason)?.[1] ?? 0), 0);
        expect(result.ignoredRows).toBe(0);
        expect(said + answeredActions + kept + skipped).toBe(rows.length);
        const actions = ['Selected preferred draft', 'Gave feedback: Good response', 'Created Gemini Canvas titled Plan', 'Used an Assistant feature'];
        expect(messages.some((m) => m.role === 'user' && actions.includes(m.content))).toBe(false);
      }),
      RUNS,
    );
  });

  it('Markdown as pasted: every line that is not a speaker marker lands in a message', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom('## User', '## Assistant', '**You:** hi', 'User: hello', 'You said:', 'ChatGPT said:', 'Assistant: ```', '```', '~~~~', '# Title', '---', 'Model: x', '    User: code'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.join('\n');
        const c = parseMarkdownTranscript(text, { preamble: 'message' });
        expectCanonical(c);
        expect(c.problems).toEqual([]);
        for (const l of text.split(/\r\n?|\n/)) {
          if (l.trim() === '' || markupTurn(l) !== undefined || labelTurn(l) !== undefined || /^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(l)) continue;
          expect(c.messages.some((m) => m.content.includes(l.trimEnd()))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('Markdown: every plain label outside a fence becomes a message when there is no markup', () => {
    const body = text.map((s) => s.replace(/[#*`~_:-]/g, 'x'));
    fc.assert(
      fc.property(fc.array(fc.record({ label: fc.constantFrom('User:', 'assistant:', 'You said:', 'ChatGPT said:', 'Human:', 'AI:'), body, fenced: fc.boolean() }), { minLength: 1, maxLength: 15 }), (turns) => {
        const doc = turns.map((t) => `${t.label} ${t.body}${t.fenced ? '\n```\nUser: quoted\n```' : ''}`).join('\n');
        const c = parseMarkdownTranscript(doc);
        expectCanonical(c);
        expect(c.messages.length).toBe(turns.length);
      }),
      RUNS,
    );
  });

  it('Markdown: every turn marker outside a fence becomes a message', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ role: fc.constantFrom('User', 'Assistant', 'ChatGPT', 'Claude', 'System'), body: text.map((s) => s.replace(/[#*`~_-]/g, 'x')), fenced: fc.boolean() }), { minLength: 1, maxLength: 15 }), (turns) => {
        const doc = turns.map((t) => `## ${t.role}\n\n${t.fenced ? '```\n## User\n```\n' : ''}${t.body}`).join('\n\n');
        const c = parseMarkdownTranscript(`# Title\n\n${doc}`);
        expectCanonical(c);
        expect(c.messages.length).toBe(turns.length);
      }),
      RUNS,
    );
  });
});
