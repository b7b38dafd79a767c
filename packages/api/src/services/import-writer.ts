import { createHash } from 'node:crypto';
import { jsonb, query, type EntityManager } from '@chatsynth/db';
import { sql } from 'kysely';
import { conversationStats, type CanonicalConversation, type ExportItem, type Problem } from '@chatsynth/importers';
import { uuidv7 } from 'uuidv7';
import { LIMITS, normaliseTagName, type ChatContent } from '../schemas/chat-log';
import { defaultTitle, deriveFromContent, writeVersion } from './chat-logs';
import { storable } from './sanitize';
import { chatLogsOf } from './scope';
import { replaceTags } from './tags';

/** A conversation from an export, made ready to store: keyed, sanitised, with its derived fields. */
export type PreparedConversation = {
  source: string;
  externalId: string;
  /** Names the conversation in problems. */
  label: string;
  title: string;
  summary: string;
  content: ChatContent;
  contentHash: string;
  metadata: Record<string, unknown>;
  startedAt: Date | null;
  problems: Problem[];
  tags: string[];
  annotations: Array<{ content: string; messageIndex: number | null; quote: string | null; start: number | null; end: number | null }>;
};

export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'failed';

/** What the previous import recorded, to tell the platform's changes from the user's own edits. */
type ImportMark = { title?: string; summary?: string; contentHash?: string };

export function prepareConversation(
  item: Extract<ExportItem, { kind: 'conversation' }>,
  importId: string,
): PreparedConversation {
  const conversation: CanonicalConversation = storable(item.conversation);
  const content: ChatContent = { messages: conversation.messages };
  const derived = deriveFromContent(content);
  const chatsynth = conversation.metadata.chatsynth as
    | { source?: string | null; tags?: string[]; annotations?: PreparedConversation['annotations'] }
    | undefined;
  // ChatSynth's own export goes back under the source it came from, so it merges with that log.
  const source = item.source === 'chatsynth' && chatsynth?.source ? chatsynth.source : item.source;
  // Formats without conversation ids are keyed by their first content, stable across re-imports of the same file.
  const externalId =
    conversation.externalId ??
    `sha256:${createHash('sha256')
      .update(JSON.stringify([conversation.title, conversation.createdAt, conversation.messages.slice(0, 3)]))
      .digest('hex')
      .slice(0, 32)}`;
  const title = (conversation.title.trim() || defaultTitle(content)).slice(0, 500);
  const stats = conversationStats(conversation);
  return {
    source,
    externalId,
    label: conversation.title || externalId,
    title,
    summary: stats.summary,
    content,
    contentHash: derived.contentHash,
    startedAt: derived.startedAt ?? (conversation.createdAt ? new Date(conversation.createdAt) : null),
    metadata: {
      ...conversation.metadata,
      stats: { models: stats.models, wordCount: stats.wordCount, wordsByRole: stats.wordsByRole },
      import: {
        importId,
        format: item.source,
        title,
        summary: stats.summary,
        contentHash: derived.contentHash,
        platformCreatedAt: conversation.createdAt,
        platformUpdatedAt: conversation.updatedAt,
      },
    },
    problems: conversation.problems,
    tags: [
      ...new Set((chatsynth?.tags ?? []).map(normaliseTagName).filter((t) => t.length >= 1 && t.length <= LIMITS.tag)),
    ].slice(0, LIMITS.tags),
    annotations: (chatsynth?.annotations ?? []).filter(
      (a) =>
        a.content.trim().length > 0 &&
        a.content.length <= 20_000 &&
        [a.messageIndex, a.start, a.end].every((n) => n === null || (Number.isInteger(n) && n >= 0)),
    ),
  };
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
  // The logs these conversations were imported as before, trash included, locked for this batch.
  const rows = await chatLogsOf({ em: tx, userId }, 'any')
    .select(['c.id', 'c.source', 'c.external_id as externalId', 'c.version', 'c.title', 'c.summary'])
    .select((eb) => [
      sql<ImportMark | null>`${eb.ref('c.metadata')}->'import'`.as('mark'),
      eb('c.deleted_at', 'is not', null).as('trashed'),
    ])
    .where((eb) => eb(eb.refTuple('c.source', 'c.external_id'), 'in', batch.map((c) => eb.tuple(c.source, c.externalId))))
    .forUpdate()
    .execute();
  const existing = new Map(rows.map((r) => [`${r.source}\u0000${r.externalId}`, r]));

  const outcomes: WriteOutcome[] = [];
  const creates: PreparedConversation[] = [];
  for (const conversation of batch) {
    const row = existing.get(`${conversation.source}\u0000${conversation.externalId}`);
    if (!row) {
      creates.push(conversation);
      outcomes.push('created');
      continue;
    }
    const mark = row.mark ?? {};
    if (mark.contentHash === conversation.contentHash && mark.title === conversation.title) {
      outcomes.push('unchanged');
      continue;
    }
    if (row.trashed) {
      problems.push({
        conversation: conversation.label,
        reason: 'It is in the trash, so this import did not update it; restore it and import again.',
      });
      outcomes.push('unchanged');
      continue;
    }
    await writeVersion(
      tx,
      { id: row.id, userId, expectedVersion: row.version },
      {
        // A title or summary the user changed since the last import stays theirs.
        title: mark.title === undefined || row.title === mark.title ? conversation.title : row.title,
        summary:
          row.summary === null || row.summary === (mark.summary ?? null) ? conversation.summary : row.summary,
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

/** Bulk insert of new logs and their first versions in one statement, the rows as one JSON parameter. */
async function insertConversations(tx: EntityManager, userId: string, creates: PreparedConversation[]) {
  const createdAt = new Date();
  const now = createdAt.toISOString();
  const logs = creates.map((c) => ({
    id: uuidv7(),
    user_id: userId,
    source: c.source,
    title: c.title,
    content: c.content,
    summary: c.summary || null,
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
