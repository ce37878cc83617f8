import * as v from 'valibot';
import { revokeRefreshToken } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, Token } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';
import {
  assertCookieRequestAllowed,
  clearedSessionCookie,
  refreshTokenFromCookie,
} from '../../http/session-cookie';

const SignOutBody = v.strictObject({ refreshToken: v.optional(Token) });

/**
 * POST /auth/signout: revokes the refresh token (body or cookie) and the access tokens issued
 * from it, and expires the cookie. ID tokens stay valid at the authorizer until they expire.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, SignOutBody, {
    maxBytes: AUTH_BODY_MAX_BYTES,
    allowEmpty: true,
  });
  let refreshToken = body.refreshToken;
  if (!refreshToken) {
    refreshToken = refreshTokenFromCookie(event);
    if (refreshToken) assertCookieRequestAllowed(event);
  }
  if (refreshToken) await revokeRefreshToken(refreshToken);
  return noContent({ cookies: [clearedSessionCookie()] });
});
