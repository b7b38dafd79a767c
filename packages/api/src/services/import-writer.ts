import { createHash } from 'node:crypto';
import { jsonb, query, type EntityManager } from '@chatsynth/db';
import { sql } from 'kysely';
import { conversationStats, type CanonicalConversation, type ChatSynthImportedMetadata, type ExportItem, type Problem } from '@chatsynth/importers';
import { uuidv7 } from 'uuidv7';
import type { ChatContent } from '../schemas/chat-log';
import { dateSchema, uuid } from '../schemas/common';
import { defaultTitle, deriveFromContent, writeVersion } from './chat-logs';
import {
  checkSource,
  cut,
  fitAnnotations,
  fitContent,
  fitMetadata,
  fitSummary,
  fitTags,
  fitTitle,
  Refused,
  type ImportedAnnotation,
  type Note,
} from './chat-log-bounds';
import { storable } from './sanitize';
import { chatLogsOf } from './scope';
import { replaceTags } from './tags';

/** A conversation from an export, made ready to store: keyed, sanitised, within the API's bounds, with its derived fields. */
export type PreparedConversation = {
  /** The id the log gets if it is new. */
  id: string;
  source: string;
  externalId: string;
  /** Names the conversation in problems. */
  label: string;
  title: string;
  summary: string | null;
  content: ChatContent;
  /** The content's size as JSON, what a batch counts. */
  contentBytes: number;
  contentHash: string;
  metadata: Record<string, unknown>;
  startedAt: Date | null;
  /** The parser's problems and what bringing it within the bounds cut or left out. */
  problems: Problem[];
  tags: string[];
  annotations: ImportedAnnotation[];
  /** ChatSynth's own export names the log it was exported from, and that log's version then. */
  exported: { id: string; version: number | null; updatedAt: string | null } | null;
};

/** Thrown for a conversation that cannot be stored within the API's bounds; its problems say why. */
export class RefusedConversation extends Error {
  override name = 'RefusedConversation';
  constructor(
    readonly label: string,
    readonly problems: Problem[],
  ) {
    super(`${label} was not imported`);
  }
}

export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'failed';

/** What the previous import recorded, to tell the platform's changes from the user's own edits. */
type ImportMark = { title?: string; summary?: string | null; contentHash?: string };

/** A platform id longer than this is stored as its hash: the unique index cannot hold an entry of ~2,700 bytes or more. */
const MAX_EXTERNAL_ID = 500;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * Turns a parsed conversation into what `writeBatch` stores, held to the same bounds as
 * chatlogs.create and annotations.create (`chat-log-bounds.ts`): whatever is cut or left out is in
 * `problems`; a conversation that cannot be stored at all throws RefusedConversation.
 */
export function prepareConversation(
  item: Extract<ExportItem, { kind: 'conversation' }>,
  importId: string,
): PreparedConversation {
  const conversation: CanonicalConversation = storable(item.conversation);
  const { chatsynth, ...platformMetadata } = conversation.metadata as { chatsynth?: ChatSynthImportedMetadata };
  // Formats without conversation ids are keyed by their first content, stable across re-imports of the same file.
  const rawExternalId =
    conversation.externalId ??
    `sha256:${sha256(JSON.stringify([conversation.title, conversation.createdAt, conversation.messages.slice(0, 3)]))}`;
  const externalId = rawExternalId.length > MAX_EXTERNAL_ID ? `sha256:${sha256(rawExternalId)}` : rawExternalId;
  const label = cut(conversation.title.trim() || externalId, 200);
  const problems = [...conversation.problems];
  const note: Note = (reason) => problems.push({ conversation: label, reason });
  try {
    // ChatSynth's own export goes back under the source it came from, so it merges with that log.
    const source = checkSource(item.source === 'chatsynth' && chatsynth?.source ? chatsynth.source : item.source);
    const { content, bytes: contentBytes } = fitContent({ messages: conversation.messages }, note);
    const derived = deriveFromContent(content);
    const title = fitTitle(conversation.title.trim() || defaultTitle(content), note);
    const stats = conversationStats({ ...conversation, messages: content.messages });
    // A ChatSynth log keeps the summary it has; other formats get the opening of the conversation.
    const summary = fitSummary(chatsynth ? chatsynth.summary : stats.summary || null, note);
    const createdAt = dateSchema.safeParse(conversation.createdAt ?? undefined);
    const id = uuidv7();
    return {
      id,
      source,
      externalId,
      label,
      title,
      summary,
      content,
      contentBytes,
      contentHash: derived.contentHash,
      startedAt: derived.startedAt ?? (createdAt.success && createdAt.data ? createdAt.data : null),
      metadata: fitMetadata(
        platformMetadata,
        {
          stats: { models: stats.models, wordCount: stats.wordCount, wordsByRole: stats.wordsByRole },
          import: {
            importId,
            format: item.source,
            title,
            summary,
            contentHash: derived.contentHash,
            platformCreatedAt: conversation.createdAt,
            platformUpdatedAt: conversation.updatedAt,
          },
        },
        note,
      ),
      problems,
      tags: fitTags(chatsynth?.tags ?? [], note),
      annotations: fitAnnotations(chatsynth?.annotations ?? [], { id, messages: content.messages }, note),
      exported: chatsynth?.id ? { id: chatsynth.id, version: chatsynth.version ?? null, updatedAt: conversation.updatedAt } : null,
    };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    note(error.message);
    throw new RefusedConversation(label, problems);
  }
}

/**
 * Stores one batch inside the caller's transaction: new conversations in bulk, changed ones as a new
 * version (change `imported`) through the same path as every other edit, unchanged ones untouched.
 * The user's own title and summary edits, tags and annotations survive.
 */
export async function writeBatch(
  tx: EntityManager,
  userId: string,
  batch: PreparedConversation[],
): Promise<{ outcomes: WriteOutcome[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const problem = (conversation: PreparedConversation, reason: string) => problems.push({ conversation: conversation.label, reason });
  // A ChatSynth export names its logs by id; only ids of the caller's own logs can match (the owner
  // scope), so importing someone else's export creates logs and never touches theirs.
  const exportedIds = batch.flatMap((c) => (c.exported && uuid.safeParse(c.exported.id).success ? [c.exported.id] : []));
  // The logs these conversations were imported or exported as before, trash included, locked for this batch.
  const rows = await chatLogsOf({ em: tx, userId }, 'any')
    .select(['c.id', 'c.source', 'c.external_id as externalId', 'c.version', 'c.title', 'c.summary', 'c.content_hash as contentHash', 'c.updated_at as updatedAt'])
    .select((eb) => [
      sql<ImportMark | null>`${eb.ref('c.metadata')}->'import'`.as('mark'),
      eb('c.deleted_at', 'is not', null).as('trashed'),
    ])
    .where((eb) =>
      eb.or([
        eb(eb.refTuple('c.source', 'c.external_id'), 'in', batch.map((c) => eb.tuple(c.source, c.externalId))),
        ...(exportedIds.length ? [eb('c.id', 'in', exportedIds)] : []),
      ]),
    )
    .forUpdate()
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byKey = new Map(rows.map((r) => [`${r.source}\u0000${r.externalId}`, r]));

  const outcomes: WriteOutcome[] = [];
  const creates: PreparedConversation[] = [];
  for (const conversation of batch) {
    const own = conversation.exported ? byId.get(conversation.exported.id) : undefined;
    const row = own ?? byKey.get(`${conversation.source}\u0000${conversation.externalId}`);
    if (!row) {
      creates.push(conversation);
      outcomes.push('created');
      continue;
    }
    const mark = row.mark ?? {};
    // The log this export was made from is unchanged when it still reads as the file does; any other
    // is unchanged when the platform's conversation is what the last import stored.
    const unchanged = own
      ? row.contentHash === conversation.contentHash && row.title === conversation.title && row.summary === conversation.summary
      : mark.contentHash === conversation.contentHash && mark.title === conversation.title;
    if (unchanged) {
      outcomes.push('unchanged');
      continue;
    }
    if (row.trashed) {
      problem(conversation, 'It is in the trash, so this import did not update it; restore it and import again.');
      outcomes.push('unchanged');
      continue;
    }
    if (own && changedSinceExport(row, conversation.exported!)) {
      problem(
        conversation,
        `It changed after this export was made${conversation.exported!.version ? ` (it is at version ${row.version}, the file holds version ${conversation.exported!.version})` : ''}, so the file did not overwrite it; restore an older version to go back.`,
      );
      outcomes.push('unchanged');
      continue;
    }
    await writeVersion(
      tx,
      { id: row.id, userId, expectedVersion: row.version },
      own
        ? // The file holds the whole log as it was exported, edits included.
          { title: conversation.title, summary: conversation.summary, content: conversation.content, metadata: conversation.metadata }
        : {
            // A title or summary the user changed since the last import stays theirs.
            title: mark.title === undefined || row.title === mark.title ? conversation.title : row.title,
            summary: row.summary === null || row.summary === (mark.summary ?? null) ? conversation.summary : row.summary,
            content: conversation.content,
            metadata: conversation.metadata,
          },
      'imported',
    );
    outcomes.push('updated');
  }
  if (creates.length) await insertConversations(tx, userId, creates);
  return { outcomes, problems };
}

/** Whether the log was written after the export that names it: by version, or by time in exports without one. */
function changedSinceExport(row: { version: number; updatedAt: Date }, exported: NonNullable<PreparedConversation['exported']>): boolean {
  if (exported.version !== null) return row.version > exported.version;
  const exportedAt = exported.updatedAt ? Date.parse(exported.updatedAt) : Number.NaN;
  return Number.isFinite(exportedAt) && row.updatedAt.getTime() > exportedAt;
}

/** Bulk insert of new logs and their first versions in one statement, the rows as one JSON parameter. */
async function insertConversations(tx: EntityManager, userId: string, creates: PreparedConversation[]) {
  const createdAt = new Date();
  const now = createdAt.toISOString();
  const logs = creates.map((c) => ({
    id: c.id,
    user_id: userId,
    source: c.source,
    title: c.title,
    content: c.content,
    summary: c.summary,
    metadata: c.metadata,
    external_id: c.externalId,
    content_hash: c.contentHash,
    message_count: c.content.messages.length,
    started_at: c.startedAt?.toISOString() ?? null,
    created_at: now,
  }));
  const versionIds = logs.map((l) => ({ id: l.id, vid: uuidv7() }));
  // Hand-written for the planner and the wire: one statement and one JSON parameter for both tables,
  // the first version copied from the rows just inserted, so each batch's content is serialised and
  // sent once, not twice, and never passes through the unit of work.
  await sql`
    with inserted as (
      insert into chatlogs (id, user_id, source, title, content, summary, metadata, version, external_id,
                            content_hash, message_count, started_at, created_at, updated_at)
      select id, user_id, source, title, content, summary, metadata, 1, external_id,
             content_hash, message_count, started_at, created_at, created_at
      from jsonb_to_recordset(${jsonb(logs)}) as x(id uuid, user_id uuid, source text, title text, content jsonb,
           summary text, metadata jsonb, external_id text, content_hash text, message_count integer,
           started_at timestamptz, created_at timestamptz)
      returning id, title, summary, content, metadata, message_count, created_at
    )
    insert into chatversions (id, chatlog_id, version, title, summary, content, metadata, change, message_count, created_at)
    select v.vid, i.id, 1, i.title, i.summary, i.content, i.metadata, 'imported', i.message_count, i.created_at
    from inserted i join jsonb_to_recordset(${jsonb(versionIds)}) as v(id uuid, vid uuid) on v.id = i.id`.execute(
    tx.getKysely(),
  );
  for (const [i, c] of creates.entries()) {
    if (c.tags.length) await replaceTags(tx, logs[i]!.id, c.tags);
  }
  const annotations = creates.flatMap((c, i) =>
    c.annotations.map((a) => ({
      id: uuidv7(),
      user_id: userId,
      chatlog_id: logs[i]!.id,
      content: a.content,
      message_index: a.messageIndex,
      quote: a.quote,
      start: a.start,
      end: a.end,
      version: 1,
      metadata: {},
      created_at: createdAt,
      updated_at: createdAt,
    })),
  );
  if (annotations.length) await query(tx).insertInto('annotations').values(annotations).execute();
}
