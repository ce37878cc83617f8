import { revokeRefreshToken } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, SignOutRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';
import { clearedSessionCookie, sessionRefreshToken } from '../../http/session-cookie';

/**
 * POST /auth/signout: revokes the refresh token (body or cookie) and the access tokens issued
 * from it, and expires the cookie. ID tokens stay valid at the authorizer until they expire.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, SignOutRequest, {
    maxBytes: AUTH_BODY_MAX_BYTES,
    allowEmpty: true,
  });
  const refreshToken = sessionRefreshToken(event, body.refreshToken);
  if (refreshToken) await revokeRefreshToken(refreshToken);
  return noContent({ cookies: [clearedSessionCookie()] });
});
