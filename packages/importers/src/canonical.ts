// The shape every supported export format is turned into. The API stores a chat log's content as
// `{ messages: Message[] }`, so `Message` is also what a ChatSynth export carries back in.

export type Role = 'user' | 'assistant' | 'system' | 'tool';

export const ROLES: readonly Role[] = ['user', 'assistant', 'system', 'tool'];

export type PartType =
  | 'code'
  | 'image'
  | 'attachment'
  | 'thinking'
  | 'tool_call'
  | 'tool_result'
  | 'citation';

export const PART_TYPES: readonly PartType[] = [
  'code',
  'image',
  'attachment',
  'thinking',
  'tool_call',
  'tool_result',
  'citation',
];

export type Part = {
  type: PartType;
  text?: string;
  language?: string;
  name?: string;
  url?: string;
  mimeType?: string;
  size?: number;
  id?: string;
  input?: unknown;
  output?: unknown;
  title?: string;
  metadata?: Record<string, unknown>;
};

export type Message = {
  role: Role;
  content: string;
  id?: string;
  /** ISO 8601 */
  createdAt?: string;
  model?: string;
  name?: string;
  parts?: Part[];
  metadata?: Record<string, unknown>;
};

export type Problem = {
  /** External id or title naming the conversation the problem belongs to. */
  conversation?: string;
  reason: string;
};

export type CanonicalConversation = {
  externalId: string | null;
  title: string;
  createdAt: string | null;
  updatedAt: string | null;
  messages: Message[];
  metadata: Record<string, unknown>;
  problems: Problem[];
};

export type ImportFormat =
  | 'chatgpt'
  | 'claude'
  | 'gemini'
  | 'openwebui'
  | 'librechat'
  | 'openai'
  | 'markdown'
  | 'chatsynth';

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'chatgpt',
  'claude',
  'gemini',
  'openwebui',
  'librechat',
  'openai',
  'markdown',
  'chatsynth',
];

export type ExportItem =
  | { kind: 'conversation'; source: ImportFormat; conversation: CanonicalConversation }
  // File-level problems: a missing shard, a corrupt entry, a conversation that could not be parsed at all.
  | { kind: 'problem'; problem: Problem };

/** An unrecognised or unreadable file, or a zip over its limits; the message says what to do. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

export type ZipLimits = {
  maxEntries: number;
  maxTotalUncompressedBytes: number;
  maxCompressionRatio: number;
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalUncompressedBytes: 8 * 1024 ** 3,
  maxCompressionRatio: 100,
};

export type ReadOptions = {
  format?: ImportFormat | 'auto';
  limits?: Partial<ZipLimits>;
  /** Called with the number of bytes of the input file consumed so far. */
  onProgress?: (bytesRead: number) => void;
  signal?: AbortSignal;
};
