import { createChatSynthClient } from '@chatsynth/client';
import { chatgptConversation } from '@chatsynth/importers/testing';

// The demo library the README screenshots show: what a few months of someone's assistant use looks
// like (several sources, Markdown, code, tags, notes, versions, an import, a trash), so the pages
// are seen with realistic content rather than test strings.

export const DEMO_USER = { username: 'ada', email: 'ada@example.com', password: 'correct horse battery', displayName: 'Ada Lovelace' };

type Role = 'user' | 'assistant';
type Turn = [user: string, assistant: string];

/** Messages of a conversation that started at `start`, a few minutes between each. */
function messages(start: string, turns: Turn[], model?: string) {
  const at = Date.parse(start);
  return turns.flatMap(([user, assistant], i) => [
    { role: 'user' as Role, content: user, createdAt: new Date(at + i * 6 * 60_000).toISOString() },
    { role: 'assistant' as Role, content: assistant, createdAt: new Date(at + i * 6 * 60_000 + 40_000).toISOString(), ...(model ? { model } : {}) },
  ]);
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** The ChatGPT export the demo imports: conversations.json as ChatGPT writes it. */
export function demoChatgptExport(): Buffer {
  const conversations = [
    chatgptConversation({
      id: 'demo-python-reverse',
      title: 'Reversing a list in Python',
      createTime: seconds('2025-02-03T09:12:00Z'),
      turns: [
        {
          user: 'What is the most idiomatic way to reverse a list in Python?',
          assistant:
            'It depends on whether you want a **new list** or to change the one you have:\n\n' +
            '```python\nitems = [3, 1, 4, 1, 5]\n\nnewest_first = items[::-1]   # a reversed copy\nitems.reverse()               # in place, returns None\nfor item in reversed(items):  # a lazy iterator\n    print(item)\n```\n\n' +
            '- `items[::-1]` is the usual choice when you need the copy.\n- `reversed()` avoids the copy when you only loop.',
        },
        { user: 'Which one is fastest for a million items?', assistant: '`items.reverse()` — it swaps in place without allocating. The slice copies the whole list once, which is still fast (a few ms).' },
      ],
    }),
    chatgptConversation({
      id: 'demo-slow-query',
      title: 'Postgres: slow query on orders',
      createTime: seconds('2025-03-11T14:02:00Z'),
      turns: [
        {
          user: 'This takes 4 seconds on 2M rows:\n\n```sql\nselect * from orders where customer_id = 42 order by created_at desc limit 20;\n```',
          assistant:
            'The planner is probably scanning `orders` by `created_at` and filtering. A composite index matches the query exactly:\n\n' +
            '```sql\ncreate index concurrently orders_customer_created_idx\n  on orders (customer_id, created_at desc);\n```\n\n' +
            'Then check with `explain (analyze, buffers)` that you get an **Index Scan** and no Sort node.',
        },
        { user: 'It is 3 ms now. Should I drop the old index on customer_id?', assistant: 'Yes: the new index starts with `customer_id`, so it serves every query the old one did.' },
      ],
    }),
    chatgptConversation({
      id: 'demo-sourdough',
      title: 'Sourdough starter schedule',
      createTime: seconds('2025-01-19T08:30:00Z'),
      turns: [
        { user: 'How often should I feed my sourdough starter?', assistant: 'Once a day at room temperature, or once a week if it lives in the fridge. Discard all but about 50 g, then feed 1:1:1 by weight.' },
        { user: 'And before baking?', assistant: 'Feed it 4–8 hours before you mix the dough and use it at its peak: doubled, domed and smelling sweet rather than sharp.' },
      ],
    }),
    chatgptConversation({
      id: 'demo-cover-letter',
      title: 'Cover letter for a data analyst role',
      createTime: seconds('2025-04-02T19:45:00Z'),
      turns: [
        { user: 'Help me open a cover letter for a data analyst job at a bike-sharing company.', assistant: 'Try leading with something concrete:\n\n> Last spring I cut our weekly reporting from a day to twenty minutes by moving it from spreadsheets to SQL and a small dashboard — and I would love to do the same for how your riders move through the city.' },
      ],
    }),
    chatgptConversation({
      id: 'demo-tcp-udp',
      title: 'TCP vs UDP, briefly',
      createTime: seconds('2025-05-06T10:20:00Z'),
      model: 'o3',
      turns: [
        {
          user: 'Explain TCP vs UDP in a small table.',
          assistant: '| | TCP | UDP |\n|---|---|---|\n| Connection | yes, handshake | none |\n| Delivery | ordered, retransmitted | best effort |\n| Typical use | web, email, SSH | video calls, games, DNS |\n\nQUIC (HTTP/3) builds reliable streams on top of UDP.',
        },
      ],
    }),
    chatgptConversation({
      id: 'demo-lisbon',
      title: 'A week in Lisbon in May',
      createTime: seconds('2025-04-20T17:05:00Z'),
      turns: [
        { user: 'I have a week in Lisbon in May. Where should I stay?', assistant: 'Alfama or Graça for charm, Baixa for being central, Príncipe Real for quiet streets and good cafés.' },
        { user: 'How do I get up to Bairro Alto without climbing?', assistant: 'Ride the Bica funicular up from Cais do Sodré, or take the Glória funicular from Restauradores. Go before nine to skip the queue.' },
        { user: 'Day trips?', assistant: 'Sintra for the palaces (book Pena in advance), Cascais for the coast, Setúbal for seafood and dolphins in the Sado estuary.' },
      ],
    }),
  ];
  return Buffer.from(JSON.stringify(conversations));
}

/** Logs that arrive through the API, as other tools post them. */
const POSTED = [
  {
    source: 'claude',
    title: 'Refactoring a React form with useReducer',
    tags: ['react', 'work', 'code'],
    summary: 'Moved eight useState calls into one reducer; validation runs on submit.',
    messages: messages(
      '2025-05-14T13:10:00Z',
      [
        [
          'My signup form has eight useState calls and the validation is getting messy. Cleaner way?',
          'Keep the fields in one reducer and derive the errors, so there is one place where the state changes:\n\n```tsx\ntype State = { email: string; password: string; errors: Partial<Record<"email" | "password", string>> };\n\nfunction reducer(state: State, action: { field: keyof State; value: string }): State {\n  return { ...state, [action.field]: action.value, errors: {} };\n}\n\nconst [state, dispatch] = useReducer(reducer, { email: "", password: "", errors: {} });\n```\n\nValidate in the submit handler and put what fails into `errors`.',
        ],
        ['Should the errors live in the reducer at all?', 'Either works. Keeping them there means one render per change; deriving them on submit keeps the reducer dumb. For a form this size, **derive on submit**.'],
      ],
      'claude-sonnet-4',
    ),
  },
  {
    source: 'claude',
    title: 'Summarise the Q2 planning notes',
    tags: ['work', 'meetings'],
    messages: messages(
      '2025-06-03T09:00:00Z',
      [
        [
          'Summarise these notes in five bullets: (pasted 2 pages of Q2 planning notes)',
          '- **Goal:** ship the mobile import flow by 30 June.\n- **Owner:** Priya; design review on 12 June.\n- Search relevance work moves to Q3.\n- Hiring: one backend engineer, interviews start next week.\n- Risk: the export API change needs legal sign-off.',
        ],
      ],
      'claude-opus-4',
    ),
  },
  {
    source: 'gemini',
    title: 'Best time to visit Kyoto',
    tags: ['travel'],
    messages: messages('2025-03-02T07:40:00Z', [
      ['When is the best time to visit Kyoto?', 'Late March to early April for the cherry blossom, or mid to late November for the autumn leaves. Both are busy: book early and visit the big temples at opening time.'],
      ['And to avoid crowds?', 'Early December or late May: mild weather, far fewer people, and the moss gardens are at their greenest in June rain.'],
    ]),
  },
  {
    source: 'gemini',
    title: 'Compound interest, monthly',
    tags: ['finance'],
    messages: messages('2025-01-28T21:15:00Z', [
      ['Formula for compound interest with monthly deposits?', 'With a monthly rate *r*, *n* months and a deposit *P* at the end of each month:\n\n```text\nFV = P × ((1 + r)^n − 1) / r\n```\n\n£200 a month at 5 % a year (r ≈ 0.00417) for 10 years gives about **£31,060**.'],
    ]),
  },
  {
    source: 'open-webui',
    title: 'Bash: rename photos by date taken',
    tags: ['code', 'shell'],
    messages: messages(
      '2025-02-22T16:00:00Z',
      [['Rename my JPEGs to the date they were taken.', 'With exiftool, which reads the EXIF date:\n\n```bash\nexiftool "-FileName<DateTimeOriginal" -d "%Y-%m-%d_%H%M%S%%-c.%%e" *.jpg\n```\n\n`%%-c` adds a counter when two photos share a second.']],
      'llama3.1:70b',
    ),
  },
  {
    source: 'claude',
    title: 'A haiku about autumn',
    tags: ['writing'],
    messages: messages('2025-05-18T22:30:00Z', [['Write a haiku about autumn in the city.', 'Bus stop, six o’clock —\nthe plane tree lets go of one\nyellow hand, then more.']], 'claude-sonnet-4'),
  },
];

const TRASHED = [
  { source: 'chatgpt', title: 'Untitled test conversation', messages: messages('2025-06-20T10:00:00Z', [['test', 'Hello! How can I help you today?']]) },
  { source: 'claude', title: 'Draft email (old)', messages: messages('2025-06-21T10:00:00Z', [['Make this email shorter: …', 'Here is a shorter version: …']]) },
];

export type DemoLibrary = { token: string; chatId: string; searchQuery: string };

/** Creates the demo user and library on a fresh server. */
export async function createDemoLibrary(url: string): Promise<DemoLibrary> {
  await createChatSynthClient({ url }).auth.signUp.mutate({ username: DEMO_USER.username, email: DEMO_USER.email, password: DEMO_USER.password });
  const { token } = await createChatSynthClient({ url }).auth.signIn.mutate({ login: DEMO_USER.username, password: DEMO_USER.password });
  const api = createChatSynthClient({ url, token });
  await api.users.updateProfile.mutate({ displayName: DEMO_USER.displayName });

  // A finished import, as the import page would have sent it.
  const upload = await fetch(`${url}/api/imports?format=auto&filename=conversations.json`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: new Uint8Array(demoChatgptExport()),
  });
  if (upload.status !== 202) throw new Error(`The demo import was refused: ${upload.status} ${await upload.text()}`);
  const { importId } = (await upload.json()) as { importId: string };
  for (let waited = 0; ; waited += 200) {
    const job = await api.imports.get.query({ id: importId });
    if (job.status === 'succeeded') break;
    if (job.status === 'failed' || waited > 30_000) throw new Error(`The demo import did not finish: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const imported = (await api.chatlogs.list.query({ limit: 100 })).items;
  const byTitle = (title: string) => imported.find((log) => log.title === title)!;
  await api.chatlogs.setTags.mutate({ id: byTitle('Reversing a list in Python').id, tags: ['python', 'code', 'snippets'] });
  await api.chatlogs.setTags.mutate({ id: byTitle('Postgres: slow query on orders').id, tags: ['postgres', 'work', 'code'] });
  await api.chatlogs.setTags.mutate({ id: byTitle('A week in Lisbon in May').id, tags: ['travel'] });
  await api.chatlogs.setTags.mutate({ id: byTitle('Sourdough starter schedule').id, tags: ['cooking'] });
  await api.chatlogs.setTags.mutate({ id: byTitle('Cover letter for a data analyst role').id, tags: ['writing', 'career'] });

  for (const log of POSTED) {
    await api.chatlogs.create.mutate({ source: log.source, title: log.title, tags: log.tags, summary: log.summary, content: { messages: log.messages } });
  }
  for (const log of TRASHED) {
    const created = await api.chatlogs.create.mutate({ source: log.source, title: log.title, content: { messages: log.messages } });
    await api.chatlogs.delete.mutate({ id: created.id });
  }

  // The chat the screenshots open: notes on its text and on the whole log, and a history of edits.
  const chat = byTitle('Postgres: slow query on orders');
  const full = await api.chatlogs.get.query({ id: chat.id });
  const answer = full.content.messages[1]!.content;
  const quote = 'composite index';
  await api.annotations.create.mutate({
    chatlogId: chat.id,
    messageIndex: 1,
    quote,
    start: answer.indexOf(quote),
    end: answer.indexOf(quote) + quote.length,
    content: 'Column order matters: equality columns first, then the sort column.',
  });
  await api.annotations.create.mutate({ chatlogId: chat.id, content: 'Applied to production on 12 March; p95 went from 4.1 s to 3 ms.' });
  const edited = await api.chatlogs.update.mutate({ id: chat.id, expectedVersion: full.version, title: 'Postgres: slow orders query (fixed)' });
  await api.chatlogs.update.mutate({ id: chat.id, expectedVersion: edited.version, summary: 'A composite index on (customer_id, created_at desc) took the query from 4 s to 3 ms.' });
  const lisbon = byTitle('A week in Lisbon in May');
  await api.chatlogs.update.mutate({ id: lisbon.id, expectedVersion: lisbon.version, title: 'Lisbon in May: where to stay, funiculars, day trips' });

  // A token, so the settings page shows one.
  await api.apiTokens.create.mutate({ name: 'Laptop CLI', expiresInDays: 90 });

  return { token, chatId: chat.id, searchQuery: 'week' };
}
