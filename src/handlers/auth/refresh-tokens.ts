import * as v from 'valibot';
import { refreshTokens } from '../../auth/cognito';
import { ApiError } from '../../http/api-error';
import { AUTH_BODY_MAX_BYTES, Token } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { assertCookieRequestAllowed, refreshTokenFromCookie } from '../../http/session-cookie';

const RefreshBody = v.strictObject({ refreshToken: v.optional(Token) });

/** POST /auth/refresh: new ID and access tokens from the refresh token in the body or cookie. */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, RefreshBody, {
    maxBytes: AUTH_BODY_MAX_BYTES,
    allowEmpty: true,
  });
  let refreshToken = body.refreshToken;
  if (!refreshToken) {
    refreshToken = refreshTokenFromCookie(event);
    if (refreshToken) assertCookieRequestAllowed(event);
  }
  if (!refreshToken) {
    throw new ApiError(
      401,
      'NotAuthorized',
      'No session: send refreshToken in the body, or sign in with "session": "cookie".',
    );
  }
  return json(200, await refreshTokens(refreshToken));
});
