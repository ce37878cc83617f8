import * as v from 'valibot';
import { signUp } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, DisplayName, Email, Password } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

const SignUpBody = v.strictObject({
  email: Email,
  password: Password,
  name: v.optional(DisplayName),
});

/** POST /auth/signup: registers the account; Cognito emails a confirmation code. */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, SignUpBody, { maxBytes: AUTH_BODY_MAX_BYTES });
  const result = await signUp(body);
  return json(201, result);
});
