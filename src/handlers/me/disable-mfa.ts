import { accessTokenUsername, assertCallersAccessToken } from '../../auth/access-token';
import { poolRequiresMfa, setTotpPreference } from '../../auth/mfa';
import { confirmPassword } from '../../auth/reauthentication';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, DisableMfaRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { recordedAs } from '../../security-events';

/**
 * POST /me/mfa/disable (protected): turns the caller's TOTP off, after the password again.
 * Refused where the pool requires MFA (MfaConfiguration ON).
 */
export const handler = protectedHandler(async (event, caller) => {
  const body = parseJsonBody(event, DisableMfaRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  if (await poolRequiresMfa()) {
    throw new ApiError('MfaRequired', 'This user pool requires MFA: it cannot be turned off.');
  }
  await recordedAs('mfa-disable', { sub: caller.sub }, async () => {
    await confirmPassword(accessTokenUsername(body.accessToken), body.password);
    await setTotpPreference(body.accessToken, false);
  });
  return json(200, { mfa: null });
});
