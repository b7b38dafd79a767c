/**
 * Makes imported data storable in PostgreSQL: text and jsonb reject NUL characters, and jsonb rejects
 * lone UTF-16 surrogates. Real exports contain both (binary pasted into a chat, truncated emoji), so
 * they are replaced with U+FFFD rather than losing the conversation.
 */
export function storable<T>(value: T): T {
  return clean(value, 0) as T;
}

function cleanText(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    if (typeof value === 'bigint') return value.toString();
    return value;
  }
  if (depth > 64) return null;
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const name = cleanText(key);
    // An own "__proto__" (JSON.parse makes one) stays an own key, for the bounds to name and leave
    // out; assigned, it would replace the copy's prototype and vanish without a word.
    if (name === '__proto__') Object.defineProperty(out, name, { value: clean(item, depth + 1), enumerable: true, writable: true, configurable: true });
    else out[name] = clean(item, depth + 1);
  }
  return out;
}
