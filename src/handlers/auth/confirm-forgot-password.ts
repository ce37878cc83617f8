import * as v from 'valibot';
import { confirmForgotPassword } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, Code, Email, Password } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

const ConfirmForgotPasswordBody = v.strictObject({
  email: Email,
  code: Code,
  newPassword: Password,
});

/** POST /auth/confirm-forgot-password: sets a new password with the emailed reset code. */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, ConfirmForgotPasswordBody, { maxBytes: AUTH_BODY_MAX_BYTES });
  await confirmForgotPassword(body);
  return json(200, { passwordReset: true });
});
