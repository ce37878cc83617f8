import { respondToNewPasswordChallenge } from '../../auth/cognito';
import { assertNotCommonPassword } from '../../auth/common-passwords';
import { AUTH_BODY_MAX_BYTES, ChallengeRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { recordedAs } from '../../security-events';
import { admitNewSession, signedInSubject } from '../../sessions/new-session';

/**
 * POST /auth/challenge: answers NEW_PASSWORD_REQUIRED, which Cognito asks of users an admin
 * created with a temporary password. Answers with tokens, or with the next challenge.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, ChallengeRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  const startedAtMs = Date.now();
  const result = await recordedAs(
    'new-password-challenge',
    (answered) => signedInSubject(answered, body.email),
    async () => {
      await assertNotCommonPassword(body.newPassword);
      return respondToNewPasswordChallenge(body);
    },
    { email: body.email },
  );
  if (result.kind === 'challenge') {
    return json(200, { challenge: result.challenge, session: result.session });
  }
  await admitNewSession(result.tokens, startedAtMs);
  return json(200, result.tokens);
});
