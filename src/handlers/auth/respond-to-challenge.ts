import * as v from 'valibot';
import { respondToNewPasswordChallenge } from '../../auth/cognito';
import { AUTH_BODY_MAX_BYTES, ChallengeSession, Email, Password } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';

const ChallengeBody = v.strictObject({
  email: Email,
  challenge: v.picklist(['NEW_PASSWORD_REQUIRED'], 'must be "NEW_PASSWORD_REQUIRED"'),
  session: ChallengeSession,
  newPassword: Password,
});

/**
 * POST /auth/challenge: answers NEW_PASSWORD_REQUIRED, which Cognito asks of users an admin
 * created with a temporary password. Answers with tokens, or with the next challenge.
 */
export const handler = httpHandler(async (event) => {
  const body = parseJsonBody(event, ChallengeBody, { maxBytes: AUTH_BODY_MAX_BYTES });
  const result = await respondToNewPasswordChallenge(body);
  if (result.kind === 'challenge') {
    return json(200, { challenge: result.challenge, session: result.session });
  }
  return json(200, result.tokens);
});
