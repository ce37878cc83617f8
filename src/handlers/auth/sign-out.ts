import { revokeRefreshToken } from '../../auth/cognito';
import { verifyIdToken } from '../../auth/id-token';
import { AUTH_BODY_MAX_BYTES, SignOutRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { bearerToken, parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';
import { clearedSessionCookie, sessionRefreshToken } from '../../http/session-cookie';
import { securityEvent } from '../../security-events';
import { endSession } from '../../sessions/sessions';

/**
 * POST /auth/signout: revokes the refresh token (body or cookie) and the access tokens issued
 * from it, and expires the cookie. With the session's ID token in the Authorization header, the
 * whole session ends: every ID and access token minted in it is refused by every protected
 * route. A token that does not verify (forged, expired, another client's) ends nothing.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, SignOutRequest, {
    maxBytes: AUTH_BODY_MAX_BYTES,
    allowEmpty: true,
  });
  const refreshToken = sessionRefreshToken(event, body.refreshToken);
  const idToken = bearerToken(event);
  const verified = idToken ? await verifyIdToken(idToken) : undefined;
  if (refreshToken) await revokeRefreshToken(refreshToken);
  if (verified) await endSession(verified.sub, verified.session.originJti);
  securityEvent(
    'sign-out',
    'success',
    verified ? { sub: verified.sub } : {},
    verified ? undefined : 'no valid ID token: the refresh token alone was revoked',
  );
  return noContent({ cookies: [clearedSessionCookie()] });
});
