import { accessTokenUsername, assertCallersAccessToken } from '../../auth/access-token';
import { requestEmailChange } from '../../auth/email-change';
import { confirmPassword } from '../../auth/reauthentication';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, ChangeEmailRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { recordedAs } from '../../security-events';

/**
 * POST /me/email (protected): after the password again, sends a code to the new address. The
 * old address stays the sign-in name until the code comes back (…/verify).
 */
export const handler = protectedHandler(async (event, caller) => {
  const body = parseJsonBody(event, ChangeEmailRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  if (body.newEmail === caller.email.toLowerCase()) {
    throw new ApiError('InvalidRequest', 'This is already the email address of the account.');
  }
  const delivery = await recordedAs('email-change-request', { sub: caller.sub }, async () => {
    await confirmPassword(accessTokenUsername(body.accessToken), body.password);
    return requestEmailChange(body.accessToken, body.newEmail);
  });
  return json(202, { ...(delivery ? { delivery } : {}) });
});
