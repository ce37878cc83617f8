import { confirmSignUp } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, ConfirmSignUpRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

/** POST /auth/confirm-signup: confirms the account with the emailed code. */
export const handler = httpHandler(async (event) => {
  const { email, code } = parseJsonBody(event, ConfirmSignUpRequest, {
    maxBytes: AUTH_BODY_MAX_BYTES,
  });
  await confirmSignUp(email, code);
  return json(200, { confirmed: true });
});
