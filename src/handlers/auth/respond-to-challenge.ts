import { respondToNewPasswordChallenge, type SignInResult } from '../../auth/cognito';
import {
  answerTotpChallenge,
  associateTotp,
  completeMfaSetup,
  otpauthUri,
  setTotpPreference,
  verifyTotp,
} from '../../auth/mfa';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, ChallengeRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { assertCookieRequestAllowed, signedIn } from '../../http/session-cookie';
import { securityEvent } from '../../security-events';

/**
 * POST /auth/challenge: answers the challenge a sign-in returned. NEW_PASSWORD_REQUIRED (an
 * account an admin created), SOFTWARE_TOKEN_MFA (the authenticator code), MFA_SETUP (a pool
 * that requires MFA, a user without it: first the new secret, then its first code). Answers
 * with tokens (the refresh token in the cookie with `"cookie": true`), or the next challenge.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, ChallengeRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  if (body.cookie) assertCookieRequestAllowed(event);

  let result: SignInResult;
  if (body.challenge === 'NEW_PASSWORD_REQUIRED') {
    result = await respondToNewPasswordChallenge(body);
  } else if (body.challenge === 'SOFTWARE_TOKEN_MFA') {
    result = await audited(() => answerTotpChallenge(body), body.email);
  } else if (body.code === undefined) {
    const { secretCode, session } = await associateTotp({ session: body.session });
    securityEvent('mfa-enrol', 'success', { email: body.email });
    return json(200, {
      challenge: 'MFA_SETUP',
      secretCode,
      otpauthUri: otpauthUri(body.email, secretCode),
      session: session ?? body.session,
    });
  } else {
    const code = body.code;
    result = await audited(async () => {
      const verified = await verifyTotp({ session: body.session }, code);
      return completeMfaSetup({ email: body.email, session: verified.session ?? body.session });
    }, body.email);
    // Enrolled during sign-in: TOTP is this user's MFA from now on, also in an OPTIONAL pool.
    if (result.kind === 'tokens') await setTotpPreference(result.tokens.accessToken, true);
  }
  if (result.kind === 'challenge') {
    return json(200, { challenge: result.challenge, session: result.session });
  }
  return signedIn(result.tokens, body.cookie === true);
});

/** An MFA answer, logged as a security event whichever way it goes. */
async function audited(answer: () => Promise<SignInResult>, email: string): Promise<SignInResult> {
  try {
    const result = await answer();
    securityEvent('mfa-challenge', 'success', { email });
    return result;
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500)
      securityEvent('mfa-challenge', 'failure', { email }, error.code);
    throw error;
  }
}
