import { refreshTokens } from '../../auth/cognito';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, RefreshTokenRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { sessionRefreshToken } from '../../http/session-cookie';

/** POST /auth/refresh: new ID and access tokens from the refresh token in the body or cookie. */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, RefreshTokenRequest, {
    maxBytes: AUTH_BODY_MAX_BYTES,
    allowEmpty: true,
  });
  const refreshToken = sessionRefreshToken(event, body.refreshToken);
  if (!refreshToken) {
    throw new ApiError(
      'NotAuthorized',
      'No session: send refreshToken in the body, or sign in with "session": "cookie".',
    );
  }
  return json(200, await refreshTokens(refreshToken));
});
