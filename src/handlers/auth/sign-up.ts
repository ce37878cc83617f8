import { signUp } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, SignUpRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

/** POST /auth/signup: registers the account; Cognito emails a confirmation code. */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, SignUpRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  const result = await signUp(body);
  return json(201, result);
});
