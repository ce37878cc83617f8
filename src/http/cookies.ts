import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * The refresh token's cookie. `__Host-` makes the browser refuse it unless it is Secure,
 * host-only and Path=/; HttpOnly keeps it away from page scripts.
 */
export const REFRESH_COOKIE = '__Host-refresh_token';

export type SameSite = 'Strict' | 'Lax' | 'None';

export function refreshCookie(token: string, maxAgeSeconds: number, sameSite: SameSite): string {
  return `${REFRESH_COOKIE}=${token}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=${sameSite}`;
}

export function expiredRefreshCookie(sameSite: SameSite): string {
  return `${REFRESH_COOKIE}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; Secure; SameSite=${sameSite}`;
}

/** A cookie's value from the request's Cookie header(s), or undefined. */
export function readCookie(event: APIGatewayProxyEvent, name: string): string | undefined {
  const headers: string[] = [];
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === 'cookie' && values) headers.push(...values);
  }
  if (headers.length === 0) {
    for (const [key, value] of Object.entries(event.headers ?? {})) {
      if (key.toLowerCase() === 'cookie' && value) headers.push(value);
    }
  }
  for (const headerValue of headers) {
    for (const pair of headerValue.split(';')) {
      const separator = pair.indexOf('=');
      if (separator === -1) continue;
      if (pair.slice(0, separator).trim() === name) {
        const value = pair.slice(separator + 1).trim();
        return value === '' ? undefined : value;
      }
    }
  }
  return undefined;
}
