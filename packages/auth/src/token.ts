import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { uuidv7 } from 'uuidv7';

/** Personal API tokens carry a prefix so a leaked one is recognisable (and secret scanners can find it). */
export const API_TOKEN_PREFIX = 'csk_';

// Lucia's session design: token = `<id>.<secret>`; only SHA-256(secret) is stored, compared in constant time.
export type IssuedToken = { id: string; token: string; secretHash: Uint8Array };

export function generateSecret(): string {
  const bytes = new Uint8Array(20); // 160 bits from the OS CSPRNG
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export function issueToken(prefix = ''): IssuedToken {
  const id = uuidv7();
  const secret = generateSecret();
  return { id, token: `${prefix}${id}.${secret}`, secretHash: hashSecret(secret) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type ParsedToken = { kind: 'session' | 'apiToken'; id: string; secret: string };

export function parseToken(token: string): ParsedToken | null {
  if (token.length > 200) return null;
  const kind = token.startsWith(API_TOKEN_PREFIX) ? 'apiToken' : 'session';
  const body = kind === 'apiToken' ? token.slice(API_TOKEN_PREFIX.length) : token;
  const dot = body.indexOf('.');
  if (dot < 0) return null;
  const id = body.slice(0, dot);
  const secret = body.slice(dot + 1);
  if (!UUID.test(id) || !/^[a-z2-7]{32}$/.test(secret)) return null;
  return { kind, id, secret };
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  return constantTimeEqual(hashSecret(secret), new Uint8Array(storedHash));
}
