// The shape every supported export format is turned into. The API stores a chat log's content as
// `{ messages: Message[] }`, so `Message` is also what a ChatSynth export carries back in. Nothing here
// touches Node's APIs: the web app imports this module (`@chatsynth/importers/canonical`) too.
import type { ImportFormat } from './import-formats';
import type { Message } from './message-schema';

export * from './message-schema';
export * from './import-formats';
export * from './tag-name';
export { isoDateTime, jsonObject, jsonProblem, jsonValue, text, MAX_JSON_BYTES, MAX_JSON_DEPTH, RESERVED_KEYS, TIME_RANGE } from './json-value';

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
