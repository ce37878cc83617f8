import { assertCallersAccessToken } from '../../auth/access-token';
import { globalSignOut } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, SignOutAllRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';
import { clearedSessionCookie } from '../../http/session-cookie';
import { recordedAs } from '../../security-events';
import { endAllSessions } from '../../sessions/sessions';

/**
 * POST /auth/signout-all (protected): signs the caller out everywhere. Cognito revokes every
 * refresh token of theirs (GlobalSignOut), and every ID and access token issued until now is
 * refused by every protected route; the cookie, if any, is expired.
 */
export const handler = protectedHandler(async (event, { sub }) => {
  const { accessToken } = parseJsonBody(event, SignOutAllRequest, {
    maxBytes: AUTH_BODY_MAX_BYTES,
  });
  await recordedAs('sign-out-all', { sub }, async () => {
    assertCallersAccessToken(accessToken, { sub });
    await globalSignOut(accessToken);
    await endAllSessions(sub);
  });
  return noContent({ cookies: [clearedSessionCookie()] });
});
