import { signUp } from '../../auth/cognito';
import { assertNotCommonPassword } from '../../auth/common-passwords';
import { AUTH_BODY_MAX_BYTES, SignUpRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { recordedAs } from '../../security-events';

/** POST /auth/signup: registers the account; Cognito emails a confirmation code. */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, SignUpRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  const result = await recordedAs(
    'sign-up',
    (signedUp) => (signedUp.userSub ? { sub: signedUp.userSub } : { email: body.email }),
    async () => {
      await assertNotCommonPassword(body.password);
      return signUp(body);
    },
    { email: body.email },
  );
  return json(201, result);
});
