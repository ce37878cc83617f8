import { assertCallersAccessToken } from '../../auth/access-token';
import { changePassword } from '../../auth/cognito';
import { assertNotCommonPassword } from '../../auth/common-passwords';
import { AUTH_BODY_MAX_BYTES, ChangePasswordRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';
import { recordedAs } from '../../security-events';
import { endAllSessions } from '../../sessions/sessions';

/**
 * POST /auth/change-password (protected): the caller changes their own password, and every
 * other session of theirs ends (OWASP ASVS 7.4.3); the caller's own goes on.
 */
export const handler = protectedHandler(async (event, { sub }, session) => {
  const body = parseJsonBody(event, ChangePasswordRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  await recordedAs('password-change', { sub }, async () => {
    assertCallersAccessToken(body.accessToken, { sub });
    await assertNotCommonPassword(body.proposedPassword);
    await changePassword(body);
    await endAllSessions(sub, session.originJti);
  });
  return noContent();
});
