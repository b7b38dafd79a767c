/** The formats `POST /api/imports` accepts, as the format select offers them. */
export const IMPORT_FORMAT_OPTIONS = [
  { value: 'auto', label: 'Detect automatically' },
  { value: 'chatgpt', label: 'ChatGPT' },
  { value: 'claude', label: 'Claude' },
  { value: 'gemini', label: 'Gemini (Google Takeout)' },
  { value: 'openwebui', label: 'Open WebUI' },
  { value: 'librechat', label: 'LibreChat' },
  { value: 'openai', label: 'OpenAI messages (JSON or JSONL)' },
  { value: 'markdown', label: 'Markdown transcript' },
  { value: 'chatsynth', label: 'ChatSynth JSON' },
] as const;

export function formatLabel(format: string | null): string {
  if (!format) return 'Unknown format';
  return IMPORT_FORMAT_OPTIONS.find((option) => option.value === format)?.label ?? format;
}

const STATUS_LABELS: Record<string, string> = {
  queued: 'Waiting to start',
  running: 'Importing',
  succeeded: 'Finished',
  failed: 'Failed',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}
