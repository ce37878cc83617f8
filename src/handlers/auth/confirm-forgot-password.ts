import { confirmForgotPassword } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, ConfirmForgotPasswordRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

/** POST /auth/confirm-forgot-password: sets a new password with the emailed reset code. */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, ConfirmForgotPasswordRequest, {
    maxBytes: AUTH_BODY_MAX_BYTES,
  });
  await confirmForgotPassword(body);
  return json(200, { passwordReset: true });
});
