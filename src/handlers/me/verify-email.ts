import { assertCallersAccessToken } from '../../auth/access-token';
import { callerFrom } from '../../auth/caller';
import { confirmEmailChange } from '../../auth/email-change';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, VerifyEmailRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { securityEvent } from '../../security-events';

/**
 * POST /me/email/verify (protected): the code sent to the new address. From now on the caller
 * signs in with the new address only; tokens issued from now on carry it.
 */
export const handler = httpHandler(async (event) => {
  const caller = callerFrom(event);
  const body = parseJsonBody(event, VerifyEmailRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  try {
    const account = await confirmEmailChange(body.accessToken, body.code);
    securityEvent('email-change-verify', 'success', { sub: caller.sub });
    return json(200, account);
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500)
      securityEvent('email-change-verify', 'failure', { sub: caller.sub }, error.code);
    throw error;
  }
});
