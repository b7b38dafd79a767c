/**
 * The session cookie. On plain-HTTP localhost (development) browsers refuse `Secure` and `__Host-`,
 * so the cookie is `chatsynth_session`; everywhere else it is `__Host-chatsynth_session`, Secure,
 * which pins it to the exact host and HTTPS.
 */
export const SESSION_COOKIE = 'chatsynth_session';
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLocalhost(url: string | URL): boolean {
  const { hostname } = typeof url === 'string' ? new URL(url) : url;
  return LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

export function serializeSessionCookie(token: string, expiresAt: Date, requestUrl: string | URL): string {
  const secure = !isLocalhost(requestUrl);
  const name = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  const attributes = [`${name}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${expiresAt.toUTCString()}`];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function serializeBlankSessionCookie(requestUrl: string | URL): string {
  const secure = !isLocalhost(requestUrl);
  const name = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The token from `Authorization: Bearer …`, else from the session cookie. */
export function readRequestToken(headers: Headers): string | null {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1]! : null;
  }
  const cookie = headers.get('cookie');
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === SECURE_SESSION_COOKIE || name === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (value) return value;
    }
  }
  return null;
}
