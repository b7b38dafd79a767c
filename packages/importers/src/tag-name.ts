// Tag names, as the server stores them and the web app shows them before saving.
export const TAG_LIMITS = { tags: 32, tag: 64 } as const;

/**
 * Trimmed, lower-case, inner white space collapsed, in Unicode NFC (so "Cafe\u0301" and "Café" are one
 * tag). The database's check constraint on `tags.name` holds every result of this to the same rules.
 */
export function normaliseTagName(name: string): string {
  return name.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
}
