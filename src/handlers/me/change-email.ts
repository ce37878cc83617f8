import { accessTokenUsername, assertCallersAccessToken } from '../../auth/access-token';
import { callerFrom } from '../../auth/caller';
import { requestEmailChange } from '../../auth/email-change';
import { confirmPassword } from '../../auth/reauthentication';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, ChangeEmailRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { securityEvent } from '../../security-events';

/**
 * POST /me/email (protected): after the password again, sends a code to the new address. The
 * old address stays the sign-in name until the code comes back (…/verify).
 */
export const handler = httpHandler(async (event) => {
  const caller = callerFrom(event);
  const body = parseJsonBody(event, ChangeEmailRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  if (body.newEmail === caller.email.toLowerCase()) {
    throw new ApiError('InvalidRequest', 'This is already the email address of the account.');
  }
  try {
    await confirmPassword(accessTokenUsername(body.accessToken), body.password);
    const delivery = await requestEmailChange(body.accessToken, body.newEmail);
    securityEvent('email-change-request', 'success', { sub: caller.sub });
    return json(202, { ...(delivery ? { delivery } : {}) });
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500)
      securityEvent('email-change-request', 'failure', { sub: caller.sub }, error.code);
    throw error;
  }
});
