import { assertCallersAccessToken } from '../../auth/access-token';
import { associateTotp, otpauthUri } from '../../auth/mfa';
import { AUTH_BODY_MAX_BYTES, EnrolTotpRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { securityEvent } from '../../security-events';

/**
 * POST /me/mfa/totp (protected): a new authenticator secret for the caller, as text and as the
 * otpauth:// URI a QR code carries. Nothing changes until a code verifies it (…/verify).
 */
export const handler = protectedHandler(async (event, caller) => {
  const { accessToken } = parseJsonBody(event, EnrolTotpRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  assertCallersAccessToken(accessToken, caller);
  const { secretCode } = await associateTotp({ accessToken });
  securityEvent('mfa-enrol', 'success', { sub: caller.sub });
  return json(200, { secretCode, otpauthUri: otpauthUri(caller.email, secretCode) });
});
