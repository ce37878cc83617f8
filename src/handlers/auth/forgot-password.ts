import * as v from 'valibot';
import { forgotPassword } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, Email } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

const ForgotPasswordBody = v.strictObject({ email: Email });

/** POST /auth/forgot-password: always 202, whether or not the account exists (no enumeration). */
export const handler = httpHandler(async (event) => {
  const { email } = parseJsonBody(event, ForgotPasswordBody, { maxBytes: AUTH_BODY_MAX_BYTES });
  await forgotPassword(email);
  return json(202, { message: 'If an account exists for this email, a reset code is on its way.' });
});
