import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentCredentials, readSavedLogin, saveLogin } from '../src/config';
import { snippetText } from '../src/highlight';
import { exitCodeOf, formatImportReport, type ImportJob } from '../src/import-report';
import { bar, formatBytes, ImportProgress, progressFigures } from '../src/progress';
import { formatTable, truncate } from '../src/table';

const job = (overrides: Partial<ImportJob> = {}): ImportJob => ({
  id: '01a21494-f258-75b9-a69e-d2168d82dd24',
  status: 'succeeded',
  format: 'chatgpt',
  filename: 'conversations.json',
  counts: { conversations: 3, created: 1, updated: 1, unchanged: 0, failed: 1 },
  problems: [{ conversation: '"Broken" (conv-1)', reason: 'its message tree is empty' }, { reason: 'a shard is missing' }],
  bytes: 2048,
  bytesRead: 2048,
  error: null,
  createdAt: new Date('2025-11-25T10:00:00Z'),
  startedAt: new Date('2025-11-25T10:00:00Z'),
  finishedAt: new Date('2025-11-25T10:00:02.5Z'),
  ...overrides,
});

describe('the import report', () => {
  it('gives every count and every problem, with or without a conversation', () => {
    expect(formatImportReport(job())).toBe(
      [
        'Import of conversations.json (chatgpt) succeeded in 2.5 s.',
        '  conversations: 3',
        '  created:       1',
        '  updated:       1',
        '  unchanged:     0',
        '  failed:        1',
        '2 problems:',
        '  - "Broken" (conv-1): its message tree is empty',
        '  - a shard is missing',
      ].join('\n'),
    );
    expect(exitCodeOf(job())).toBe(0);
  });

  it('says why a failed import failed, and exits 1', () => {
    const failed = job({ status: 'failed', error: 'The uploaded file is no longer on this server.', problems: [] });
    expect(formatImportReport(failed)).toContain('Import of conversations.json (chatgpt) failed in 2.5 s.\n  Error: The uploaded file is no longer on this server.\n');
    expect(exitCodeOf(failed)).toBe(1);
  });
});

describe('progress', () => {
  it('formats sizes, bars and figures', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(30 * 1024 * 1024)).toBe('30 MB');
    expect(bar(0.5, 10)).toBe('█████░░░░░');
    expect(bar(2, 4)).toBe('████');
    expect(progressFigures(512, 2048, 1)).toBe(' 25%  512 bytes / 2.0 KB  ·  1 conversation');
    expect(progressFigures(0, 0)).toBe('  0%  0 bytes / 0 bytes');
  });

  const capture = (isTTY: boolean, columns = 80) => {
    let text = '';
    const stream = { isTTY, columns, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
    return { stream, text: () => text };
  };

  it('draws one bar in place on a terminal, never wider than it', () => {
    const out = capture(true, 100);
    const progress = new ImportProgress('conversations.json', out.stream);
    progress.job(job({ status: 'running', bytesRead: 1024, counts: { conversations: 12, created: 0, updated: 0, unchanged: 0, failed: 0 } }));
    progress.clear();
    const frames = out.text().split('\r\x1b[2K').filter(Boolean);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatch(/^Importing conversations\.json {2}█+░+ +50% {2}1\.0 KB \/ 2\.0 KB {2}· {2}12 conversations$/);
    expect(frames[0]!.length).toBeLessThan(100);

    // On a narrow terminal the bar goes, then the line is cut, so it never wraps.
    const narrow = capture(true, 40);
    new ImportProgress('conversations.json', narrow.stream).job(job({ status: 'running', bytesRead: 1024 }));
    expect(narrow.text().replace('\r\x1b[2K', '').length).toBeLessThan(40);
    expect(out.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('prints plain lines elsewhere, once per status and tenth of the file', () => {
    const out = capture(false);
    const progress = new ImportProgress('c.json', out.stream);
    progress.uploading(0, 2048);
    progress.uploading(2048, 2048);
    progress.job(job({ status: 'queued' }));
    progress.job(job({ status: 'queued' }));
    for (const bytesRead of [0, 100, 300, 1100, 2048]) progress.job(job({ status: 'running', bytesRead }));
    expect(out.text()).toBe(
      [
        'Uploading c.json (2.0 KB)…',
        'Uploaded; waiting for the server to start the import.',
        'Importing c.json: 0% of 2.0 KB, 3 conversations so far',
        'Importing c.json: 10% of 2.0 KB, 3 conversations so far',
        'Importing c.json: 50% of 2.0 KB, 3 conversations so far',
        'Importing c.json: 100% of 2.0 KB, 3 conversations so far',
        '',
      ].join('\n'),
    );
  });
});

describe('search snippets', () => {
  it('turns <mark> into the terminal’s emphasis and the HTML entities back into text', () => {
    const html = 'How do <mark>ferries</mark> &amp; <mark>boats</mark> work? &lt;b&gt; &quot;x&quot; &#39;y&#39;';
    expect(snippetText(html, (m) => `[${m}]`)).toBe('How do [ferries] & [boats] work? <b> "x" \'y\'');
    expect(snippetText(html, (m) => `\x1b[1m${m}\x1b[22m`)).toContain('\x1b[1mferries\x1b[22m');
    expect(snippetText('a\n\n  b <mark>&lt;c&gt;</mark>', (m) => `[${m}]`)).toBe('a b [<c>]');
  });
});

describe('tables', () => {
  it('aligns columns and shortens what is too long', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    const table = formatTable(
      [
        { name: 'Ferries', n: 2 },
        { name: 'A very long title indeed', n: 120 },
      ],
      [
        { header: 'TITLE', value: (r) => r.name, maxWidth: 10 },
        { header: 'MESSAGES', value: (r) => String(r.n), align: 'right' },
      ],
    );
    expect(table).toBe(['TITLE       MESSAGES', 'Ferries            2', 'A very lo…       120'].join('\n'));
  });
});

describe('the saved login', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatsynth-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is written readable by its owner only, and read back', async () => {
    const path = join(dir, 'nested', 'config.json');
    await saveLogin({ url: 'http://localhost:3000', token: 'csk_secret', tokenId: 'id-1' }, path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(await readSavedLogin(path)).toEqual({ url: 'http://localhost:3000', token: 'csk_secret', tokenId: 'id-1' });
  });

  it('gives way to CHATSYNTH_URL and CHATSYNTH_TOKEN, and never sends its token to another server', async () => {
    const path = join(dir, 'config.json');
    await saveLogin({ url: 'http://localhost:3000/', token: 'csk_saved' }, path);
    const env = (extra: Record<string, string>) => ({ CHATSYNTH_CONFIG: path, ...extra });
    expect(await currentCredentials(env({}))).toEqual({ url: 'http://localhost:3000', token: 'csk_saved' });
    expect(await currentCredentials(env({ CHATSYNTH_TOKEN: 'csk_env' }))).toEqual({ url: 'http://localhost:3000', token: 'csk_env' });
    expect(await currentCredentials(env({ CHATSYNTH_URL: 'http://localhost:3000' }))).toEqual({ url: 'http://localhost:3000', token: 'csk_saved' });
    expect(await currentCredentials(env({ CHATSYNTH_URL: 'https://elsewhere.example' }))).toEqual({ url: 'https://elsewhere.example', token: null });
    expect(await currentCredentials({ CHATSYNTH_CONFIG: join(dir, 'absent.json') })).toBeNull();
  });

  it('explains a damaged file in one line', async () => {
    const { writeFile } = await import('node:fs/promises');
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ not json');
    await expect(readSavedLogin(path)).rejects.toThrow(`${path} is not valid JSON`);
  });
});
