import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Tokens } from '../auth/cognito';
import { config } from '../config';
import { ApiError } from '../errors';
import { expiredRefreshCookie, REFRESH_COOKIE, readCookie, refreshCookie } from './cookies';
import { header } from './request';
import { type HttpResponse, json } from './response';

/**
 * Cookie mode (README.md, "Browser sessions"): the refresh token lives in an HttpOnly cookie.
 * Every request that sets or uses that cookie must be a JSON request (checked by parseJsonBody:
 * a cross-site form cannot send one without a preflight) from an allowed origin.
 */
export function assertCookieRequestAllowed(event: APIGatewayProxyEvent): void {
  const origin = header(event, 'origin');
  if (!origin || !config.allowedOrigins.includes(origin)) {
    throw new ApiError(
      'OriginNotAllowed',
      'Cookie sessions are accepted only from the allowed origins (AllowedOrigins).',
    );
  }
}

/**
 * The refresh token of refresh and sign-out: the one in the body, else the cookie's, which
 * counts only on a request from an allowed origin. Undefined when there is neither.
 */
export function sessionRefreshToken(
  event: APIGatewayProxyEvent,
  fromBody: string | undefined,
): string | undefined {
  if (fromBody) return fromBody;
  const fromCookie = readCookie(event, REFRESH_COOKIE);
  if (fromCookie) assertCookieRequestAllowed(event);
  return fromCookie;
}

export function sessionCookie(refreshToken: string): string {
  return refreshCookie(
    refreshToken,
    config.refreshTokenMaxAgeSeconds,
    config.refreshCookieSameSite,
  );
}

export function clearedSessionCookie(): string {
  return expiredRefreshCookie(config.refreshCookieSameSite);
}

/**
 * The answer of a completed sign-in (sign-in, or its last challenge): the tokens, with the
 * refresh token in the HttpOnly cookie instead of the body in cookie mode.
 */
export function signedIn(tokens: Tokens, cookieMode: boolean): HttpResponse {
  const { refreshToken, ...shortLived } = tokens;
  if (cookieMode && refreshToken)
    return json(200, shortLived, { cookies: [sessionCookie(refreshToken)] });
  return json(200, tokens);
}
