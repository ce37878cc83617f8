import type { APIGatewayProxyEvent } from 'aws-lambda';
import { config } from '../config';
import { ApiError } from './api-error';
import { expiredRefreshCookie, REFRESH_COOKIE, readCookie, refreshCookie } from './cookies';
import { header } from './request';

/**
 * Cookie mode (README.md, "Browser sessions"): the refresh token lives in an HttpOnly cookie.
 * Every request that sets or uses that cookie must be a JSON request (checked by parseJsonBody:
 * a cross-site form cannot send one without a preflight) from an allowed origin.
 */
export function assertCookieRequestAllowed(event: APIGatewayProxyEvent): void {
  const origin = header(event, 'origin');
  if (!origin || !config.allowedOrigins.includes(origin)) {
    throw new ApiError(
      403,
      'OriginNotAllowed',
      'Cookie sessions are accepted only from the allowed origins (AllowedOrigins).',
    );
  }
}

export function refreshTokenFromCookie(event: APIGatewayProxyEvent): string | undefined {
  return readCookie(event, REFRESH_COOKIE);
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
