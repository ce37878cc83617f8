import { signIn } from '../../auth/cognito';
import { signedInSubject } from '../../auth/token-session';
import { AUTH_BODY_MAX_BYTES, SignInRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { assertCookieRequestAllowed, signedIn } from '../../http/session-cookie';
import { recordedAs } from '../../security-events';

/**
 * POST /auth/signin: USER_PASSWORD_AUTH. With `"session": "cookie"` the refresh token goes
 * into an HttpOnly cookie instead of the body.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, SignInRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  if (body.session === 'cookie') assertCookieRequestAllowed(event);

  const result = await recordedAs(
    'sign-in',
    (signedIn) => signedInSubject(signedIn, body.email),
    () => signIn(body.email, body.password),
    { email: body.email },
  );
  if (result.kind === 'challenge') {
    return json(200, { challenge: result.challenge, session: result.session });
  }
  return signedIn(result.tokens, body.session === 'cookie');
});
