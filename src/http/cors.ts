/**
 * CORS with an explicit origin allowlist. An allowed origin is echoed back with credentials
 * allowed; any other origin gets no Access-Control-Allow-Origin at all, so the browser keeps
 * the response from that page. `Vary: Origin` always, because the answer depends on it.
 */
export function corsHeaders(
  origin: string | undefined,
  allowedOrigins: readonly string[],
): Record<string, string> {
  if (!origin || !allowedOrigins.includes(origin)) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
  };
}

export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The answer to an OPTIONS preflight: 204 with the grant for an allowed origin, else no grant. */
export function preflightHeaders(
  origin: string | undefined,
  allowedOrigins: readonly string[],
): Record<string, string> {
  const headers = corsHeaders(origin, allowedOrigins);
  if (!headers['Access-Control-Allow-Origin']) return headers;
  return {
    ...headers,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    // X-Api-Key: a stack deployed with ApiKeyRequired=true wants it on every request.
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Api-Key',
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}

/** Origins are compared as exact strings, so they must be in canonical form. */
export function assertValidOrigin(origin: string): string {
  if (origin === '*' || origin === 'null') {
    throw new Error(
      `Invalid function environment: check ALLOWED_ORIGINS ("${origin}" is never allowed with credentials)`,
    );
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new Error('Invalid function environment: check ALLOWED_ORIGINS (not an origin)');
  }
  if (url.origin !== origin) {
    throw new Error(`Invalid function environment: check ALLOWED_ORIGINS (write "${url.origin}")`);
  }
  return origin;
}
