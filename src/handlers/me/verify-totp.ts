import { assertCallersAccessToken } from '../../auth/access-token';
import { callerFrom } from '../../auth/caller';
import { setTotpPreference, verifyTotp } from '../../auth/mfa';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, VerifyTotpRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { securityEvent } from '../../security-events';

/**
 * POST /me/mfa/totp/verify (protected): the first code of the new secret. Once it verifies,
 * TOTP is the caller's enabled and preferred MFA: every sign-in asks for a code.
 */
export const handler = httpHandler(async (event) => {
  const caller = callerFrom(event);
  const body = parseJsonBody(event, VerifyTotpRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  try {
    await verifyTotp({ accessToken: body.accessToken }, body.code);
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500)
      securityEvent('mfa-verify', 'failure', { sub: caller.sub }, error.code);
    throw error;
  }
  await setTotpPreference(body.accessToken, true);
  securityEvent('mfa-verify', 'success', { sub: caller.sub });
  return json(200, { mfa: 'TOTP' });
});
