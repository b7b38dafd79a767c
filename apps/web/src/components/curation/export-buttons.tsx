import { useState } from 'react';
import { describeError } from '../../lib/errors';
import { downloadFile } from '../../lib/download';
import { useTRPCClient, type ChatLog } from '../../lib/trpc';

const FORMATS = [
  { format: 'markdown', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
  { format: 'openai', label: 'OpenAI' },
] as const;

type Format = (typeof FORMATS)[number]['format'];

/** Downloads the log (with its notes and tags) in one of the export formats. */
export function ExportButtons({ log }: { log: ChatLog }) {
  const client = useTRPCClient();
  const [pending, setPending] = useState<Format | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const download = async (format: Format) => {
    setPending(format);
    setStatus(null);
    try {
      const file = await client.chatlogs.export.query({ id: log.id, format });
      downloadFile(file);
      setStatus({ ok: true, text: `Downloaded ${file.filename}.` });
    } catch (error) {
      setStatus({ ok: false, text: `Could not export: ${describeError(error).message}` });
    } finally {
      setPending(null);
    }
  };

  return (
    <div className="export-buttons" role="group" aria-labelledby="export-label">
      <span id="export-label" className="export-label">
        Export
      </span>
      {FORMATS.map(({ format, label }) => (
        <button key={format} type="button" className="button small" disabled={pending !== null} onClick={() => void download(format)}>
          {pending === format ? 'Exporting…' : label}
          <span className="visually-hidden"> export</span>
        </button>
      ))}
      <span aria-live="polite" className={status?.ok === false ? 'form-error export-status' : 'muted export-status'}>
        {status?.text}
      </span>
    </div>
  );
}
