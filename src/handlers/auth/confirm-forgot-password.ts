import { confirmForgotPassword, signOutEverywhereAfterReset } from '../../auth/cognito';
import { assertNotCommonPassword } from '../../auth/common-passwords';
import { AUTH_BODY_MAX_BYTES, ConfirmForgotPasswordRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { recordedAs } from '../../security-events';
import { endAllSessions } from '../../sessions/sessions';

/**
 * POST /auth/confirm-forgot-password: sets a new password with the emailed reset code, and
 * ends every session of the account (OWASP ASVS 7.4.3): whoever knew the old password is out.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, ConfirmForgotPasswordRequest, {
    maxBytes: AUTH_BODY_MAX_BYTES,
  });
  await recordedAs('password-reset', { email: body.email }, async () => {
    await assertNotCommonPassword(body.newPassword);
    await confirmForgotPassword(body);
    const sub = await signOutEverywhereAfterReset(body.email);
    if (sub) await endAllSessions(sub);
  });
  return json(200, { passwordReset: true });
});
