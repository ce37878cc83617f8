import { assertCallersAccessToken } from '../../auth/access-token';
import { confirmEmailChange } from '../../auth/email-change';
import { AUTH_BODY_MAX_BYTES, VerifyEmailRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { recordedAs } from '../../security-events';

/**
 * POST /me/email/verify (protected): the code sent to the new address. From now on the caller
 * signs in with the new address only; tokens issued from now on carry it.
 */
export const handler = protectedHandler(async (event, caller) => {
  const body = parseJsonBody(event, VerifyEmailRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  const account = await recordedAs('email-change-verify', { sub: caller.sub }, () =>
    confirmEmailChange(body.accessToken, body.code),
  );
  return json(200, account);
});
