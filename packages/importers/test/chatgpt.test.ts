import { describe, expect, it } from 'vitest';
import { parseChatGPTConversation, type CanonicalConversation } from '../src/index';
import { collect, conversationsOf, fixtureJson, fixturePath, problemsOf } from './helpers';

const conversations = fixtureJson('chatgpt', 'conversations.json') as unknown[];
const parsed = (index: number): CanonicalConversation => parseChatGPTConversation(conversations[index]);

describe('parseChatGPTConversation', () => {
  it('follows current_node through an edited message and keeps the other branch in metadata', () => {
    const c = parsed(0);
    expect(c.externalId).toBe('6632a1b0-0000-8000-a000-000000000001');
    expect(c.title).toBe('Capital cities');
    expect(c.createdAt).toBe('2024-05-01T08:00:00.123Z');
    expect(c.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'What is the capital of Italy?'],
      ['assistant', 'Rome.'],
    ]);
    expect(c.problems).toEqual([]);
    const branches = c.metadata.branches as Array<{ forkAfter: string; afterMessageCount: number; leafId: string; messages: Array<{ content: string }> }>;
    expect(branches).toHaveLength(1);
    expect(branches[0]).toMatchObject({ forkAfter: 'custom-instr', afterMessageCount: 0, leafId: 'asst-paris' });
    expect(branches[0]?.messages.map((m) => m.content)).toEqual(['What is the capital of France?', 'Paris.']);
  });

  it('skips the hidden system node and keeps custom instructions as metadata, counting both', () => {
    const c = parsed(0);
    expect(c.metadata.skipped).toEqual({ hidden: 1, customInstructions: 1 });
    expect(c.metadata.customInstructions).toEqual({
      userProfile: 'The user provided the following information about themselves: I am a geography teacher.',
      userInstructions: 'The user provided the additional info about how they would like you to respond: Be brief.',
      aboutUser: 'I am a geography teacher.',
      aboutModel: 'Be brief.',
    });
  });

  it('takes the model from model_slug, falling back to default_model_slug', () => {
    const c = parsed(0);
    expect(c.messages[1]?.model).toBe('gpt-4o-mini');
    expect(c.metadata.defaultModelSlug).toBe('gpt-4o-mini');
    const second = parsed(1);
    expect(second.messages.find((m) => m.id === 'a1')?.model).toBe('o3');
  });

  it('maps uploads, thoughts, code, execution output, DALL-E images, browsing and citations', () => {
    const c = parsed(1);
    const byId = new Map(c.messages.map((m) => [m.id, m]));
    expect(c.messages.map((m) => m.id)).toEqual(['u1', 't1', 'r1', 'c1', 'e1', 'a1', 'u2', 'd1', 'd2', 'w2', 'w3', 'a2']);
    expect(c.metadata.skipped).toEqual({ toolInternal: 3 });
    expect(c.metadata.gizmoId).toBe('g-abc123');

    const upload = byId.get('u1');
    expect(upload?.content).toBe('Here is a screenshot of our sales table and the CSV. What is the total?');
    expect(upload?.parts).toEqual([
      { type: 'image', url: 'file-service://file-Upl0adedSales', size: 48213, metadata: { width: 800, height: 600 } },
      { type: 'attachment', id: 'file-Upl0adedSales', name: 'sales.png', size: 48213, mimeType: 'image/png' },
      { type: 'attachment', id: 'file-Csv123', name: 'sales.csv', size: 1024, mimeType: 'text/csv' },
    ]);

    expect(byId.get('t1')).toMatchObject({
      role: 'assistant',
      content: '',
      model: 'o3',
      parts: [{ type: 'thinking', title: 'Reading the CSV', text: 'I should load the CSV with pandas and sum the amount column.' }],
    });
    expect(byId.get('r1')?.parts).toEqual([{ type: 'thinking', text: 'Thought for 4 seconds', metadata: { recap: true } }]);

    const code = byId.get('c1');
    expect(code?.role).toBe('assistant');
    expect(code?.content).toContain("pd.read_csv('/mnt/data/sales.csv')");
    expect(code?.parts?.[0]).toMatchObject({ type: 'tool_call', name: 'python' });
    expect(code?.metadata).toMatchObject({ contentType: 'code', recipient: 'python' });

    expect(byId.get('e1')).toMatchObject({ role: 'tool', name: 'python', content: '12345.67', parts: [{ type: 'tool_result', name: 'python', output: '12345.67' }] });

    const dalleCall = byId.get('d1')?.parts?.[0];
    expect(dalleCall).toMatchObject({ type: 'tool_call', name: 'dalle.text2im', language: 'json', input: { prompt: 'A watercolor bar chart of monthly sales', size: '1024x1024' } });
    const image = byId.get('d2');
    expect(image).toMatchObject({ role: 'tool', name: 'dalle.text2im', content: '' });
    expect(image?.parts?.[0]).toMatchObject({ type: 'image', url: 'file-service://file-DaLLe0001', size: 392212 });
    expect((image?.parts?.[0]?.metadata?.dalle as { prompt: string }).prompt).toBe('A watercolor bar chart of monthly sales');

    expect(byId.get('w2')).toMatchObject({ role: 'tool', name: 'browser', parts: [{ type: 'tool_result', text: 'Search results for EUR USD' }] });
    expect(byId.get('w3')?.parts).toEqual([
      { type: 'citation', url: 'https://www.ecb.europa.eu/stats/eurofxref', title: 'Euro foreign exchange reference rates', text: '1 EUR = 1.0712 USD (reference rate)', metadata: { domain: 'www.ecb.europa.eu' } },
    ]);
    expect(byId.get('a2')?.parts).toEqual([
      { type: 'citation', url: 'https://www.ecb.europa.eu/stats/eurofxref', title: 'Euro foreign exchange reference rates', text: '1 EUR = 1.0712 USD', metadata: { start: 40, end: 58 } },
    ]);
  });

  it('handles null timestamps, voice parts, unknown content types and tool errors', () => {
    const c = parsed(2);
    expect(c.createdAt).toBeNull();
    expect(c.title).toBe('Remind me how voice mode works.');
    expect(c.metadata.titleFromFirstMessage).toBe(true);
    expect(c.messages.every((m) => m.createdAt === undefined)).toBe(true);
    const [voice, webpage, widget, error] = c.messages;
    expect(voice).toMatchObject({ role: 'user', content: 'Remind me how voice mode works.', parts: [{ type: 'attachment', url: 'sediment://file_00000000aaaa', size: 96000, mimeType: 'audio/wav' }] });
    expect(webpage).toMatchObject({ content: 'Voice mode lets you talk to ChatGPT.', parts: [{ type: 'citation', url: 'https://help.openai.com/voice', title: 'Voice mode FAQ', text: 'Voice mode lets you talk' }] });
    expect(widget).toMatchObject({ content: 'A widget we have never seen, with text.', metadata: { contentType: 'brand_new_widget' } });
    expect(error).toMatchObject({ role: 'tool', content: 'Error: the kernel died.', metadata: { error: 'tool_error' } });
    expect(c.messages).toHaveLength(4);
    expect(c.problems).toEqual([
      { conversation: '6632a1b0-0000-8000-a000-000000000003', reason: 'message v4: unsupported content type "opaque_blob" with no text' },
    ]);
  });

  it('imports the newest branch when current_node is missing or dangling, and says so', () => {
    const missing = parsed(3);
    expect(missing.messages.map((m) => m.content)).toEqual(['Hello?', 'Hi! How can I help?']);
    expect(missing.problems[0]?.reason).toMatch(/has no current_node/);
    const dangling = parsed(6);
    expect(dangling.messages.map((m) => m.content)).toEqual(['Still here']);
    expect(dangling.problems[0]?.reason).toMatch(/current_node deleted-node is not in the mapping/);
  });

  it('stops at a cycle in parent links with a problem instead of hanging', () => {
    const c = parsed(4);
    expect(c.messages.map((m) => m.content)).toEqual(['First', 'Second', 'Third']);
    expect(c.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/cycle/)]);
  });

  it('reports a conversation without a mapping as a problem', () => {
    const c = parsed(5);
    expect(c.messages).toEqual([]);
    expect(c.problems[0]?.reason).toMatch(/no message tree/);
    expect(c.problems[0]?.conversation).toBe('"No tree at all" (6632a1b0-0000-8000-a000-000000000006)');
  });

  it('bounds a very long title and notes it', () => {
    const raw = structuredClone(conversations[3]) as Record<string, unknown>;
    raw.title = 'x'.repeat(2000);
    raw.current_node = 'm2';
    const c = parseChatGPTConversation(raw);
    expect(Array.from(c.title)).toHaveLength(500);
    expect(c.title.endsWith('…')).toBe(true);
    expect(c.metadata.titleTruncated).toEqual({ originalLength: 2000 });
  });
});

describe('ChatGPT citations', () => {
  const cited = fixtureJson('chatgpt', 'citations.json') as unknown[];

  it('replaces search markers (\\ue200cite…\\ue201) with numbered references and keeps each source as a citation part', () => {
    const c = parseChatGPTConversation(cited[0]);
    const answer = c.messages.find((m) => m.id === 'a1');
    expect(answer?.content).toBe("Berlin's Museum Island holds five museums. [1][2] The Pergamonmuseum is closed for renovation until 2027 🏛️. [3]\n\nNeues Museum houses the bust of Nefertiti.");
    expect(answer?.content).not.toMatch(/[\ue200-\ue206]/);
    expect(answer?.parts).toEqual([
      {
        type: 'citation',
        url: 'https://www.visitberlin.de/en/museum-island?utm_source=chatgpt.com',
        title: 'Museum Island | visitBerlin.de',
        text: 'Five world-renowned museums on a UNESCO World Heritage site.',
        metadata: { ref: 1, attribution: 'visitBerlin' },
      },
      {
        type: 'citation',
        url: 'https://de.wikipedia.org/wiki/Museumsinsel_(Berlin)?utm_source=chatgpt.com',
        title: 'Museumsinsel (Berlin) – Wikipedia',
        text: 'Die Museumsinsel ist die nördliche Spitze der Spreeinsel.',
        metadata: { ref: 2, attribution: 'Wikipedia', supporting: true },
      },
      {
        type: 'citation',
        url: 'https://www.smb.museum/en/museums-institutions/pergamonmuseum/home/?utm_source=chatgpt.com',
        title: 'Pergamonmuseum – Staatliche Museen zu Berlin',
        text: 'The north wing and the hall with the Pergamon Altar are closed until 2027.',
        metadata: { ref: 3, attribution: 'smb.museum', pubDate: '2024-06-01T00:00:00.000Z' },
      },
      {
        type: 'image',
        url: 'https://upload.wikimedia.org/wikipedia/commons/4/4e/Neues_Museum_Berlin.jpg',
        title: 'Neues Museum, Berlin',
        metadata: { page: 'https://commons.wikimedia.org/wiki/File:Neues_Museum_Berlin.jpg', attribution: 'Wikimedia Commons', width: 1280, height: 853 },
      },
      {
        type: 'image',
        url: 'https://www.smb.museum/fileadmin/nefertiti.jpg',
        title: 'Bust of Nefertiti',
        metadata: { page: 'https://www.smb.museum/en/nefertiti', attribution: 'smb.museum', width: 800, height: 1000 },
      },
      { type: 'citation', url: 'https://www.berlin.de/en/museums/?utm_source=chatgpt.com', title: 'Berlin museums guide', metadata: { ref: 4, attribution: 'berlin.de' } },
    ]);
    expect(answer?.metadata).toBeUndefined();
    expect(c.problems).toEqual([]);
  });

  it('replaces 【n†source】 and 【m:n†file】 markers with numbered references, and removes (and counts) those nothing explains', () => {
    const c = parseChatGPTConversation(cited[1]);
    const [, browse, , files] = c.messages;
    expect(browse?.content).toBe('The Eiffel Tower is 330 m tall[1] and was finished in 1889[2]. The top floor opened to the public later.');
    expect(browse?.parts).toEqual([
      { type: 'citation', url: 'https://www.toureiffel.paris/en/the-monument/key-figures', title: 'Eiffel Tower – Official website', metadata: { ref: 1 } },
      { type: 'citation', url: 'https://en.wikipedia.org/wiki/Eiffel_Tower', title: 'Eiffel Tower - Wikipedia', metadata: { ref: 2 } },
    ]);
    expect(browse?.metadata).toEqual({ unresolvedCitations: 1 });
    expect(files?.content).toBe('Your handbook gives 25 days of annual leave[1], plus public holidays[2].');
    expect(files?.parts).toEqual([
      { type: 'citation', title: 'Employee Handbook 2024.pdf', text: 'Full-time employees receive 25 days of paid annual leave.', metadata: { ref: 1, fileId: 'file-7Hq2Lm9Xw3Rt' } },
      { type: 'citation', title: 'Employee Handbook 2024.pdf', text: 'Public holidays are in addition to annual leave.', metadata: { ref: 2, fileId: 'file-7Hq2Lm9Xw3Rt' } },
    ]);
  });
});

describe('ChatGPT parts that were dropped before', () => {
  it('keeps the frames of a video call and the screenshots of agent mode as image parts', () => {
    const message = (id: string, role: string, content: unknown, name: string | null = null) => ({
      id,
      author: { role, name, metadata: {} },
      create_time: 1750000000,
      content,
      status: 'finished_successfully',
      metadata: {},
      recipient: 'all',
    });
    const frame = (n: number) => ({ content_type: 'image_asset_pointer', asset_pointer: `sediment://file_frame${n}`, size_bytes: 40_000, width: 512, height: 384, fovea: null, metadata: null });
    const c = parseChatGPTConversation({
      title: 'Video and agent',
      conversation_id: 'c-video',
      current_node: 'op',
      mapping: {
        root: { id: 'root', message: null, parent: null, children: ['v'] },
        v: {
          id: 'v',
          parent: 'root',
          children: ['op'],
          message: message('v', 'user', {
            content_type: 'multimodal_text',
            parts: [
              { content_type: 'audio_transcription', text: 'What is this plant?', direction: 'in' },
              {
                content_type: 'real_time_user_audio_video_asset_pointer',
                audio_asset_pointer: { content_type: 'audio_asset_pointer', asset_pointer: 'sediment://file_audio1', size_bytes: 96_000, format: 'wav' },
                video_container_asset_pointer: null,
                frames_asset_pointers: [frame(1), frame(2)],
                expiry_datetime: '2025-07-01T00:00:00Z',
              },
            ],
          }),
        },
        op: {
          id: 'op',
          parent: 'v',
          children: [],
          message: message(
            'op',
            'tool',
            {
              content_type: 'computer_output',
              computer_id: '1',
              screenshot: { content_type: 'image_asset_pointer', asset_pointer: 'sediment://file_screen1', size_bytes: 180_000, width: 1024, height: 768 },
              tether_id: null,
              state: { type: 'browser_state', id: 's1', url: 'https://www.rhs.org.uk/plants', title: 'RHS Plant Finder' },
              is_ephemeral: null,
            },
            'computer',
          ),
        },
      },
    });
    expect(c.messages[0]?.content).toBe('What is this plant?');
    expect(c.messages[0]?.parts?.map((p) => [p.type, p.url])).toEqual([
      ['attachment', 'sediment://file_audio1'],
      ['image', 'sediment://file_frame1'],
      ['image', 'sediment://file_frame2'],
    ]);
    expect(c.messages[1]).toMatchObject({
      role: 'tool',
      name: 'computer',
      parts: [{ type: 'image', url: 'sediment://file_screen1', size: 180_000, metadata: { width: 1024, height: 768 } }],
      metadata: { contentType: 'computer_output', pageUrl: 'https://www.rhs.org.uk/plants', pageTitle: 'RHS Plant Finder' },
    });
    expect(c.problems).toEqual([]);
  });
});

describe('readExport on a ChatGPT conversations.json', () => {
  it('streams every conversation and turns the unusable one into a problem item', async () => {
    const items = await collect(fixturePath('chatgpt', 'conversations.json'));
    const conversations = conversationsOf(items);
    expect(conversations.map((c) => c.title)).toEqual([
      'Capital cities',
      'Sales analysis and a chart',
      'Remind me how voice mode works.',
      'Lost its pointer',
      'Corrupted tree',
      'Dangling pointer',
    ]);
    expect(items.every((item) => item.kind !== 'conversation' || item.source === 'chatgpt')).toBe(true);
    expect(problemsOf(items)).toEqual([
      { conversation: '"No tree at all" (6632a1b0-0000-8000-a000-000000000006)', reason: 'has no message tree ("mapping"); nothing could be imported' },
    ]);
  });
});

describe('parent links', () => {
  it('fills a missing parent from the parent node’s children list', () => {
    const raw = structuredClone(conversations[3]) as { mapping: Record<string, { parent?: string | null }>; current_node?: string };
    delete raw.mapping.m2?.parent;
    raw.current_node = 'm2';
    const c = parseChatGPTConversation(raw);
    expect(c.messages.map((m) => m.content)).toEqual(['Hello?', 'Hi! How can I help?']);
    expect(c.problems).toEqual([]);
  });
});
