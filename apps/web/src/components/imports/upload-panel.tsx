import { useId, useRef, useState, type DragEvent } from 'react';
import { SelectField } from '../field';
import { ProgressBar } from '../progress-bar';
import { formatBytes, percent, uploadImport, UploadAborted, type UploadProgress } from '../../lib/upload';
import { IMPORT_FORMAT_OPTIONS } from './import-formats';

type Upload =
  | { state: 'idle' }
  | { state: 'sending'; filename: string; progress: UploadProgress }
  | { state: 'failed'; filename: string; message: string };

/**
 * Picks or takes a dropped export file and sends it at once, showing how much has gone out.
 * The job it starts is followed by the caller (`onStarted`).
 */
export function UploadPanel({
  onSending,
  onStarted,
}: {
  /** A new file is on its way: the previous job's report gives way to its progress. */
  onSending: () => void;
  onStarted: (importId: string, filename: string) => void;
}) {
  const inputId = useId();
  const [format, setFormat] = useState('auto');
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const sending = upload.state === 'sending';

  const send = async (file: File) => {
    abort.current = new AbortController();
    onSending();
    setUpload({ state: 'sending', filename: file.name, progress: { loaded: 0, total: file.size } });
    try {
      const result = await uploadImport(file, format, {
        signal: abort.current.signal,
        onProgress: (progress) => setUpload({ state: 'sending', filename: file.name, progress }),
      });
      if (result.ok) {
        setUpload({ state: 'idle' });
        onStarted(result.importId, file.name);
      } else {
        setUpload({ state: 'failed', filename: file.name, message: result.message });
      }
    } catch (error) {
      if (error instanceof UploadAborted) setUpload({ state: 'idle' });
      else throw error;
    }
  };

  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file && !sending) void send(file);
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    pick(event.dataTransfer.files);
  };

  return (
    <section className="panel upload-panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Import an export</h2>
      <div className="upload-options">
        <SelectField
          label="Format"
          hint="Detection reads the file’s structure, not its name."
          value={format}
          onChange={(event) => setFormat(event.target.value)}
          disabled={sending}
        >
          {IMPORT_FORMAT_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
      </div>
      <div
        className="drop-zone"
        data-dragging={dragging}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <p className="drop-zone-title">Drop an export file here</p>
        <p className="muted">
          A ChatGPT or Claude export (.zip or conversations.json), Google Takeout My Activity, Open WebUI, LibreChat, OpenAI
          messages JSON or JSONL, a Markdown transcript or a ChatSynth export.
        </p>
        <input
          id={inputId}
          className="file-input"
          type="file"
          accept=".json,.jsonl,.zip,.md,.markdown,.txt,application/json,application/zip,text/markdown,text/plain"
          disabled={sending}
          onChange={(event) => {
            pick(event.target.files);
            event.target.value = '';
          }}
        />
        <label htmlFor={inputId} className="button primary file-button">
          Choose a file…
        </label>
      </div>
      <div aria-live="polite" className="upload-status">
        {upload.state === 'sending' ? (
          <div className="stack">
            <ProgressBar
              label={`Uploading ${upload.filename}`}
              value={percent(upload.progress.loaded, upload.progress.total)}
              valueText={`${formatBytes(upload.progress.loaded)} of ${formatBytes(upload.progress.total)}`}
            />
            <p className="actions">
              <button type="button" className="button small" onClick={() => abort.current?.abort()}>
                Cancel upload
              </button>
            </p>
          </div>
        ) : null}
      </div>
      <div role="alert" className="upload-error">
        {upload.state === 'failed' ? (
          <p className="form-error">
            Could not import {upload.filename}: {upload.message}
          </p>
        ) : null}
      </div>
    </section>
  );
}
