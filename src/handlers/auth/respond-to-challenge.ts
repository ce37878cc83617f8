import { respondToNewPasswordChallenge, type SignInResult } from '../../auth/cognito';
import { assertNotCommonPassword } from '../../auth/common-passwords';
import { signedInSubject } from '../../auth/token-session';
import { AUTH_BODY_MAX_BYTES, ChallengeRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { assertCookieRequestAllowed, signedIn } from '../../http/session-cookie';
import { recordedAs, securityEvent } from '../../security-events';

/**
 * POST /auth/challenge: answers the challenge a sign-in returned. NEW_PASSWORD_REQUIRED (an
 * account an admin created), SOFTWARE_TOKEN_MFA (the authenticator code), MFA_SETUP (a pool
 * that requires MFA, a user without it: first the new secret, then its first code). Answers
 * with tokens (the refresh token in the cookie with `"cookie": true`), or the next challenge.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, ChallengeRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  if (body.cookie) assertCookieRequestAllowed(event);

  const subject = (answered: SignInResult) => signedInSubject(answered, body.email);
  const failureSubject = { email: body.email };
  let result: SignInResult;
  if (body.challenge === 'NEW_PASSWORD_REQUIRED') {
    result = await recordedAs(
      'new-password-challenge',
      subject,
      async () => {
        await assertNotCommonPassword(body.newPassword);
        return respondToNewPasswordChallenge(body);
      },
      failureSubject,
    );
  } else if (body.challenge === 'SOFTWARE_TOKEN_MFA') {
    const { answerTotpChallenge } = await mfa();
    result = await recordedAs(
      'mfa-challenge',
      subject,
      () => answerTotpChallenge(body),
      failureSubject,
    );
  } else if (body.code === undefined) {
    const { associateTotp, otpauthUri } = await mfa();
    const { secretCode, session } = await associateTotp({ session: body.session });
    securityEvent('mfa-enrol', 'success', failureSubject);
    return json(200, {
      challenge: 'MFA_SETUP',
      secretCode,
      otpauthUri: otpauthUri(body.email, secretCode),
      session: session ?? body.session,
    });
  } else {
    const { completeMfaSetup, setTotpPreference, verifyTotp } = await mfa();
    const code = body.code;
    result = await recordedAs(
      'mfa-challenge',
      subject,
      async () => {
        const verified = await verifyTotp({ session: body.session }, code);
        return completeMfaSetup({ email: body.email, session: verified.session ?? body.session });
      },
      failureSubject,
    );
    // Enrolled during sign-in: TOTP is this user's MFA from now on, also in an OPTIONAL pool.
    if (result.kind === 'tokens') await setTotpPreference(result.tokens.accessToken, true);
  }
  if (result.kind === 'challenge') {
    return json(200, { challenge: result.challenge, session: result.session });
  }
  return signedIn(result.tokens, body.cookie === true);
});

/**
 * The MFA code (otpauth and the enrolment calls) as a chunk of its own (`Splitting`), loaded at
 * the first MFA answer: a new-password challenge, the common case, does not load it.
 */
const mfa = () => import('../../auth/mfa');
