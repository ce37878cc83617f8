import { assertCallersAccessToken } from '../../auth/access-token';
import { setTotpPreference, verifyTotp } from '../../auth/mfa';
import { AUTH_BODY_MAX_BYTES, VerifyTotpRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { recordedAs } from '../../security-events';

/**
 * POST /me/mfa/totp/verify (protected): the first code of the new secret. Once it verifies,
 * TOTP is the caller's enabled and preferred MFA: every sign-in asks for a code.
 */
export const handler = protectedHandler(async (event, caller) => {
  const body = parseJsonBody(event, VerifyTotpRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(body.accessToken, caller);
  await recordedAs('mfa-verify', { sub: caller.sub }, async () => {
    await verifyTotp({ accessToken: body.accessToken }, body.code);
    await setTotpPreference(body.accessToken, true);
  });
  return json(200, { mfa: 'TOTP' });
});
