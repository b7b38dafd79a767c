import { useMemo } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useNavigate, type NavigateFunction } from 'react-router';
import { normaliseTagName } from '@chatsynth/importers/canonical';
import { useToasts, type Toasts } from '../components/toasts';
import { describeError } from './errors';
import { locateQuote } from './message-segments';
import { removeFromLists, rollback, runMutation } from './run-mutation';
import { useTRPC, type ChatLog, type RouterInputs, type RouterOutputs } from './trpc';

type Trpc = ReturnType<typeof useTRPC>;
type Deps = { trpc: Trpc; queryClient: QueryClient; toasts: Toasts; navigate: NavigateFunction };

/** Everything that lists or counts logs: a log created, changed, trashed or restored changes all of them. */
export function refreshCollections(trpc: Trpc, queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries(trpc.chatlogs.list.pathFilter()),
    queryClient.invalidateQueries(trpc.chatlogs.trash.pathFilter()),
    queryClient.invalidateQueries(trpc.chatlogs.search.pathFilter()),
    queryClient.invalidateQueries(trpc.chatlogs.stats.pathFilter()),
    queryClient.invalidateQueries(trpc.tags.list.pathFilter()),
  ]);
}

/** What the actions need to know of a log to name it in their notifications. */
export type LogRef = { id: string; title: string };
type VersionRestore = RouterInputs['versions']['restore'];
type NoteDraft = RouterInputs['annotations']['create'];
type Note = RouterOutputs['annotations']['list'][number];

/**
 * The chat log changes that can be undone, each optimistic where the result is certain (the cache
 * changes at once and rolls back on failure) and each saying what happened in a notification whose
 * Undo runs the opposite change. They run outside any component (`runMutation`), so an Undo pressed on
 * another page still works.
 */
export function useChatLogActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const navigate = useNavigate();
  return useMemo(() => chatLogActions({ trpc, queryClient, toasts, navigate }), [trpc, queryClient, toasts, navigate]);
}

export type ChatLogActions = ReturnType<typeof chatLogActions>;

function chatLogActions({ trpc, queryClient, toasts, navigate }: Deps) {
  const getKey = (id: string) => trpc.chatlogs.get.queryKey({ id });

  const collectionsChanged = () => refreshCollections(trpc, queryClient);

  const historyChanged = (chatlogId: string) =>
    Promise.all([
      queryClient.invalidateQueries(trpc.versions.list.queryFilter({ chatlogId })),
      queryClient.invalidateQueries(trpc.versions.diff.pathFilter()),
      queryClient.invalidateQueries(trpc.chatlogs.list.pathFilter()),
      queryClient.invalidateQueries(trpc.chatlogs.search.pathFilter()),
    ]);

  /** Everything the page shows of one log, fetched again: after a conflict, the state to work from. */
  const reload = (id: string) =>
    Promise.all([
      queryClient.invalidateQueries(trpc.chatlogs.get.queryFilter({ id })),
      queryClient.invalidateQueries(trpc.annotations.list.queryFilter({ chatlogId: id })),
      historyChanged(id),
    ]);

  const conflictToast = (id: string, what: string) =>
    toasts.show({
      tone: 'error',
      message: `${what} not saved: this chat log changed elsewhere (in another tab, or by an import).`,
      actions: [{ label: 'Reload', onClick: () => void reload(id) }],
    });

  const failureToast = (error: unknown, sentence: string, retry?: () => void) => {
    const { message, fieldErrors } = describeError(error);
    const detail = Object.values(fieldErrors).flat()[0] ?? message;
    toasts.show({ tone: 'error', message: `${sentence} ${detail}`, actions: retry ? [{ label: 'Try again', onClick: retry }] : undefined });
  };

  /** Moves a log to the trash: out of the library lists at once, back in them if the server refuses. */
  const trash = (log: LogRef) =>
    runMutation(
      queryClient,
      trpc.chatlogs.delete.mutationOptions({
        // One log's trash and restore run in order, so an Undo pressed at once waits for the trash.
        scope: { id: `chatlog-bin:${log.id}` },
        onMutate: async ({ id }) => ({ lists: await removeFromLists(queryClient, trpc.chatlogs.list.pathFilter(), id) }),
        onError: (error, _input, context) => {
          rollback(queryClient, context?.lists);
          failureToast(error, `Could not move “${log.title}” to the trash.`, () => void trash(log));
        },
        onSuccess: () => {
          queryClient.removeQueries({ queryKey: getKey(log.id) });
          toasts.show({
            tone: 'success',
            message: `Moved “${log.title}” to the trash.`,
            actions: [{ label: 'Undo', onClick: () => void restore(log) }],
          });
        },
        onSettled: collectionsChanged,
      }),
      { id: log.id },
    );

  /** Brings a log back from the trash: out of the trash list at once. */
  const restore = (log: LogRef): Promise<ChatLog | undefined> =>
    runMutation(
      queryClient,
      trpc.chatlogs.restore.mutationOptions({
        scope: { id: `chatlog-bin:${log.id}` },
        onMutate: async ({ id }) => ({ lists: await removeFromLists(queryClient, trpc.chatlogs.trash.pathFilter(), id) }),
        onError: (error, _input, context) => {
          rollback(queryClient, context?.lists);
          failureToast(error, `Could not restore “${log.title}”.`, () => void restore(log));
        },
        onSuccess: (restored) => {
          queryClient.setQueryData(getKey(restored.id), restored);
          toasts.show({
            tone: 'success',
            message: `Restored “${log.title}” to the library.`,
            actions: [
              { label: 'Undo', onClick: () => void trash(log) },
              { label: 'Open it', onClick: () => void navigate(`/chats/${log.id}`) },
            ],
          });
        },
        onSettled: collectionsChanged,
      }),
      { id: log.id },
    );

  /**
   * Renames a log, showing the new title (and the version it will have) at once. Rejects when the
   * server refuses, after rolling back, so the title form can open again with what was typed.
   */
  const rename = (log: LogRef & { version: number }, title: string): Promise<ChatLog> =>
    new Promise((resolve, reject) => {
      const key = getKey(log.id);
      void runMutation(
        queryClient,
        trpc.chatlogs.update.mutationOptions({
          scope: { id: `chatlog-edit:${log.id}` },
          onMutate: async () => {
            await queryClient.cancelQueries({ queryKey: key });
            const previous = queryClient.getQueryData(key);
            // A title change always makes exactly the next version (unchanged titles are not sent).
            queryClient.setQueryData(key, (old) => (old ? { ...old, title, version: old.version + 1, updatedAt: new Date() } : old));
            return { previous };
          },
          onError: (error, _input, context) => {
            if (context?.previous) queryClient.setQueryData(key, context.previous);
            if (describeError(error).code === 'CONFLICT') conflictToast(log.id, `“${title}” was`);
            else failureToast(error, `Could not rename “${log.title}”.`);
            reject(error);
          },
          onSuccess: (updated) => {
            queryClient.setQueryData(key, updated);
            toasts.show({
              tone: 'success',
              message: `Renamed “${log.title}” to “${updated.title}”.`,
              actions: [{ label: 'Undo', onClick: () => void rename(updated, log.title).catch(() => undefined) }],
            });
            resolve(updated);
          },
          onSettled: () => historyChanged(log.id),
        }),
        { id: log.id, expectedVersion: log.version, title },
      );
    });

  const isSavingTags = (id: string) =>
    queryClient.isMutating({ mutationKey: trpc.chatlogs.setTags.mutationKey(), predicate: (m) => (m.state.variables as { id?: string } | undefined)?.id === id });

  /**
   * Replaces a log's tags, showing them at once. One log's tag changes run in order, each sending the
   * whole set it saw, so the last one pressed is what the server keeps.
   */
  const setTags = (log: LogRef, tags: string[], change: { added?: string; removed?: string; undo?: boolean } = {}) => {
    const key = getKey(log.id);
    return runMutation(
      queryClient,
      trpc.chatlogs.setTags.mutationOptions({
        scope: { id: `chatlog-tags:${log.id}` },
        onMutate: async () => {
          await queryClient.cancelQueries({ queryKey: key });
          const previous = queryClient.getQueryData(key);
          // As the server stores them: normalised, unique, sorted.
          const shown = [...new Set(tags.map(normaliseTagName))].sort();
          queryClient.setQueryData(key, (old) => (old ? { ...old, tags: shown } : old));
          return { previous };
        },
        onError: (error, _input, context) => {
          if (context?.previous) queryClient.setQueryData(key, context.previous);
          const sentence = change.removed
            ? `Could not remove the tag ${change.removed}.`
            : change.added
              ? `Could not add the tag ${change.added}.`
              : 'Could not save the tags.';
          failureToast(error, sentence);
        },
        onSuccess: (result) => {
          // A later change still on its way knows better than this answer.
          if (isSavingTags(log.id) <= 1) queryClient.setQueryData(key, (old) => (old ? { ...old, tags: result.tags } : old));
          if (change.removed) {
            const tag = change.removed;
            toasts.show({
              tone: 'success',
              message: `Removed the tag ${tag} from “${log.title}”.`,
              actions: [{ label: 'Undo', onClick: () => void putTagBack(log, tag) }],
            });
          } else if (change.undo && change.added) {
            toasts.show({ tone: 'success', message: `Put the tag ${change.added} back on “${log.title}”.` });
          }
        },
        onSettled: () =>
          Promise.all([
            queryClient.invalidateQueries(trpc.tags.list.pathFilter()),
            queryClient.invalidateQueries(trpc.chatlogs.list.pathFilter()),
            queryClient.invalidateQueries(trpc.chatlogs.search.pathFilter()),
            queryClient.invalidateQueries(trpc.chatlogs.stats.pathFilter()),
          ]),
      }),
      { id: log.id, tags },
    );
  };

  /** Adds a removed tag to the tags the log has now, which may have changed since the removal. */
  const putTagBack = async (log: LogRef, tag: string) => {
    let current: string[];
    try {
      current = (await queryClient.ensureQueryData(trpc.chatlogs.get.queryOptions({ id: log.id }))).tags;
    } catch (error) {
      failureToast(error, `Could not put the tag ${tag} back.`);
      return;
    }
    if (current.includes(tag)) return;
    await setTags(log, [...current, tag], { added: tag, undo: true });
  };

  /**
   * After a version restore: the log as the server answered, the history fetched again, and a
   * notification whose Undo restores the version that was current before.
   */
  const versionRestored = (updated: ChatLog, input: VersionRestore) => {
    queryClient.setQueryData(getKey(updated.id), updated);
    void historyChanged(updated.id);
    if (updated.version === input.expectedVersion) {
      toasts.show({ tone: 'info', message: `Version ${input.version} is the same as the current version: nothing changed.` });
      return;
    }
    toasts.show({
      tone: 'success',
      message: `Restored version ${input.version} as version ${updated.version}.`,
      actions: [
        {
          label: 'Undo',
          onClick: () => void restoreVersion({ chatlogId: updated.id, version: input.expectedVersion, expectedVersion: updated.version }),
        },
      ],
    });
  };

  const restoreVersion = (input: VersionRestore) =>
    runMutation(
      queryClient,
      trpc.versions.restore.mutationOptions({
        scope: { id: `chatlog-edit:${input.chatlogId}` },
        onError: (error) => {
          if (describeError(error).code === 'CONFLICT') conflictToast(input.chatlogId, `Version ${input.version} was`);
          else failureToast(error, `Could not restore version ${input.version}.`);
        },
        onSuccess: versionRestored,
      }),
      input,
    );

  /** Makes a deleted note again from what it held: same text, message, quote and offsets, a new date. */
  const recreateNote = (note: NoteDraft) =>
    runMutation(
      queryClient,
      trpc.annotations.create.mutationOptions({
        onError: (error) => failureToast(error, 'Could not bring the note back.'),
        onSuccess: () => toasts.show({ tone: 'success', message: 'Note restored.' }),
        onSettled: () => queryClient.invalidateQueries(trpc.annotations.list.queryFilter({ chatlogId: note.chatlogId })),
      }),
      note,
    );

  /**
   * What `annotations.create` needs to make a deleted note again, where the page showed it: its offsets
   * as they frame the quote in the message's current text (the server checks exactly that), else the
   * quote alone on its message.
   */
  const noteDraft = (note: Note): NoteDraft => {
    const draft: NoteDraft = { chatlogId: note.chatlogId, content: note.content, metadata: note.metadata };
    if (note.messageIndex === null) return draft;
    draft.messageIndex = note.messageIndex;
    if (note.quote !== null) draft.quote = note.quote;
    if (note.start === null) return draft;
    const text = queryClient.getQueryData(getKey(note.chatlogId))?.content.messages[note.messageIndex]?.content;
    const at = text === undefined ? null : locateQuote(text, note);
    if (at) {
      draft.start = at.start;
      draft.end = at.end;
    }
    return draft;
  };

  const noteDeleted = (note: Note) => {
    // Taken now: by the time Undo is pressed the log may have changed, or left the cache.
    const draft = noteDraft(note);
    toasts.show({ tone: 'success', message: 'Note deleted.', actions: [{ label: 'Undo', onClick: () => void recreateNote(draft) }] });
  };

  return { trash, restore, rename, setTags, versionRestored, restoreVersion, noteDeleted, reload };
}
