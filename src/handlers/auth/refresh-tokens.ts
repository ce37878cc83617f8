import { refreshTokens, revokeRefreshToken } from '../../auth/cognito';
import { sessionOfIssuedToken } from '../../auth/token-session';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, RefreshTokenRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { sessionRefreshToken } from '../../http/session-cookie';
import { securityEvent } from '../../security-events';
import { hasSessionEnded, sessionEnded } from '../../sessions/sessions';

/**
 * POST /auth/refresh: new ID and access tokens from the refresh token in the body or cookie.
 * Cognito keeps minting tokens for a session the API has ended (a password change leaves the
 * other sessions' refresh tokens valid at Cognito): such a refresh token is revoked, and 401.
 */
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
  const refreshed = await refreshTokens(refreshToken).catch((error: unknown) => {
    // A refresh token is opaque: whose it was is not known.
    securityEvent('token-refresh', 'failure', {}, error instanceof ApiError ? error.code : 'Error');
    throw error;
  });
  const issued = sessionOfIssuedToken(refreshed.idToken);
  if (!issued || (await hasSessionEnded(issued.sub, issued.session))) {
    await revokeRefreshToken(refreshToken);
    securityEvent('token-refresh', 'failure', issued ? { sub: issued.sub } : {}, 'session ended');
    throw sessionEnded();
  }
  securityEvent('token-refresh', 'success', { sub: issued.sub });
  return json(200, refreshed);
});
