import { forgotPassword } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, EmailRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

/** POST /auth/forgot-password: always 202, whether or not the account exists (no enumeration). */
export const handler = httpHandler(async (event) => {
  const { email } = parseJsonBody(event, EmailRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  await forgotPassword(email);
  return json(202, { message: 'If an account exists for this email, a reset code is on its way.' });
});
