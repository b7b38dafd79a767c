import { hashSecret, type AuthUser } from '@chatsynth/auth';
import type { Credential } from '../context';

export type Authenticated = { user: AuthUser; credential: Credential };

type Entry = Authenticated & { userId: string; until: number };

/** How long a signed-in caller is reused without reading their session again. */
export const CREDENTIAL_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The callers of the last few seconds, so a burst of requests (a page of the web app, a service's
 * searches) reads the session once instead of on every request, a database round trip and ~1.5 ms
 * each (measured). Only the server entry uses one, and only while it hears about every change:
 * - every mutation by a user, whether it succeeded or not, forgets that user before its response is
 *   sent (sign-out, revoking a token or a session, a password or profile change all are mutations);
 * - a change to sessions, api_tokens or users made anywhere (another instance, SQL) reaches every
 *   server on the `chatsynth_credentials` channel (credentials migration) and forgets that user: an
 *   API token's scopes, which the cache keeps with its credential and which only SQL changes, too;
 * - when that channel is down, the cache is off (`setEnabled(false)`) until it listens again.
 * Entries are keyed by a hash of the token, never the token, and last CREDENTIAL_CACHE_TTL_MS at most,
 * and never past the credential's own expiry.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private enabled = true;
  /** Counts forgets: a read that started before one must not be remembered after it. */
  private forgets = 0;

  constructor(private readonly ttlMs = CREDENTIAL_CACHE_TTL_MS) {}

  private static key(token: string) {
    return Buffer.from(hashSecret(token)).toString('base64');
  }

  get(token: string): Authenticated | null {
    if (!this.enabled) return null;
    const key = CredentialCache.key(token);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (Date.now() >= entry.until) {
      this.entries.delete(key);
      return null;
    }
    return { user: entry.user, credential: entry.credential };
  }

  /** Taken before reading a caller from the database, and handed back to `set`. */
  stamp(): number {
    return this.forgets;
  }

  /**
   * Remembers a caller read from the database since `stamp`, unless something was forgotten in
   * between (the read may predate that change); `expiresAt` is when the credential itself ends.
   */
  set(token: string, auth: Authenticated, expiresAt: Date | null, stamp: number): void {
    if (!this.enabled || stamp !== this.forgets) return;
    if (this.entries.size >= MAX_ENTRIES) {
      // Oldest first (a Map keeps insertion order): the callers of the last few seconds stay.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const until = Math.min(Date.now() + this.ttlMs, expiresAt?.getTime() ?? Infinity);
    // Frozen, as every request that finds the entry shares it: no procedure can widen a token's scopes.
    const credential = Object.freeze(
      auth.credential.kind === 'apiToken' ? { ...auth.credential, scopes: Object.freeze([...auth.credential.scopes]) } : { ...auth.credential },
    );
    this.entries.set(CredentialCache.key(token), { user: Object.freeze({ ...auth.user }), credential, userId: auth.user.id, until });
  }

  forgetUser(userId: string): void {
    this.forgets++;
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.forgets++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
