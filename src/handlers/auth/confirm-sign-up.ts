import * as v from 'valibot';
import { confirmSignUp } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, Code, Email } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

const ConfirmSignUpBody = v.strictObject({ email: Email, code: Code });

/** POST /auth/confirm-signup: confirms the account with the emailed code. */
export const handler = httpHandler(async (event) => {
  const { email, code } = parseJsonBody(event, ConfirmSignUpBody, {
    maxBytes: AUTH_BODY_MAX_BYTES,
  });
  await confirmSignUp(email, code);
  return json(200, { confirmed: true });
});
