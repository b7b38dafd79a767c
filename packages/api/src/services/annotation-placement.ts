/** Where an annotation points, as annotations.create takes it (after its schema). */
export type AnnotationTarget = { messageIndex?: number; quote?: string; start?: number; end?: number };

/** The quote to store, or the field that does not fit the log and why. */
export type Placement = { quote: string | null } | { field: 'messageIndex' | 'start' | 'end' | 'quote'; message: string };

/**
 * The checks only the log itself can make: the message exists, the offsets lie within its text
 * (UTF-16 code units, as a browser's Selection counts them) and split no character, and a quote given
 * with offsets is the text between them. Without a quote the text between the offsets (when not empty) becomes it, so
 * the annotation still reads right after the message changes. One definition for annotations.create
 * and for the annotations an import brings.
 */
export function placeAnnotation(target: AnnotationTarget, log: { messageCount: number; text: unknown }): Placement {
  const quote = target.quote ?? null;
  if (target.messageIndex === undefined) return { quote };
  if (target.messageIndex >= log.messageCount) {
    return { field: 'messageIndex', message: `must be below ${log.messageCount}, the number of messages in this chat log` };
  }
  if (target.start === undefined || target.end === undefined) return { quote };
  const text = typeof log.text === 'string' ? log.text : '';
  if (target.end > text.length) {
    return { field: 'end', message: `must be at most ${text.length}, the length of message ${target.messageIndex}` };
  }
  const between = text.slice(target.start, target.end);
  if (!between.isWellFormed()) return { field: 'start', message: 'must not split a character in two' };
  if (quote !== null && quote !== between) return { field: 'quote', message: 'must equal the text between start and end' };
  // An empty range is a point in the text: it has no words to quote, and a stored quote is never empty.
  return { quote: between === '' ? quote : between };
}
