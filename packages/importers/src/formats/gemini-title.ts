// What a Takeout activity row's title says: a prompt ("Prompted …" in English, "送信したメッセージ: …"
// in Japanese, a translated verb and a colon in other languages) or an action in the app ("Created
// Gemini Canvas titled …", "Selected preferred draft", "Gave feedback: …").

/** Prompt labels seen in real exports. Other languages' labels are learned from the file itself. */
const KNOWN_PROMPT_LABELS = ['Prompted ', '送信したメッセージ: ', '送信したメッセージ:'];
/** English action verbs; in other languages a row without a prompt label is an action the same way. */
const ENGLISH_ACTION = /^(Selected preferred draft|Gave feedback|Created|Used|Selected|Shared|Deleted|Cancell?ed|Edited|Pinned|Unpinned|Renamed|Viewed|Opened|Saved|Scheduled|Exported|Connected|Disconnected|Turned (?:on|off))\b/;
/** A translated label is short and ends in a colon (ASCII or full-width) before the prompt. */
const LABEL_CANDIDATE = /^([^:：\n]{1,40}[:：])[ \u3000]?/;
/** A label is learned when at least this share of the file's rows carry it (prompts dominate: ~95%). */
const LEARNED_SHARE = 0.3;

export type PromptLabels = {
  /** Title prefixes that mark a prompt, longest first. */
  prefixes: string[];
  /** Whether this file marks its prompts at all: then a row without a label is not a prompt. */
  marksPrompts: boolean;
};

export type TitleReading = { kind: 'prompt'; prompt: string } | { kind: 'action'; actionKind: string };

/** The prompt labels of one export, from the titles of its Gemini rows. */
export function geminiPromptLabels(titles: string[]): PromptLabels {
  const prefixes = [...KNOWN_PROMPT_LABELS];
  let marksPrompts = titles.some((title) => title === 'Prompted' || prefixes.some((prefix) => title.startsWith(prefix)));
  if (!marksPrompts) {
    const counts = new Map<string, number>();
    for (const title of titles) {
      const label = LABEL_CANDIDATE.exec(title)?.[0];
      if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const [best, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    if (count >= 2 && count >= titles.length * LEARNED_SHARE) {
      prefixes.push(best);
      marksPrompts = true;
    }
  }
  prefixes.sort((a, b) => b.length - a.length);
  return { prefixes, marksPrompts };
}

function actionKind(title: string): string {
  const english = ENGLISH_ACTION.exec(title)?.[1];
  if (english !== undefined) return english;
  const beforeColon = title.split(/[:：]/)[0]?.trim() ?? '';
  const kind = beforeColon !== '' ? beforeColon : title.trim();
  return kind.length > 60 ? `${kind.slice(0, 59)}…` : kind;
}

/**
 * `hasContent`: the row carries a response or a file. In an export whose prompts have no label this
 * importer knows or can learn, such a row is taken as a prompt, whole, rather than lost.
 */
export function readTitle(title: string, labels: PromptLabels, hasContent: boolean): TitleReading {
  if (title === 'Prompted') return { kind: 'prompt', prompt: '' };
  for (const prefix of labels.prefixes) {
    if (title.startsWith(prefix)) return { kind: 'prompt', prompt: title.slice(prefix.length) };
  }
  if (ENGLISH_ACTION.test(title) || labels.marksPrompts || !hasContent) return { kind: 'action', actionKind: actionKind(title) };
  return { kind: 'prompt', prompt: title };
}
