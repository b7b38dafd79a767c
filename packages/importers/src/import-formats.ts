// The export formats ChatSynth reads, once: the upload route, the CLI and the web app's picker use this list.
export const IMPORT_FORMATS = ['chatgpt', 'claude', 'gemini', 'openwebui', 'librechat', 'openai', 'markdown', 'chatsynth'] as const;

export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What a person calls each format. */
export const IMPORT_FORMAT_LABELS: Record<ImportFormat, string> = {
  chatgpt: 'ChatGPT',
  claude: 'Claude',
  gemini: 'Gemini (Google Takeout)',
  openwebui: 'Open WebUI',
  librechat: 'LibreChat',
  openai: 'OpenAI messages (JSON or JSONL)',
  markdown: 'Markdown transcript',
  chatsynth: 'ChatSynth JSON',
};

export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}
