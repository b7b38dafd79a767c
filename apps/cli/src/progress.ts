import type { ImportJob } from './import-report';

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
}

export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The words of one progress line, without the bar: "48%  1.1 MB / 2.3 MB  ·  130 conversations". */
export function progressFigures(done: number, total: number, conversations?: number): string {
  const figures = `${String(percent(done, total)).padStart(3)}%  ${formatBytes(done)} / ${formatBytes(total)}`;
  return conversations === undefined ? figures : `${figures}  ·  ${plural(conversations, 'conversation')}`;
}

/**
 * Shows an upload and then its import job on stderr: one bar redrawn in place on a terminal, and
 * plain lines (at each status change and each tenth of the file) anywhere else, e.g. in CI logs.
 */
export class ImportProgress {
  private lastDraw = 0;
  private lastPlain = '';
  private drawn = false;

  constructor(
    private readonly filename: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly interactive = Boolean(stream.isTTY),
  ) {}

  uploading(sent: number, total: number) {
    if (this.interactive) {
      const now = Date.now();
      if (sent < total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.draw(`Uploading ${this.filename}`, sent / total, progressFigures(sent, total));
    } else if (sent === 0) {
      this.plain(`Uploading ${this.filename} (${formatBytes(total)})…`);
    } else {
      const step = percent(sent, total) - (percent(sent, total) % 10);
      if (step > 0 && step < 100) this.plain(`Uploading ${this.filename}: ${step}%`);
    }
  }

  job(job: ImportJob) {
    if (job.status === 'queued') {
      if (this.interactive) this.draw('Waiting for the server to start the import…');
      else this.plain('Uploaded; waiting for the server to start the import.');
      return;
    }
    if (job.status !== 'running') return;
    const done = Math.min(job.bytesRead, job.bytes);
    if (this.interactive) {
      this.draw(`Importing ${this.filename}`, done / Math.max(1, job.bytes), progressFigures(done, job.bytes, job.counts.conversations));
    } else {
      const step = percent(done, job.bytes) - (percent(done, job.bytes) % 10);
      this.plain(`Importing ${this.filename}: ${step}% of ${formatBytes(job.bytes)}`, `, ${plural(job.counts.conversations, 'conversation')} so far`);
    }
  }

  /** Erases the bar, so what follows starts on a clean line. */
  clear() {
    if (this.interactive && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(label: string, fraction?: number, figures = '') {
    const columns = this.stream.columns || 80;
    let line = label;
    if (fraction !== undefined) {
      const width = Math.max(0, Math.min(30, columns - label.length - figures.length - 6));
      line = width >= 5 ? `${label}  ${bar(fraction, width)}  ${figures}` : `${label}  ${figures}`;
    }
    // A line longer than the terminal wraps, and \r would then redraw only its last row.
    if (line.length >= columns) line = `${line.slice(0, columns - 2)}…`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Prints `key` + `detail` when `key` differs from the last line printed (the detail alone changes nothing). */
  private plain(key: string, detail = '') {
    if (key === this.lastPlain) return;
    this.lastPlain = key;
    this.stream.write(`${key}${detail}\n`);
  }
}

/** Bytes received so far, on a terminal only (an export's size is not known until it ends). */
export class DownloadProgress {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  received(bytes: number) {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[2K${this.label}… ${formatBytes(bytes)}`);
    this.drawn = true;
  }

  clear() {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
