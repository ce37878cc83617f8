import { accessTokenUsername, assertCallersAccessToken } from '../../auth/access-token';
import { callerFrom } from '../../auth/caller';
import { poolRequiresMfa, setTotpPreference } from '../../auth/mfa';
import { confirmPassword } from '../../auth/reauthentication';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, DisableMfaRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { securityEvent } from '../../security-events';

/**
 * POST /me/mfa/disable (protected): turns the caller's TOTP off, after the password again.
 * Refused where the pool requires MFA (MfaConfiguration ON).
 */
export const handler = httpHandler(async (event) => {
  const caller = callerFrom(event);
  const body = parseJsonBody(event, DisableMfaRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  if (await poolRequiresMfa()) {
    throw new ApiError('MfaRequired', 'This user pool requires MFA: it cannot be turned off.');
  }
  try {
    await confirmPassword(accessTokenUsername(body.accessToken), body.password);
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500)
      securityEvent('mfa-disable', 'failure', { sub: caller.sub }, error.code);
    throw error;
  }
  await setTotpPreference(body.accessToken, false);
  securityEvent('mfa-disable', 'success', { sub: caller.sub });
  return json(200, { mfa: null });
});
